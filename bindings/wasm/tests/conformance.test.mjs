// The conformance corpus tests/cases/*.json through WASM, with the checks of
// crates/jianfu/tests/conformance.rs, plus: every item case's full verdict from WASM is
// byte-identical to the verdict the Rust `jianfu check --format json` prints for it.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { jianfu, repo } from "./jianfu.mjs";

const engine = new jianfu.Engine();
const casesDir = path.join(repo, "tests/cases");

function loadCases() {
  const out = [];
  for (const file of fs.readdirSync(casesDir).filter((f) => f.endsWith(".json")).sort()) {
    const cases = JSON.parse(fs.readFileSync(path.join(casesDir, file), "utf8"));
    assert.ok(Array.isArray(cases), `${file}: expected an array of cases`);
    for (const c of cases) out.push({ id: `${file}: ${c.name ?? "<unnamed>"}`, c });
  }
  return out;
}

const sorted = (v) => [...new Set(v ?? [])].sort();
function checkEq(what, want, got) {
  assert.deepStrictEqual(got, want, `${what}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
}
function checkSet(what, want, got) {
  checkEq(what, sorted(want), sorted(got));
}

function finding(verdict, rule) {
  const f = verdict.findings.find((x) => x.rule === rule);
  assert.ok(f, `no finding of ${rule}`);
  return f;
}

/** The optional `evidence` and `versions` expectations of an item case. */
function checkEvidence(expect, verdict) {
  for (const want of expect.evidence ?? []) {
    const evidence = finding(verdict, want.rule).evidence;
    const found = evidence.some((e) => e.field === want.field && (e.text ?? "").includes(want.text));
    assert.ok(found, `evidence: ${JSON.stringify(want)} not in ${JSON.stringify(evidence)}`);
  }
  if ("advisory" in expect) {
    checkSet("advisory", expect.advisory, verdict.findings.filter((f) => f.advisory).map((f) => f.rule));
  }
  for (const [rule, want] of Object.entries(expect.versions ?? {})) {
    const got = finding(verdict, rule).version;
    for (const [key, value] of Object.entries(want)) checkEq(`versions.${rule}.${key}`, value, got[key]);
  }
}

const engines = new Map();
/** The default engine, or the engine of the jurisdiction the case names. */
function engineFor(c) {
  if (c.jurisdiction === undefined) return engine;
  if (!engines.has(c.jurisdiction)) engines.set(c.jurisdiction, jianfu.Engine.forJurisdiction(c.jurisdiction));
  return engines.get(c.jurisdiction);
}

/** Runs one case like conformance.rs's run_case; returns what fired and the item kind. */
function runCase(c) {
  const engine = engineFor(c);
  const expect = c.expect;
  const asOf = c.as_of ?? "2026-03-02";
  if (c.item !== undefined) {
    const verdict = engine.check(c.item, asOf, c.register);
    const fired = verdict.findings.map((f) => f.rule);
    checkEq("decision", expect.decision, verdict.decision);
    checkSet("rules", expect.rules, fired);
    if ("missing" in expect) checkSet("missing", expect.missing, verdict.missing);
    if ("next_step" in expect) checkEq("next_step", expect.next_step, verdict.next_step);
    checkEvidence(expect, verdict);
    return { fired, kind: c.item.kind, asOf, verdict };
  }
  if (c.review !== undefined) {
    const review = engine.review(c.review, asOf);
    const fired = review.findings.map((f) => f.rule);
    checkEq("decision", expect.decision, review.decision);
    checkSet("rules", expect.rules, fired);
    if ("clauses" in expect) checkEq("clauses", expect.clauses, review.findings.length);
    return { fired };
  }
  if (c.plan !== undefined) {
    const report = engine.plan(c.plan, asOf, c.register);
    checkEq("decision", expect.decision, report.decision);
    const fired = [];
    const want = expect.verdicts ?? [];
    want.forEach((w, i) => {
      const got = report.verdicts[i];
      if (!got) return; // zip semantics, as in the Rust runner
      checkEq("verdicts[].item", w.item, got.item);
      checkEq("verdicts[].decision", w.decision, got.decision);
      const rules = got.findings.map((f) => f.rule);
      checkSet("verdicts[].rules", w.rules, rules);
      fired.push(...rules);
    });
    return { fired };
  }
  if (c.item_json !== undefined) {
    let error;
    try {
      engine.check(c.item_json, asOf);
    } catch (e) {
      error = e;
    }
    assert.ok(error, "expected an error, the item parsed");
    assert.ok(error instanceof Error, "errors reach JS as Error objects");
    checkEq("error", expect.error, error.code);
    if ("field" in expect) checkEq("field", expect.field, error.location?.field ?? "");
    return { fired: [] };
  }
  throw new Error("a case needs `item`, `review`, `plan` or `item_json`");
}

const cases = loadCases();
const outcomes = new Map();

test("the corpus has at least 80 cases", () => {
  assert.ok(cases.length >= 80, `the corpus needs at least 80 cases, has ${cases.length}`);
});

for (const { id, c } of cases) {
  test(id, () => {
    outcomes.set(id, runCase(c));
  });
}

test("every item rule is seen firing and seen applying without firing", () => {
  const rules = engine.rules().filter((r) => r.scope === "item");
  const firedSomewhere = new Set();
  const quietSomewhere = new Set();
  for (const o of outcomes.values()) {
    o.fired.forEach((r) => firedSomewhere.add(r));
    if (!o.kind) continue;
    for (const r of rules) {
      const inForce = r.effective.from <= o.asOf && (r.effective.to === undefined || o.asOf < r.effective.to);
      const applies = (r.kinds.length === 0 || r.kinds.includes(o.kind)) && inForce;
      if (applies && !o.fired.includes(r.id)) quietSomewhere.add(r.id);
    }
  }
  assert.equal(outcomes.size, cases.length, "every case ran");
  const gaps = [];
  for (const r of rules) {
    if (!firedSomewhere.has(r.id)) gaps.push(`${r.id} never fires`);
    if (!quietSomewhere.has(r.id)) gaps.push(`${r.id} never applies without firing`);
  }
  assert.deepStrictEqual(gaps, [], `corpus coverage gaps:\n${gaps.join("\n")}`);
});

// --- identical results: WASM verdict JSON == Rust CLI verdict JSON, for every item case ---

function jianfuBin() {
  const candidates = [process.env.JIANFU_BIN, path.join(repo, "target/debug/jianfu"), path.join(repo, "target/release/jianfu")];
  const found = candidates.find((p) => p && fs.existsSync(p));
  assert.ok(found, "the Rust `jianfu` command is needed (cargo build -p jianfu-cli, or set JIANFU_BIN)");
  return found;
}

test("every item case: the WASM verdict is byte-identical to the Rust verdict", () => {
  const bin = jianfuBin();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "jianfu-wasm-"));
  // Group the item cases by (as_of, register): one CLI run per group.
  const groups = new Map();
  for (const { id, c } of cases) {
    if (c.item === undefined) continue;
    const asOf = c.as_of ?? "2026-03-02";
    const key = JSON.stringify([asOf, c.register ?? null, c.jurisdiction ?? null]);
    if (!groups.has(key)) groups.set(key, { asOf, register: c.register, jurisdiction: c.jurisdiction, members: [] });
    groups.get(key).members.push({ id, c });
  }
  let compared = 0;
  let n = 0;
  for (const g of groups.values()) {
    n += 1;
    const items = path.join(dir, `items-${n}.jsonl`);
    fs.writeFileSync(items, g.members.map(({ c }) => JSON.stringify(c.item)).join("\n") + "\n");
    const args = ["check", items, "--as-of", g.asOf, "--format", "json"];
    if (g.jurisdiction !== undefined) args.push("--jurisdiction", g.jurisdiction);
    if (g.register !== undefined) {
      const reg = path.join(dir, `register-${n}.json`);
      fs.writeFileSync(reg, JSON.stringify(g.register));
      args.push("--register", reg);
    }
    let out;
    try {
      out = execFileSync(bin, args, { encoding: "utf8", maxBuffer: 1 << 28 });
    } catch (e) {
      // Exit code 1 means "some item prohibited": the output is still complete.
      if (e.status !== 1) throw e;
      out = e.stdout;
    }
    const lines = out.split("\n").filter((l) => l.trim() !== "");
    assert.equal(lines.length, g.members.length, "one CLI verdict per item");
    // The batch API must agree too: one call for the whole group.
    const groupEngine = engineFor(g.members[0].c);
    const many = groupEngine.checkMany(g.members.map(({ c }) => c.item), g.asOf, g.register);
    g.members.forEach(({ id, c }, i) => {
      const wasm = groupEngine.check(c.item, g.asOf, g.register);
      assert.equal(JSON.stringify(wasm), lines[i], `${id}: WASM and Rust verdicts differ`);
      assert.equal(JSON.stringify(many[i]), lines[i], `${id}: checkMany and Rust verdicts differ`);
      compared += 1;
    });
  }
  fs.rmSync(dir, { recursive: true, force: true });
  assert.equal(compared, cases.filter(({ c }) => c.item !== undefined).length);
});
