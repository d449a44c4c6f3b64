// npm run bench: packs the charm, then prints each benchmark's figures. Speed targets live here, never in
// timed tests. Machines are shared and noisy: compare figures within one run.
import { execFileSync } from "node:child_process";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { reportColdStart } from "./coldStart.ts";
import { reportConfigChanged } from "./configChanged.ts";
import { reportUpdateStatus } from "./updateStatus.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const charmPath = join(root, "dist", `example-app_${process.arch === "arm64" ? "arm64" : "amd64"}.charm`);
if (!process.argv.includes("--no-pack")) {
  execFileSync(process.execPath, [join(root, "scripts", "pack.ts"), "--out", join(root, "dist")], { stdio: "inherit" });
}
reportColdStart(charmPath);
await reportConfigChanged(charmPath);
await reportUpdateStatus(charmPath);
process.exit(0);
