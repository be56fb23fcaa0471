#!/usr/bin/env bash
# Creates ./.venv with the pinned reference tools (arch, pandas, alphalens, empyrical, …) used to
# regenerate fixtures and run the side-by-side benchmarks. Idempotent: does nothing when the venv
# already matches scripts/requirements-fixtures.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
req=scripts/requirements-fixtures.txt
stamp=.venv/.requirements.sha256
want=$(sha256sum "$req" | cut -d' ' -f1)
if [ -x .venv/bin/python ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
python3 -m venv .venv
.venv/bin/pip install --quiet --disable-pip-version-check --upgrade pip
.venv/bin/pip install --quiet --disable-pip-version-check -r "$req"
echo "$want" > "$stamp"
echo "python reference tools installed in .venv"
