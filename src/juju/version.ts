// The Juju agent version (JUJU_VERSION), parsed and comparable, and application-version-set.
import { runHookTool } from "./hookTool.ts";

export interface JujuVersion {
  major: number;
  minor: number;
  patch: number;
  /** Pre-release tag such as `beta` in `3.0-beta2`; a tagged version sorts before the untagged one. */
  tag: string | undefined;
  build: number;
  text: string;
}

// major.minor[.patch | -tag patch][.build], e.g. 3.6.8, 3.0-beta2, 2.9.42.1 (Juju's version format).
const VERSION = /^(\d{1,9})\.(\d{1,9})(?:(?:\.|-([a-z]+))(\d{1,9}))?(?:\.(\d{1,9}))?$/;

export function parseJujuVersion(text: string): JujuVersion {
  const match = VERSION.exec(text);
  if (!match) throw new Error(`JUJU_VERSION ${JSON.stringify(text)} is not a Juju version like 3.6.8`);
  return {
    major: Number(match[1]),
    minor: Number(match[2]),
    patch: Number(match[4] ?? 0),
    tag: match[3],
    build: Number(match[5] ?? 0),
    text,
  };
}

/** Negative if a < b, 0 if equal, positive if a > b. */
export function compareJujuVersions(a: JujuVersion, b: JujuVersion): number {
  if (a.major !== b.major) return a.major - b.major;
  if (a.minor !== b.minor) return a.minor - b.minor;
  if (a.tag !== b.tag) {
    if (a.tag === undefined) return 1;
    if (b.tag === undefined) return -1;
    return a.tag < b.tag ? -1 : 1;
  }
  if (a.patch !== b.patch) return a.patch - b.patch;
  return a.build - b.build;
}

/** True when `version` is `minimum` (e.g. "3.6.2") or newer: feature gates such as relation-model-get. */
export function jujuVersionAtLeast(version: JujuVersion, minimum: string): boolean {
  return compareJujuVersions(version, parseJujuVersion(minimum)) >= 0;
}

/** Sets the workload version shown by `juju status` (applied immediately). */
export async function setApplicationVersion(version: string): Promise<void> {
  await runHookTool("application-version-set", ["--", version]);
}
