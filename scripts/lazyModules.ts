// An esbuild plugin that makes some modules load on first use instead of when the bundle starts. axios
// imports https (with tls), http2, form-data (with mime-db) and https-proxy-agent at load time, but the
// charm reaches Pebble over a Unix socket with plain http, no proxy and no forms: loading them at start
// cost about half of axios's start-up CPU and 12 MB of RSS on every event. Each one becomes a stand-in
// whose first property access, call or `new` loads the real module, so any later use behaves as before.
import type { Plugin } from "esbuild";

/** `names`: package or built-in module names (letters, digits and dashes only). */
export function lazyModules(names: readonly string[]): Plugin {
  const filter = new RegExp(`^(node:)?(${names.join("|")})$`);
  return {
    name: "lazy-modules",
    setup(build) {
      build.onResolve({ filter }, (args) => {
        // The stand-in's own require of the real module resolves normally.
        if ((args.pluginData as { real?: boolean } | undefined)?.real) return undefined;
        return { path: args.path, namespace: "lazy-module", pluginData: { resolveDir: args.resolveDir } };
      });
      build.onLoad({ filter: /.*/, namespace: "lazy-module" }, (args) => ({
        loader: "js",
        resolveDir: (args.pluginData as { resolveDir: string }).resolveDir,
        pluginData: { real: true },
        contents: standIn(args.path),
      }));
    },
  };
}

function standIn(specifier: string): string {
  // A function target, so the stand-in can also be called or constructed (form-data is a class).
  // `__esModule` is answered without loading: esbuild's interop reads it when the module is imported.
  return `"use strict";
let real;
const load = () => (real ??= require(${JSON.stringify(specifier)}));
module.exports = new Proxy(function lazyModule() {}, {
  get: (_, key) => (key === "__esModule" ? undefined : Reflect.get(load(), key)),
  has: (_, key) => Reflect.has(load(), key),
  set: (_, key, value) => Reflect.set(load(), key, value),
  apply: (_, self, args) => Reflect.apply(load(), self, args),
  construct: (_, args) => Reflect.construct(load(), args),
});
`;
}
