#!/usr/bin/env bash
# Builds the jianfu WASM package: bindings/wasm/pkg/web (ES module for browsers) and
# bindings/wasm/pkg/node (CommonJS for Node.js), each with jianfu_bg.wasm, JS glue and .d.ts.
#
# Works on a fresh machine: tries the ordinary rustup target first; where rustup cannot download
# targets, falls back to Debian's rustc-web + rust-web-src with `-Z build-std` (see
# shared/TOOLCHAIN.md). Installs wasm-bindgen-cli (pinned to the crate's version) when missing,
# and runs wasm-opt when binaryen is present. The wasm build uses its own target dir
# (target/wasm) and size-oriented profile settings given through the environment, so the native
# build and its release profile are untouched.
#
# Environment: JIANFU_WASM_OPT_LEVEL (default "s"), JIANFU_WASM_NO_OPT=1 to skip wasm-opt,
# JIANFU_WASM_BUILD_STD=1 to use the build-std path even where rustup has the target,
# JIANFU_WASM_FEATURES=bench for the benchmark build (benchCore), written to pkg-bench/ instead
# of pkg/ so the published package never has the hook.
#
# Root is needed only to install what is missing (Debian packages); with the tools present it
# runs as any user, and without root it names the packages to install and stops.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

target=wasm32-unknown-unknown
features="${JIANFU_WASM_FEATURES:-}"
pkg="$here/pkg"
feature_args=()
if [ -n "$features" ]; then
    pkg="$here/pkg-bench"
    feature_args=(--features "$features")
    # Its own target dir, so the release build's artifacts stay as they are.
    target_suffix="-$features"
fi
target_dir="$root/target/wasm${target_suffix:-}"
bindgen_version="$(sed -n 's/^wasm-bindgen *= *"=\([0-9.]*\)".*/\1/p' Cargo.toml | head -n1)"
bindgen_version="${bindgen_version:-0.2.130}"

log() { printf '\033[1m[build.sh]\033[0m %s\n' "$*" >&2; }

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"
    else sudo -n "$@"; fi
}

apt_install() {
    # Installs Debian packages that are missing; `apt-get update` first on a fresh machine.
    # Without root (or password-less sudo) it says what to install and fails.
    local missing=()
    for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
    [ "${#missing[@]}" = 0 ] && return 0
    if [ "$(id -u)" != 0 ] && ! sudo -n true 2>/dev/null; then
        log "missing Debian packages: ${missing[*]}"
        log "install them as root (apt-get install -y ${missing[*]}), then run build.sh again"
        return 1
    fi
    log "apt-get install ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
}

# Size-oriented settings for this build only (the native release profile is not changed).
export CARGO_PROFILE_RELEASE_OPT_LEVEL="${JIANFU_WASM_OPT_LEVEL:-s}"
export CARGO_PROFILE_RELEASE_LTO=fat
export CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1
export CARGO_PROFILE_RELEASE_PANIC=abort
export CARGO_PROFILE_RELEASE_DEBUG=false
export CARGO_PROFILE_RELEASE_STRIP=debuginfo

built=""
# 1. The ordinary path: rustup's wasm32 target (JIANFU_WASM_BUILD_STD=1 skips it).
if [ -z "${JIANFU_WASM_BUILD_STD:-}" ] && command -v rustup >/dev/null 2>&1; then
    if rustup target list --installed 2>/dev/null | grep -qx "$target" ||
        rustup target add "$target" >/dev/null 2>&1; then
        log "building with rustup's $target target"
        if cargo build --release --target "$target" --target-dir "$target_dir" -p jianfu-wasm "${feature_args[@]}"; then
            built=yes
        else
            log "rustup target build failed; trying the build-std path"
        fi
    else
        log "rustup cannot add $target here; using Debian's rustc-web with -Z build-std"
    fi
fi

# 2. The fallback: Debian's rustc-web + rust-web-src, std built for wasm32 by cargo itself.
if [ -z "$built" ]; then
    apt_install rustc-web cargo-web rust-web-src
    # rust-lld comes from rustup's toolchain (Debian's rustc-web has no wasm linker).
    host="$(rustc -vV | sed -n 's/^host: //p')"
    lld="$(rustc --print sysroot)/lib/rustlib/$host/bin/rust-lld"
    if [ ! -x "$lld" ]; then
        lld="$(command -v rust-lld || command -v wasm-ld || true)"
    fi
    [ -x "$lld" ] || { log "no wasm linker (rust-lld / wasm-ld) found"; exit 1; }
    # Its own target dir: artifacts of the two toolchains never overwrite each other.
    target_dir="$root/target/wasm-build-std${target_suffix:-}"
    log "building with /usr/bin/cargo -Z build-std (linker $lld)"
    RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 \
        CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER="$lld" \
        /usr/bin/cargo build --release --target "$target" \
        -Z build-std=std,panic_abort --target-dir "$target_dir" -p jianfu-wasm "${feature_args[@]}"
