// statsd_exporter v0.26.0, the metrics sidecar of the flask and django rocks, built once from the Go
// module pinned in statsd-exporter/ (go.sum makes it reproducible) and shared by every rock.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { digest, ensureBuilt } from "./cache.ts";
import { run } from "./run.ts";

const moduleDir = join(dirname(fileURLToPath(import.meta.url)), "statsd-exporter");

/** The host path of the statsd_exporter binary. */
export async function buildStatsdExporter(cacheDir: string, log: (line: string) => void): Promise<string> {
  const key = await digest("statsd-exporter", [{ dir: moduleDir, entries: ["go.mod", "go.sum", "tools.go"] }]);
  const dir = join(cacheDir, `statsd-exporter-${key}`);
  await ensureBuilt(dir, async (workDir) => {
    log("building statsd_exporter (go install)");
    const env = { ...process.env, GOBIN: workDir, GOFLAGS: "-mod=mod -buildvcs=false", GOTOOLCHAIN: "local", CGO_ENABLED: "0" };
    await run("building statsd_exporter", "go", ["install", "github.com/prometheus/statsd_exporter"], { cwd: moduleDir, env });
  });
  return join(dir, "statsd_exporter");
}
