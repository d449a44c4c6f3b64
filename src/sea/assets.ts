// What scripts/build.ts puts into the charm binary beside its loader, and how each bundle is wrapped.
export const BUNDLE_ASSET = "charm.js";
export const CACHE_ASSET = "charm.cache";
export const BUNDLE_FILENAME = "charm.cjs";

/** @kubernetes/client-node and the charm's client (src/kubernetes/client.ts): run only by events that need it. */
export const KUBERNETES_ASSET = "kubernetes.js";
export const KUBERNETES_CACHE_ASSET = "kubernetes.cache";
export const KUBERNETES_FILENAME = "kubernetes.cjs";

/** The bundle as one function expression of `require` (a SEA's require loads built-in modules only). */
export function wrapBundle(source: string): string {
  return `(function (require) {${source}\n})`;
}

/** A CommonJS bundle as a function expression of `require` and `module`. */
export function wrapModule(source: string): string {
  return `(function (require, module, exports) {${source}\n})`;
}
