#!/usr/bin/env bash
# Sets up .venv if needed, then runs the linters, the strict type check and the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

echo "== ruff"
.venv/bin/ruff check glasswork glasswork_email tests benchmarks examples
.venv/bin/ruff format --check glasswork glasswork_email tests benchmarks examples
echo "== mypy --strict"
.venv/bin/mypy glasswork glasswork_email examples
echo "== pytest"
.venv/bin/pytest "$@"
