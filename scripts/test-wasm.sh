#!/usr/bin/env bash
# Every WASM check, on a fresh machine: build the package (web + nodejs), npm install,
# TypeScript declarations (tsc --noEmit), the Node tests (conformance + scoring corpora through
# WASM, verdicts byte-identical to the Rust CLI, the JS API), and the headless-Chromium test of
# the web page. Exits non-zero on the first failure.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
wasm="$root/bindings/wasm"
cd "$root"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"
    elif command -v sudo >/dev/null 2>&1; then sudo "$@"
    else echo "need root for: $*" >&2; return 1; fi
}
apt_install() {
    local missing=()
    for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
    [ "${#missing[@]}" = 0 ] && return 0
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
}

step "node.js and npm"
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || apt_install nodejs npm
node --version

step "build the WASM package (bindings/wasm/build.sh)"
"$wasm/build.sh"

step "the Rust jianfu command (the reference the WASM verdicts are compared with)"
cargo build -p jianfu-cli
export JIANFU_BIN="$root/target/debug/jianfu"

step "npm install (bindings/wasm)"
cd "$wasm"
if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi

step "TypeScript declarations: tsc --noEmit"
npx --no-install tsc --noEmit -p tsconfig.json
# … and under a default tsconfig (no esnext lib), as a new project has it.
npx --no-install tsc --noEmit -p tests/types/tsconfig.default.json

step "node --test: corpora through WASM, identical verdicts, JS API"
node --test tests/*.test.mjs

step "browser test: headless Chromium"
if [ -z "${CHROMIUM:-}" ] && ! [ -x /usr/bin/chromium ]; then
    apt_install chromium fonts-noto-cjk
fi
node --test tests/browser.e2e.mjs

step "WASM tests passed"
