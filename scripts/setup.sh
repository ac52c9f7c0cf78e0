#!/usr/bin/env bash
# Creates .venv (Python 3.11+) and installs Glasswork with everything the demo and tests need.
# Safe to run again: it only installs what is missing or changed.
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-}
if [ -z "$python" ]; then
  for candidate in python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      python=$candidate
      break
    fi
  done
fi
if [ -z "$python" ]; then
  echo "setup: Python 3.11 or newer is required" >&2
  exit 1
fi

if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv with $($python --version)"
  "$python" -m venv .venv
fi

# The preview's browser tests drive Debian's Chromium through its driver. As root (CI, a fresh
# machine) they are installed with apt-get; elsewhere those tests are skipped until they are.
if ! { command -v chromium && command -v chromedriver; } >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing chromium and chromium-driver (apt-get) for the preview's browser tests"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
  else
    echo "setup: chromium and chromium-driver are missing: the preview's browser tests will skip"
  fi
fi

stamp=.venv/.glasswork-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "setup: installing glasswork[dev] into .venv"
  # This machine's pip configuration may list local package folders that do not exist; pip
  # warns about each one. Those lines are noise, everything else pip says is kept.
  quiet_pip() {
    .venv/bin/python -m pip install --quiet --disable-pip-version-check "$@" 2>&1 |
      { grep -v "is ignored: it is neither a file nor a directory" || true; }
    return "${PIPESTATUS[0]}"
  }
  quiet_pip --upgrade pip
  quiet_pip -e '.[dev]'
  touch "$stamp"
fi
