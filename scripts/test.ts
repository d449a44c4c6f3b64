// npm test: builds and packs the charm once (tests run the packed artifact, not the sources), then runs
// every tests/**/*.test.ts file with Node's test runner. Extra arguments select test files.
// Usage: node scripts/test.ts [file ...]
import { spawnSync } from "node:child_process";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { testEnvironment } from "../tests/support/paths.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const env = testEnvironment();

run(process.execPath, [join(root, "scripts", "pack.ts"), "--out", join(root, "dist")]);
run(join(root, "node_modules", ".bin", "tsc"), ["-p", join(root, "tsconfig.json")]);
const files = process.argv.slice(2);
run(process.execPath, [
  "--test", "--test-concurrency=1", "--test-timeout=600000",
  ...(files.length ? files : ["tests/**/*.test.ts"]),
]);

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", env: { ...process.env, ...env } });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