fi

wasm="$target_dir/$target/release/jianfu_wasm.wasm"
[ -f "$wasm" ] || { log "missing $wasm"; exit 1; }

# 3. wasm-bindgen-cli, exactly the crate's version.
if ! command -v wasm-bindgen >/dev/null 2>&1 ||
    [ "$(wasm-bindgen --version | awk '{print $2}')" != "$bindgen_version" ]; then
    log "cargo install wasm-bindgen-cli --version =$bindgen_version"
    # No --locked: one of its locked dependencies is missing from the registry mirror.
    cargo install wasm-bindgen-cli --version "=$bindgen_version"
fi

smoke() {
    # The package must load under Node.js and check an item.
    node -e '
const j = require(process.argv[1]);
const e = new j.Engine();
const v = e.check({id: "x", kind: "meeting", title: "t", issuer: {name: "n", kind: "education", level: "city"}}, "2026-03-02");
if (!v.decision) process.exit(1);' "$1"
}

bindgen() {
    rm -rf "$pkg/web" "$pkg/node"
    wasm-bindgen --target web --out-dir "$pkg/web" --out-name jianfu "$1"
    wasm-bindgen --target nodejs --out-dir "$pkg/node" --out-name jianfu "$1"
    # The classes' `[Symbol.dispose]` needs `Symbol.dispose` declared: TypeScript declares it
    # only with lib esnext, so a default tsconfig failed on the package. Declared here as
    # @types/node does; it merges with the lib's own declaration where that is present.
    for dts in "$pkg/web/jianfu.d.ts" "$pkg/node/jianfu.d.ts"; do
        printf '%s\n' \
            'declare global {' \
            '  interface SymbolConstructor {' \
            '    readonly dispose: unique symbol;' \
            '  }' \
            '}' >>"$dts"
    done
    # One init for every build: `init` in both, an ES module entry for Node.js.
    node "$here/entry.mjs" "$pkg"
}

# 4. Optional: binaryen's wasm-opt, run on cargo's output before wasm-bindgen (Debian's
#    wasm-opt 108 breaks wasm-bindgen's externref table when run after it). The result must
#    load and check an item, else the unoptimised module is used.
opt="$target_dir/jianfu_wasm.opt.wasm"
optimised=""
if [ -z "${JIANFU_WASM_NO_OPT:-}" ]; then
    if ! command -v wasm-opt >/dev/null 2>&1; then
        apt_install binaryen || log "binaryen not installed; skipping wasm-opt"
    fi
    if command -v wasm-opt >/dev/null 2>&1 &&
        wasm-opt -Oz --enable-reference-types --enable-bulk-memory --enable-nontrapping-float-to-int \
            --enable-sign-ext --enable-mutable-globals --enable-multivalue "$wasm" -o "$opt"; then
        bindgen "$opt"
        if smoke "$pkg/node/jianfu.js"; then
            optimised=yes
            log "wasm-opt -Oz: $(wc -c <"$wasm") -> $(wc -c <"$opt") bytes before wasm-bindgen"
        else
            log "the wasm-opt output does not load; using the unoptimised module"
        fi
    fi
fi
if [ -z "$optimised" ]; then
    bindgen "$wasm"
fi
smoke "$pkg/node/jianfu.js" || { log "the built package does not load under Node.js"; exit 1; }

if [ -n "$features" ]; then
    log "benchmark build in $pkg (features: $features)"
    exit 0
fi

# 5. The single-file page for use straight from disk (file://): pkg/offline/jianfu.html.
node "$here/web/offline.mjs"

# The licence travels in the npm package (npm packs a LICENSE beside package.json).
cp "$root/LICENSE" "$here/LICENSE"

raw=$(wc -c <"$pkg/web/jianfu_bg.wasm")
gz=$(gzip -9 -c "$pkg/web/jianfu_bg.wasm" | wc -c)
log "jianfu_bg.wasm: $raw bytes raw, $gz bytes gzipped (-9)"
printf '{"wasm_bytes": %s, "wasm_gzip_bytes": %s}\n' "$raw" "$gz" >"$pkg/size.json"
