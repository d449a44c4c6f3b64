"""Packs an ops charm directory the way charmcraft does, without charmcraft: the charm's files, the given
library directories' modules in lib/ (as charmcraft packs charm libraries), ops and its dependencies from
PyPI in venv/ (the charm's dispatch puts both on PYTHONPATH), and a manifest.yaml naming the Ubuntu 24.04
base the charm container runs, zipped with their modes. Used by the integration suite
(tests/integration/conftest.py) for the partner charms and by tests/simulator/opsCharm.test.ts.

    python3 tests/partners/pack.py <charm dir> <output .charm> [<library dir> ...]
"""

import datetime
import os
import pathlib
import platform
import shutil
import subprocess
import sys
import tempfile
import zipfile

OPS_VERSION = "3.9.0"
ARCH = "arm64" if platform.machine() in ("aarch64", "arm64") else "amd64"


def manifest() -> str:
    started = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None).isoformat()
    return (
        f"charmcraft-started-at: '{started}'\n"
        "bases:\n- name: ubuntu\n  channel: '24.04'\n  architectures:\n"
        f"  - {ARCH}\n"
    )


def pack(charm_dir: pathlib.Path, output: pathlib.Path, libraries: tuple[pathlib.Path, ...] = ()) -> pathlib.Path:
    with tempfile.TemporaryDirectory(prefix="pack-charm-") as scratch:
        source = pathlib.Path(scratch) / "charm"
        shutil.copytree(charm_dir, source, ignore=shutil.ignore_patterns("__pycache__", "*.charm"))
        for library in libraries:
            shutil.copytree(library, source / "lib", ignore=shutil.ignore_patterns("__pycache__"), dirs_exist_ok=True)
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--only-binary", ":all:",
             "--target", str(source / "venv"), f"ops=={OPS_VERSION}"],
            check=True,
        )
        (source / "manifest.yaml").write_text(manifest())
        output.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(source.rglob("*")):
                if path.is_dir() or "__pycache__" in path.parts:
                    continue
                entry = zipfile.ZipInfo(str(path.relative_to(source)), date_time=(1980, 1, 1, 0, 0, 0))
                entry.external_attr = (os.stat(path).st_mode & 0o777 | 0o100000) << 16
                entry.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(entry, path.read_bytes())
    return output


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit("usage: pack.py <charm dir> <output .charm> [<library dir> ...]")
    print(pack(pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), tuple(pathlib.Path(arg) for arg in sys.argv[3:])))
