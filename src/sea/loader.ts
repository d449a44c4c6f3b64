// The single-executable application's main script: runs the charm's bundle (a SEA asset) with the V8
// code cache scripts/build.ts made for it. That cache holds every function compiled eagerly, so an event
// compiles almost none of the charm's JavaScript (Node's own SEA code cache only holds the top level).
import { getAsset } from "node:sea";
import { Script } from "node:vm";
import { BUNDLE_ASSET, CACHE_ASSET, BUNDLE_FILENAME } from "./assets.ts";

const cache = getAsset(CACHE_ASSET);
const script = new Script(getAsset(BUNDLE_ASSET, "utf8"), {
  filename: BUNDLE_FILENAME,
  // Empty when the binary was built for another architecture (the cache is tied to one Node build).
  ...(cache.byteLength ? { cachedData: Buffer.from(cache) } : {}),
});
(script.runInThisContext() as (req: NodeJS.Require) => void)(require);
