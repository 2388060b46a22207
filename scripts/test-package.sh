#!/usr/bin/env bash
# The core crate as crates.io would get it: `cargo package` (which builds the packaged sources),
# then the packaged crate's own tests and doctests run from the unpacked package, so a test that
# reads a file the package lacks fails here. The workspace's target dir is reused.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo package -p jianfu --locked --allow-dirty
version=$(cargo metadata --format-version 1 --no-deps --locked \
    | python3 -c 'import json,sys; print(next(p["version"] for p in json.load(sys.stdin)["packages"] if p["name"] == "jianfu"))')
(
    cd "target/package/jianfu-$version"
    CARGO_TARGET_DIR="$PWD/../.." cargo test --locked
)
