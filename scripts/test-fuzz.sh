#!/usr/bin/env bash
# Runs every cargo-fuzz target (fuzz/fuzz_targets) for a fixed, short time, starting from the
# committed seeds (fuzz/seeds/<target>). New inputs go to a scratch corpus, so the tree stays
# clean; a crash fails the run and leaves its input in fuzz/artifacts/<target>/.
# Needs the nightly toolchain (installed on these machines); installs cargo-fuzz if missing.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
SECONDS_EACH="${FUZZ_SECONDS:-20}"
if ! cargo +nightly --version >/dev/null 2>&1; then
  echo "fuzzing needs the nightly toolchain: rustup toolchain install nightly" >&2
  exit 1
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked
fi
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
cargo +nightly fuzz build
for target in $(cargo +nightly fuzz list); do
  mkdir -p "$scratch/$target"
  echo "-- $target (${SECONDS_EACH}s)"
  status=0
  cargo +nightly fuzz run "$target" "$scratch/$target" "seeds/$target" -- \
    -max_total_time="$SECONDS_EACH" -max_len=8192 -rss_limit_mb=2048 -print_final_stats=1 \
    >"$scratch/$target.log" 2>&1 || status=$?
  grep -E '^(Done|==[0-9]+== ERROR|SUMMARY)|panicked' "$scratch/$target.log" || true
  if [ "$status" -ne 0 ]; then
    tail -40 "$scratch/$target.log" >&2
    exit "$status"
  fi
done
