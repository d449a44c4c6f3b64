// Everything the platform runs that no Debian package provides, built from the registries once per version
// into the user's cache directory (layout.ts), each into a sibling directory renamed into place when complete.
// Long builds run under nice: other jobs share the machine's two cores.
import { existsSync } from "node:fs";
import { chmod, cp, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { builds, repoRoot, thirdPartyDir, VERSIONS } from "./layout.ts";
import { run, step } from "./steps.ts";

export const KUBERNETES_BINARIES = ["kube-apiserver", "kubelet", "kube-controller-manager", "kube-scheduler", "kube-proxy", "kubectl"] as const;
export const JUJU_BINARIES = ["jujuagentd", "juju", "containeragent", "jujuc"] as const;

/** Builds what is missing, one after the other (in parallel they would only fight over two cores). */
export async function ensureBuilds(): Promise<void> {
  await step("build-kubernetes", buildKubernetes);
  await step("build-dqlite", buildDqlite);
  await step("build-juju", buildJuju);
  await step("build-pebble", buildPebble);
  await step("build-pause", buildPause);
}

/** Builds `dir` through `body(partial)` unless it is there already. */
async function once(dir: string, body: (partial: string) => Promise<void>): Promise<void> {
  if (existsSync(dir)) return;
  const partial = `${dir}.part`;
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial, { recursive: true });
  await body(partial);
  await rename(partial, dir);
}

function goEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...process.env, GOFLAGS: "-mod=mod", ...extra };
}

// Without the version ldflags every binary says v0.0.0-master+$Format:%H$, which kubectl cannot parse and
// which gives Juju (it reads the apiserver's major and minor) nothing to check.
async function buildKubernetes(log: string): Promise<void> {
  const [major, minor] = VERSIONS.kubernetes.slice(1).split(".");
  const ldflags = [
    "-s -w",
    `-X k8s.io/component-base/version.gitVersion=${VERSIONS.kubernetes}`,
    `-X k8s.io/component-base/version.gitMajor=${major}`,
    `-X k8s.io/component-base/version.gitMinor=${minor}`,
  ].join(" ");
  await once(builds.kubernetes, async (partial) => {
    for (const binary of KUBERNETES_BINARIES) {
      await run(log, "go", ["build", "-ldflags", ldflags, "-o", join(partial, binary), `k8s.io/kubernetes/cmd/${binary}`], {
        cwd: join(repoRoot, "tools", "kube-apiserver"), env: goEnv(), nice: true,
      });
    }
  });
}

/** Debian's libdqlite (1.11) is too old for go-dqlite v3: Juju's own pin, built static from ../third_party. */
async function buildDqlite(log: string): Promise<void> {
  await once(builds.dqlite, async (partial) => {
    const archive = join(thirdPartyDir(), `dqlite-${VERSIONS.dqlite}.tar.gz`);
    if (!existsSync(archive)) throw new Error(`${archive} is missing: dqlite's source is expected in ${thirdPartyDir()} (or set PAAS_THIRD_PARTY)`);
    const src = join(partial, "src");
    await mkdir(src);
    await run(log, "tar", ["-xzf", archive, "-C", src, "--strip-components=1"]);
    await run(log, "autoreconf", ["-i"], { cwd: src, nice: true });
    // Static: jujuagentd then needs only Debian's libuv, liblz4 and libsqlite3 at run time, in its image too.
    await run(log, "./configure", [`--prefix=${builds.dqlite}`, "--enable-build-raft", "--disable-shared", "--enable-static"], {
      cwd: src, nice: true, env: { ...process.env, CFLAGS: "-O2 -fPIC" },
    });
    await run(log, "make", ["-j2"], { cwd: src, nice: true });
    await run(log, "make", ["install", `prefix=${partial}`], { cwd: src });
    await rm(src, { recursive: true });
  });
}

/**
 * Juju 4.1-beta2 from tools/juju. goose v5.1.6, which Juju requires, is not served by the module proxy:
 * v5.1.3 plus the one field Juju 4.1 uses (Credentials.TrustID) stands in, through tools/juju's
 * `replace … => ./goose`, in a copy of the module made here.
 */
async function buildJuju(log: string): Promise<void> {
  await once(builds.juju, async (partial) => {
    const module = join(partial, "src");
    await mkdir(module);
    for (const file of ["go.mod", "go.sum", "tools.go"]) await cp(join(repoRoot, "tools", "juju", file), join(module, file));
    const download = JSON.parse(await run(log, "go", ["mod", "download", "-json", "github.com/go-goose/goose/v5@v5.1.3"], { cwd: module })) as { Dir: string };
    const goose = join(module, "goose");
    await cp(download.Dir, goose, { recursive: true });
    await run(log, "chmod", ["-R", "u+w", goose]);
    const identity = join(goose, "identity", "identity.go");
    const source = await readFile(identity, "utf8");
    const anchor = /(\tProjectDomain +string `credentials:"optional"`[^\n]*\n)/;
    if (!anchor.test(source)) throw new Error(`${identity} has no ProjectDomain field to add TrustID after: has goose v5.1.3 changed?`);
    await writeFile(identity, source.replace(anchor, "$1\tTrustID string `credentials:\"optional\"`\n"));
    const dqlite = builds.dqlite;
    const env = goEnv({
      CGO_ENABLED: "1",
      CGO_CFLAGS: `-I${dqlite}/include`,
      CGO_LDFLAGS: `-L${dqlite}/lib -ldqlite -luv -llz4 -lsqlite3`,
      CGO_LDFLAGS_ALLOW: "(-Wl,-wrap,pthread_create)|(-Wl,-z,now)",
    });
    // One set of flags for all four: they share the build cache, so the three after jujuagentd take seconds.
    for (const binary of JUJU_BINARIES) {
      await run(log, "go", ["build", "-tags", "dqlite,libsqlite3,notest", "-ldflags", "-s -w", "-o", join(partial, binary), `github.com/juju/juju/cmd/${binary}`], {
        cwd: module, env, nice: true,
      });
    }
    await rm(module, { recursive: true });
  });
}

/** Static: Juju copies it into every workload container, whose image may lack the host's libc. */
async function buildPebble(log: string): Promise<void> {
  await once(builds.pebble, async (partial) => {
    await run(log, "go", ["build", "-o", join(partial, "pebble"), "github.com/canonical/pebble/cmd/pebble"], {
      cwd: join(repoRoot, "tools", "pebble"), env: goEnv({ CGO_ENABLED: "0" }), nice: true,
    });
  });
}

async function buildPause(log: string): Promise<void> {
  await once(builds.pause, async (partial) => {
    await run(log, "go", ["build", "-ldflags", "-s -w", "-o", join(partial, "pause"), "."], {
      cwd: join(repoRoot, "tools", "pause"), env: goEnv({ CGO_ENABLED: "0" }),
    });
    await chmod(join(partial, "pause"), 0o755);
  });
}
