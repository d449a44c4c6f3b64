// Writes the V8 code cache of the charm's wrapped bundle, with every function compiled (not only the top
// level): node scripts/codeCache.ts <wrapped bundle> <cache out> <script filename>. It must run on the exact Node build the
// binary is made from, with V8's default flags: V8 rejects a cache made by another build or flag set.
import { readFileSync, writeFileSync } from "node:fs";
import { setFlagsFromString } from "node:v8";
import { Script } from "node:vm";

const [bundlePath, cachePath, filename] = process.argv.slice(2);
if (!bundlePath || !cachePath || !filename) throw new Error("usage: node scripts/codeCache.ts <wrapped bundle> <cache out> <script filename>");
setFlagsFromString("--no-lazy");
const script = new Script(readFileSync(bundlePath, "utf8"), { filename });
// Back to the default before the cache records the flags it was made with.
setFlagsFromString("--lazy");
writeFileSync(cachePath, script.createCachedData());
