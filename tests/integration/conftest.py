"""Fixtures for the integration suite.

The suite talks only to a `juju` command, and deploys every charm from a local path with images built on
this machine (no Charmhub, no registry), so the same tests run against this project's simulator and
against a real Juju controller whose cluster has the images imported. Environment:

- JUJU_CLI: the juju command to drive (default: `juju` on PATH).
- CHARM_PATH: the packed charm (default: dist/example-app_amd64.charm, built by `npm run pack`).
- APP_IMAGE, POSTGRESQL_IMAGE, INGRESS_IMAGE: the workload images of the example app, of the
  postgresql-k8s partner and of the ingress-proxy partner (default: localhost/<rock name>:<version> of
  rockcraft.yaml, tests/partners/postgresql-k8s/rock and tests/partners/ingress-proxy/rock). The simulator
  builds each from the rockcraft project of that name.
- KEEP_MODEL=1 keeps the model afterwards.

The partner charms (tests/partners) are packed here with tests/partners/pack.py.
"""

import os
import pathlib
import platform
import shutil
import subprocess
import sys
import uuid

import jubilant
import pytest
import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
ARCH = "arm64" if platform.machine() in ("aarch64", "arm64") else "amd64"
PARTNERS = ROOT / "tests" / "partners"

sys.path.insert(0, str(PARTNERS))
import pack  # noqa: E402  (tests/partners/pack.py)


def _juju_cli() -> str:
    cli = os.environ.get("JUJU_CLI", "juju")
    path = shutil.which(cli)
    if path is None:
        pytest.fail(
            f"no juju command found ({cli!r}): set JUJU_CLI to a juju CLI with a bootstrapped controller, "
            "or run `npm test`, which points it at the project's simulator",
            pytrace=False,
        )
    try:
        subprocess.run([path, "models", "--format", "json"], check=True, capture_output=True, timeout=60)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
        stderr = getattr(error, "stderr", b"") or b""
        pytest.fail(f"{path} cannot reach a controller: {stderr.decode(errors='replace').strip()}", pytrace=False)
    return path


@pytest.fixture(scope="module")
def juju():
    instance = jubilant.Juju(cli_binary=_juju_cli(), wait_timeout=15 * 60)
    model = f"it-{uuid.uuid4().hex[:8]}"
    instance.add_model(model)
    # Juju's shortest update-status interval, so the steps that wait for one wait at most a minute.
    instance.model_config({"update-status-hook-interval": "1m"})
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


def _image(variable: str, rock_dir: pathlib.Path) -> str:
    rock = yaml.safe_load((rock_dir / "rockcraft.yaml").read_text())
    return os.environ.get(variable, f"localhost/{rock['name']}:{rock['version']}")


@pytest.fixture(scope="module")
def app_image() -> str:
    return _image("APP_IMAGE", ROOT)


@pytest.fixture(scope="module")
def partners(tmp_path_factory) -> dict[str, tuple[pathlib.Path, dict[str, str]]]:
    """Each partner charm packed, with the resources it deploys with."""
    out = tmp_path_factory.mktemp("partners")
    return {
        "postgresql-k8s": (
            pack.pack(PARTNERS / "postgresql-k8s" / "charm", out / "postgresql-k8s.charm", (PARTNERS / "lib",)),
            {"postgresql-image": _image("POSTGRESQL_IMAGE", PARTNERS / "postgresql-k8s" / "rock")},
        ),
        "ingress-proxy": (
            pack.pack(PARTNERS / "ingress-proxy" / "charm", out / "ingress-proxy.charm", (PARTNERS / "lib",)),
            {"proxy-image": _image("INGRESS_IMAGE", PARTNERS / "ingress-proxy" / "rock")},
        ),
    }
