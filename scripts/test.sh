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
echo "== pyright"
# tests/ is not yet pyright-clean (stub-less test libraries, TypedDict key access), so not listed
.venv/bin/pyright glasswork glasswork_email examples
echo "== generated email package is up to date with templates/"
.venv/bin/glasswork-email compile templates --out examples/app/emails --check
echo "== pytest"
.venv/bin/pytest "$@"
