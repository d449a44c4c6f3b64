// What scripts/build.ts puts into the charm binary beside its loader, and how the bundle is wrapped.
export const BUNDLE_ASSET = "charm.js";
export const CACHE_ASSET = "charm.cache";
export const BUNDLE_FILENAME = "charm.cjs";

/** The bundle as one function expression of `require` (a SEA's require loads built-in modules only). */
export function wrapBundle(source: string): string {
  return `(function (require) {${source}\n})`;
}
