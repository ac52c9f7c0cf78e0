#!/usr/bin/env bash
# Sets up .venv if needed, then runs the end-to-end demo on an embedded local AWS (no account).
set -euo pipefail
cd "$(dirname "$0")/.."
GLASSWORK_SETUP_SAM=0 bash scripts/setup.sh
exec .venv/bin/python -m examples.demo "$@"
