"""Build the worker Lambda's package: ``python examples/app/deploy/build.py ARTIFACTS_DIR``.

Run by ``sam build`` through ``Makefile``. The package holds:

- the runtime dependencies of ``requirements.txt``, as the wheels of the Lambda runtime
  (``LAMBDA_PYTHON_VERSION``, default 3.12; ``LAMBDA_PLATFORM``, default ``manylinux2014_aarch64``
  for the template's arm64), whatever the building machine; ``LAMBDA_PLATFORM=host`` installs
  the building interpreter's own wheels instead (to run the package on this machine, as the
  tests do);
- ``glasswork`` and ``glasswork_email`` without the parts only developers run (the template
  compiler, the CLIs, the test helpers, the mypy plugin);
- the app (``examples/app``) with its generated email package, without the template and this
  folder;
- bytecode, when the building interpreter is the runtime's version (Lambda cannot write it).
"""

from __future__ import annotations

import compileall
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
REQUIREMENTS = Path(__file__).resolve().parent / "requirements.txt"
LEFT_OUT = (
    "glasswork/cli",
    "glasswork/testing",
    "glasswork/mypy_plugin",
    "glasswork_email/compiler",
    "glasswork_email/cli.py",
    "glasswork_email/preview",
    "glasswork_email/lint",
    "examples/app/template.yaml",
    "examples/app/deploy",
    "examples/demo.py",
)
"""Paths of the repository that stay out of the package (development-only)."""


def main(artifacts: Path) -> None:
    """Fill ``artifacts`` with the package (see the module doc)."""
    import os

    artifacts.mkdir(parents=True, exist_ok=True)
    version = os.environ.get("LAMBDA_PYTHON_VERSION", "3.12")
    platform = os.environ.get("LAMBDA_PLATFORM", "manylinux2014_aarch64")
    install = [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    install += ["--no-compile", "--target", str(artifacts), "-r", str(REQUIREMENTS)]
    if platform != "host":
        install += ["--platform", platform, "--python-version", version]
        install += ["--implementation", "cp", "--only-binary=:all:"]
    subprocess.run(install, check=True)
    for package in ("glasswork", "glasswork_email", "examples/app"):
        _copy(ROOT / package, artifacts / package)
    (artifacts / "examples" / "__init__.py").write_text((ROOT / "examples/__init__.py").read_text())
    host = f"{sys.version_info.major}.{sys.version_info.minor}"
    if platform == "host" or host == version:
        compileall.compile_dir(artifacts, quiet=1, workers=0)


def _copy(source: Path, target: Path) -> None:
    def ignore(folder: str, names: list[str]) -> list[str]:
        here = Path(folder).relative_to(ROOT)
        return [
            name
            for name in names
            if name in ("__pycache__", ".mypy_cache")
            or str(here / name) in LEFT_OUT
            or name.endswith((".pyc", ".pyi"))
        ]

    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target, ignore=ignore)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
