// The Python runtime of the flask, django and fastapi rocks. In the real rock /bin/python3 is the venv
// the python plugin builds. Here: a venv made with --copies (so its interpreter is not a symlink to the
// /usr/bin/python3 it is about to shadow), mounted at its own host path, and a two-line wrapper mounted
// over /usr/bin/python3 (= /bin/python3) that runs it. `python3` in migrate.sh and the charm's
// `python3 -c "import gevent"` land there too.
import { chmod, mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { buildPath, type BuildContext } from "./recipe.ts";
import { run } from "./run.ts";
import type { Rock } from "./types.ts";

const HOST_PYTHON = "/usr/bin/python3";

export async function buildPythonRuntime(context: BuildContext, packages: string[]): Promise<Rock["mounts"]> {
  const venv = buildPath(context, "venv");
  context.log(`building the ${context.project.name} Python environment (pip install ${packages.join(" ")})`);
  await run("creating the rock's venv (needs Debian's python3 and python3-venv)", HOST_PYTHON, ["-m", "venv", "--copies", venv.work], { cwd: context.workDir });
  await run(
    "installing the rock's Python packages",
    join(venv.work, "bin", "python3"),
    ["-m", "pip", "install", "--disable-pip-version-check", "--no-input", "--quiet", ...packages],
    { cwd: context.project.dir },
  );
  const wrapper = buildPath(context, "rootfs/usr/bin/python3");
  await mkdir(dirname(wrapper.work), { recursive: true });
  await writeFile(wrapper.work, `#!/bin/sh\nexec ${venv.final}/bin/python3 "$@"\n`);
  await chmod(wrapper.work, 0o755);
  return [
    { hostPath: wrapper.final, containerPath: "/usr/bin/python3", readOnly: true },
    { hostPath: venv.final, containerPath: venv.final, readOnly: true },
  ];
}
