#!/usr/bin/env bash
# The README's test command: everything CI checks, runnable on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== rustfmt"
cargo fmt --all -- --check
echo "== clippy (warnings are errors)"
cargo clippy --workspace --all-targets --locked -- -D warnings
echo "== the core without its optional features (rules only: no csv, no charts)"
cargo clippy -p jianfu --no-default-features --locked -- -D warnings
echo "== tests (unit, conformance corpus, ruleset files, properties, CLI)"
cargo test --workspace --locked
echo "== the crate as published (cargo package; its tests run from the unpacked package)"
scripts/test-package.sh
echo "== fuzzing (every cargo-fuzz target, a fixed 20 s each, from the committed seeds)"
scripts/test-fuzz.sh
echo "== Python binding (venv, maturin, pytest: corpora, CLI parity, tables, errors, Dask and Spark partials)"
scripts/test-python.sh
echo "== WASM binding (build, tsc, node --test: corpora and parity, headless Chromium page test)"
scripts/test-wasm.sh
echo "== README snippets (every README's shell, Python, JavaScript, JSON and TOML blocks; Rust ones ran as doctests above)"
python3 scripts/test-readme.py
