// paas-config.yaml stays paas-charm's: the real paas-charm 1.12.3 (in the project's venv) loads this
// project's file, reads 1.12's keys (framework_logging_format, prometheus) as this runtime does, and refuses
// what it refuses; paas-charm 2.0's port and metrics keys, which 1.12.3 refuses, are this runtime's addition.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { promisify } from "node:util";
import { parseCharmSettings, PaasConfigError } from "../../src/paas/index.ts";
import { repoRoot } from "../support/paths.ts";

const run = promisify(execFile);
const python = join(repoRoot, ".cache", "venv", "bin", "python");
const dir = await mkdtemp(join(tmpdir(), "paas-config-parity-"));
after(() => rm(dir, { recursive: true, force: true }));

// paas-charm's own reader, printing what it understood (or its error) as JSON. The package's __init__
// imports charm libraries that only charmcraft fetches, so the reader's module is loaded on its own.
const READER = `
import importlib.util, json, pathlib, sys, types
package = types.ModuleType("paas_charm")
package.__path__ = [str(pathlib.Path(importlib.util.find_spec("paas_charm").origin).parent)]
sys.modules["paas_charm"] = package
from paas_charm.paas_config import read_paas_config
try:
    c = read_paas_config(pathlib.Path(sys.argv[1]))
except Exception as e:
    print(json.dumps({"error": type(e).__name__}))
else:
    print(json.dumps({
        "loggingFormat": c.framework_logging_format.value,
        "jobs": [[j.job_name, j.metrics_path, [sc.targets for sc in j.static_configs]] for j in (c.prometheus.scrape_configs if c.prometheus else [])],
    }))
`;

async function paasCharmReads(text: string): Promise<Record<string, unknown>> {
  await writeFile(join(dir, "paas-config.yaml"), text);
  const { stdout } = await run(python, ["-c", READER, dir]);
  return JSON.parse(stdout) as Record<string, unknown>;
}

function oursReads(text: string): Record<string, unknown> {
  try {
    const ours = parseCharmSettings({ runtime: "framework: flask\n", paasConfig: text });
    return {
      loggingFormat: ours.loggingFormat ?? "none",
      jobs: ours.scrapeConfigs.map((job) => [job.jobName, job.metricsPath, job.staticConfigs.map((sc) => sc.targets)]),
    };
  } catch (error) {
    assert.ok(error instanceof PaasConfigError);
    return { error: "PaasConfigError" };
  }
}

describe("paas-config.yaml as paas-charm 1.12.3 reads it", () => {
  it("this project's own paas-config.yaml loads in paas-charm", async () => {
    const text = await readFile(join(repoRoot, "paas-config.yaml"), "utf8");
    assert.deepEqual(await paasCharmReads(text), oursReads(text));
  });

  const files: Array<[string, string]> = [
    ["every 1.12 key", "framework_logging_format: json\nprometheus:\n  scrape_configs:\n    - job_name: celery\n      static_configs:\n        - targets: ['@scheduler:9808']\n    - job_name: web\n      metrics_path: /m\n      static_configs:\n        - targets: ['*:8001']\n"],
    ["empty", ""],
    ["logging format null", "framework_logging_format:\n"],
    ["an unknown key", "colour: blue\n"],
    ["a port out of range", "port: 70000\n"],
    ["duplicate job names", "prometheus:\n  scrape_configs:\n    - {job_name: a, static_configs: [{targets: ['*:1']}]}\n    - {job_name: a, static_configs: [{targets: ['*:2']}]}\n"],
  ];
  for (const [name, text] of files) {
    it(`${name}: the same reading`, async () => assert.deepEqual(await paasCharmReads(text), oursReads(text)));
  }

  for (const key of ["port: 8081", "metrics-port: 9464", "metrics_path: /m"]) {
    it(`paas-charm 2.0's ${key.split(":")[0]}: refused by 1.12.3, read here`, async () => {
      assert.deepEqual(await paasCharmReads(`${key}\n`), { error: "PaasConfigError" });
      assert.doesNotThrow(() => parseCharmSettings({ runtime: "framework: flask\n", paasConfig: `${key}\n` }));
    });
  }

  it("this project's old `framework` key is one paas-charm refuses: why the framework moved to runtime.yaml", async () => {
    assert.deepEqual(await paasCharmReads("framework: flask\n"), { error: "PaasConfigError" });
  });
});
