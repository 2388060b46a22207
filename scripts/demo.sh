#!/usr/bin/env bash
# The README's main job: the embedded default ruleset (national → Henan → Sanmenxia) against
# the bundled example items, draft, plan and register.
set -uo pipefail
cd "$(dirname "$0")/.."
# JIANFU_BIN: an already built jianfu (the README snippet test uses the debug build).
if [ -n "${JIANFU_BIN:-}" ]; then
    J="$JIANFU_BIN"
else
    cargo build --release --locked -q -p jianfu-cli
    J=target/release/jianfu
fi
AS_OF=2026-03-02
run() { echo; echo "\$ jianfu $*"; "$J" "$@"; echo "(exit $?)"; }
run check examples/items/anti-fraud-campus-entry.json --as-of "$AS_OF"
run check examples/items/app-download-drive.json --as-of "$AS_OF"
run check examples/items/batch.jsonl --as-of "$AS_OF" --register examples/registers/spring-2026.json
run review examples/drafts/draft-notice.txt --as-of "$AS_OF"
run review examples/drafts/county-notice.txt --as-of "$AS_OF"
run review tests/clauses/test.jsonl --eval --as-of "$AS_OF"
run plan examples/plans/smx-public-security-2026.json --as-of "$AS_OF"
run --jurisdiction mianchi check examples/items/mianchi-law-education.json --register examples/registers/mianchi-whitelist.json --as-of 2025-05-25
run rules lint
exit 0
