"""Fixtures for the integration suite.

The suite talks only to a `juju` command, so the same tests run against a real Juju controller (with
MicroK8s) and against this project's simulator. Environment:

- JUJU_CLI: the juju command to drive (default: `juju` on PATH).
- CHARM_PATH: the packed charm (default: dist/example-app_amd64.charm, built by `npm run pack`).
- APP_IMAGE: the app-image resource, the example app's OCI image (built from rockcraft.yaml with
  `rockcraft pack` and pushed to a registry the cluster reaches). The simulator builds the rock
  locally from app/ and accepts any value.
"""

import os
import pathlib
import platform
import shutil
import subprocess
import uuid

import jubilant
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
ARCH = "arm64" if platform.machine() in ("aarch64", "arm64") else "amd64"


def _juju_cli() -> str:
    cli = os.environ.get("JUJU_CLI", "juju")
    path = shutil.which(cli)
    if path is None:
        pytest.skip(
            f"no juju command found ({cli!r}): set JUJU_CLI to a juju CLI with a bootstrapped controller, "
            "or run `npm test`, which points it at the project's simulator",
            allow_module_level=True,
        )
    try:
        subprocess.run([path, "models", "--format", "json"], check=True, capture_output=True, timeout=60)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
        stderr = getattr(error, "stderr", b"") or b""
        pytest.skip(f"{path} cannot reach a controller: {stderr.decode(errors='replace').strip()}", allow_module_level=True)
    return path


@pytest.fixture(scope="module")
def juju():
    instance = jubilant.Juju(cli_binary=_juju_cli(), wait_timeout=15 * 60)
    model = f"it-{uuid.uuid4().hex[:8]}"
    instance.add_model(model)
    try:
        yield instance
    finally:
        if os.environ.get("KEEP_MODEL") != "1":
            instance.destroy_model(model, destroy_storage=True, force=True)


@pytest.fixture(scope="module")
def charm_path() -> pathlib.Path:
    path = pathlib.Path(os.environ.get("CHARM_PATH", ROOT / "dist" / f"example-app_{ARCH}.charm"))
    if not path.is_file():
        pytest.fail(f"{path} does not exist: run `npm run pack -- --out dist` first")
    return path.resolve()


@pytest.fixture(scope="module")
def app_image() -> str:
    return os.environ.get("APP_IMAGE", "localhost:32000/example-app:0.1")
