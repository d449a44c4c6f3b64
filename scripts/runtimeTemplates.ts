// Writes runtime/templates/<framework>.charmcraft.yaml, what `paas-charm-ts-runtime init` writes as
// charmcraft.yaml, from charmcraft 4.5.0's own `init --profile` and `expand-extensions` output
// (tests/packing/extensionParity.test.ts checks the files are what charmcraft gives).
// Usage: node scripts/runtimeTemplates.ts
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { FRAMEWORK_NAMES } from "../runtime/src/project.ts";
import { runtimeTemplate } from "../tests/support/charmcraft.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const scratch = mkdtempSync(join(tmpdir(), "runtime-templates-"));
try {
  for (const framework of FRAMEWORK_NAMES) {
    const text = await runtimeTemplate(framework, mkdtempSync(join(scratch, `${framework}-`)));
    writeFileSync(join(root, "runtime", "templates", `${framework}.charmcraft.yaml`), text);
    console.log(`wrote runtime/templates/${framework}.charmcraft.yaml`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
