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

# This machine's pip configuration may list local package folders that do not exist; pip warns
# about each one. Those lines are noise; what pip collects and installs is shown as progress,
# so a first install (minutes) is never silent.
pip_with_progress() {
  local python=$1
  shift
  "$python" -m pip install --disable-pip-version-check --progress-bar off "$@" 2>&1 |
    { fetched=0
    while IFS= read -r line; do
      case $line in
        *"is ignored: it is neither a file nor a directory"*) ;;
        Collecting\ *)
          fetched=$((fetched + 1))
          echo "setup:   [$fetched] ${line#Collecting }" ;;
        "Installing collected packages:"*)
          echo "setup:   installing $(echo "${line#*: }" | tr ',' '\n' | wc -l) packages" ;;
        "Successfully installed"*) echo "setup:   done" ;;
        Requirement\ already\ satisfied*|Using\ cached*|Downloading*|Obtaining*|Checking*) ;;
        Preparing*|Building*|Created*|Stored*|Getting*|Installing\ build*|Looking*) ;;
        Attempting*|Found\ existing*|Uninstalling*|"  "*) ;;
        *) echo "$line" ;;
      esac
    done; }
  return "${PIPESTATUS[0]}"
}

stamp=.venv/.glasswork-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "setup: installing glasswork[dev] into .venv (a few minutes on a fresh machine)"
  pip_with_progress .venv/bin/python --quiet --upgrade pip
  pip_with_progress .venv/bin/python -e '.[dev]'
  touch "$stamp"
fi

# AWS SAM CLI builds and validates the deployment (tests/examples/test_deploy.py). It lives in
# its own virtual environment so its pins never fight the project's. The demo does not need it
# (GLASSWORK_SETUP_SAM=0).
sam_stamp=.venv-sam/.glasswork-installed
if [ "${GLASSWORK_SETUP_SAM:-1}" != "0" ] && [ ! -f "$sam_stamp" ]; then
  echo "setup: installing AWS SAM CLI into .venv-sam (for sam build and sam validate)"
  [ -x .venv-sam/bin/python ] || "$python" -m venv .venv-sam
  pip_with_progress .venv-sam/bin/python --quiet --upgrade pip
  pip_with_progress .venv-sam/bin/python "aws-sam-cli>=1.120,<2"
  touch "$sam_stamp"
fi
