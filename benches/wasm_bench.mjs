// WASM benchmarks under Node.js, side by side with the native criterion numbers:
// the same single-item check (examples/items/anti-fraud-campus-entry.json), batch check
// (examples/items/batch.jsonl) and review (examples/drafts/draft-notice.txt repeated to ~1 MB)
// as benches/check.rs.
//
//   JIANFU_WASM_FEATURES=bench bindings/wasm/build.sh   # makes bindings/wasm/pkg-bench/node
//   cargo bench -p jianfu --bench check                 # native core numbers (target/criterion)
//   cargo bench -p jianfu-wasm --bench ffi_native       # native JSON-in/JSON-out numbers
//   node benches/wasm_bench.mjs                         # WASM, and the ratio to native
//   node benches/wasm_bench.mjs --native                # runs the cargo bench first
//
// Two layers: "core" runs the same work as benches/check.rs inside WASM (a parsed item, parsed
// items, the review; the loop runs in WASM through a benchmark hook), so the ratio is WASM vs
// native for the same code. "API" is the JS API as a caller uses it (JS object or JSON text in,
// plain JS values out), against the same JSON-in/JSON-out calls through jianfu::ffi natively.
import { createRequire } from "node:module";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
// The benchmark build (with the `benchCore` hook), which the published package never has.
const pkg = path.join(repo, "bindings/wasm/pkg-bench/node/jianfu.js");
const { Engine } = require(pkg);

if (process.argv.includes("--native")) {
  execFileSync("cargo", ["bench", "-p", "jianfu", "--bench", "check"], { cwd: repo, stdio: "inherit" });
  execFileSync("cargo", ["bench", "-p", "jianfu-wasm", "--bench", "ffi_native"], { cwd: repo, stdio: "inherit" });
}

const AS_OF = "2026-03-02";
const typicalText = fs.readFileSync(path.join(repo, "examples/items/anti-fraud-campus-entry.json"), "utf8");
const typical = JSON.parse(typicalText);
const batchText = fs.readFileSync(path.join(repo, "examples/items/batch.jsonl"), "utf8");
const batch = batchText.split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l));
const draft = fs.readFileSync(path.join(repo, "examples/drafts/draft-notice.txt"), "utf8");
const draftBytes = Buffer.byteLength(draft);
const big = draft.repeat(Math.floor((1 << 20) / draftBytes) + 1);
const bigBytes = Buffer.byteLength(big);

const engine = new Engine();

/** Median seconds per call over `samples` samples of about `ms` milliseconds each. */
function measure(fn, { ms = 300, samples = 9 } = {}) {
  for (let i = 0; i < 3; i++) fn(); // warm up
  let iters = 1;
  for (;;) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < iters; i++) fn();
    const dt = Number(process.hrtime.bigint() - t0) / 1e6;
    if (dt >= ms / 4) {
      iters = Math.max(1, Math.round((iters * ms) / Math.max(dt, 1e-3)));
      break;
    }
    iters *= 4;
  }
  const per = [];
  for (let s = 0; s < samples; s++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < iters; i++) fn();
    per.push(Number(process.hrtime.bigint() - t0) / 1e9 / iters);
  }
  per.sort((a, b) => a - b);
  return per[Math.floor(per.length / 2)];
}

function native(name) {
  // criterion writes target/criterion/<group>/<function>/new/estimates.json, with "/" in a
  // group name (or a bare function id) turned into "_".
  const parts = name.split("/");
  const candidates = [parts.join("_"), path.join(parts.slice(0, -1).join("_"), parts.at(-1))];
  const file = candidates.map((c) => path.join(repo, "target/criterion", c, "new/estimates.json")).find((f) => fs.existsSync(f));
  if (!file) return null;
  const est = JSON.parse(fs.readFileSync(file, "utf8"));
  return (est.median ?? est.mean).point_estimate / 1e9; // seconds per iteration
}

let sink = 0;
const results = [];
const us = (s) => `${(s * 1e6).toFixed(2)} µs`;
const items = (x) => `${(batch.length / x / 1e6).toFixed(3)} M items/s`;
const mibs = (x) => `${(bigBytes / x / 1048576).toFixed(1)} MiB/s`;
const { benchCore } = require(pkg);

/** Core work in WASM, as benches/check.rs measures it natively: the loop runs inside WASM. */
function core(op, input, times) {
  const s = measure(() => (sink += benchCore(engine, op, input, AS_OF, times)), { ms: 400 });
  return s / times;
}

// 1. The core, like for like with benches/check.rs (target: within 3× of native).
results.push({ layer: "core", name: "single item check (parsed item)", wasm: core("check", typicalText, 2000), native: native("check/single_item"), show: us, nativeName: "check/single_item" });
results.push({ layer: "core", name: `batch check_many (${batch.length} parsed items)`, wasm: core("check_many", batchText, 200), native: native("check/batch/check_many"), show: items, nativeName: "check/batch/check_many" });
results.push({ layer: "core", name: `review ${(bigBytes / 1048576).toFixed(2)} MiB`, wasm: core("review", big, 1), native: native("review/review_1mb"), show: mibs, nativeName: "review/review_1mb" });

// 2. The JS API as a caller uses it (JSON in, plain JS values out), against the same calls
//    through jianfu::ffi natively (bindings/wasm/benches/ffi_native.rs).
results.push({ layer: "API", name: "engine.check(object) → Verdict", wasm: measure(() => (sink += engine.check(typical, AS_OF).findings.length)), native: native("ffi/check_json"), show: us, nativeName: "ffi/check_json" });
results.push({ layer: "API", name: "engine.check(JSON text) → Verdict", wasm: measure(() => (sink += engine.check(typicalText, AS_OF).findings.length)), native: native("ffi/check_json"), show: us, nativeName: "ffi/check_json" });
results.push({ layer: "API", name: `engine.checkMany(${batch.length} objects)`, wasm: measure(() => (sink += engine.checkMany(batch, AS_OF).length), { ms: 600 }), native: native("ffi/batch/check_many_json"), show: items, nativeName: "ffi/batch/check_many_json" });
results.push({ layer: "API", name: `engine.checkMany(JSON Lines)`, wasm: measure(() => (sink += engine.checkMany(batchText, AS_OF).length), { ms: 600 }), native: native("ffi/batch/check_many_json"), show: items, nativeName: "ffi/batch/check_many_json" });
results.push({ layer: "API", name: `engine.review(${(bigBytes / 1048576).toFixed(2)} MiB) → Review`, wasm: measure(() => (sink += engine.review(big, AS_OF).findings.length), { ms: 800, samples: 7 }), native: native("ffi/review/review_json_1mb"), show: mibs, nativeName: "ffi/review/review_json_1mb" });

console.log(`jianfu WASM benchmarks — Node ${process.version}, ${new Date().toISOString()}`);
console.log("| layer | benchmark | WASM (Node) | native | WASM / native time |");
console.log("|---|---|---|---|---|");
for (const r of results) {
  const ratio = r.native ? `${(r.wasm / r.native).toFixed(2)}×` : "n/a";
  console.log(`| ${r.layer} | ${r.name} | ${r.show(r.wasm)} | ${r.native ? `${r.show(r.native)} (${r.nativeName})` : `— (run cargo bench for ${r.nativeName})`} | ${ratio} |`);
}
if (results.some((r) => !r.native)) {
  console.log("\nNative numbers come from target/criterion: `cargo bench -p jianfu --bench check` and `cargo bench -p jianfu-wasm --bench ffi_native`, or pass --native.");
}
if (sink < 0) console.log(sink);
