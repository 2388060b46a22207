#!/usr/bin/env bash
# The README's test command: everything CI checks, runnable on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== rustfmt"
cargo fmt --all -- --check
echo "== clippy (warnings are errors)"
cargo clippy --workspace --all-targets --locked -- -D warnings
echo "== tests (unit, conformance corpus, ruleset files, properties, CLI)"
cargo test --workspace --locked
