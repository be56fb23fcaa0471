#!/usr/bin/env bash
# The test command: installs what the tests need (idempotently) and runs everything —
# formatting, lints, unit + integration tests, doc tests and the Python reference checks.
# Usage: ./scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/alphafactory-target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
step() { printf '\n==> %s\n' "$*"; }

step "python reference tools (.venv)"
./scripts/setup-python.sh

step "alpha101 pandas reference regenerated and compared with its committed fixture (~15 s)"
.venv/bin/python scripts/fixtures/alpha101_reference.py --check

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy --all-targets -D warnings"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "tests"
if cargo nextest --version >/dev/null 2>&1; then
  cargo nextest run --workspace --locked --no-fail-fast
else
  cargo test --workspace --locked --no-fail-fast
fi

step "doc tests"
cargo test --workspace --doc --locked
