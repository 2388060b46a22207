// The scoring and monitoring corpus tests/scoring/*.json through WASM, with the checks of
// crates/jianfu/tests/scoring.rs; and the typed-column input (Tables.fromColumns) gives the
// same report as row input.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { jianfu, repo } from "./jianfu.mjs";

const engine = new jianfu.Engine();
const dir = path.join(repo, "tests/scoring");
const cases = [];
for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".json")).sort()) {
  for (const c of JSON.parse(fs.readFileSync(path.join(dir, file), "utf8"))) {
    cases.push({ id: `${file}: ${c.name ?? "?"}`, c });
  }
}

const close = (want, got) => typeof got === "number" && Math.abs(want - got) <= 1e-9 * Math.max(Math.abs(want), 1);

function tables(c) {
  // Schools alone must read cleanly, as in the Rust runner.
  const schoolsOnly = jianfu.Tables.read("[]", c.schools);
  assert.deepStrictEqual(schoolsOnly.errors, []);
  return jianfu.Tables.read(c.events_csv ?? c.events, c.schools);
}

function run(c) {
  const expect = c.expect;
  const problems = [];
  const check = (ok, what) => {
    if (!ok) problems.push(what);
  };
  if (expect.refused) {
    try {
      tables(c);
      check(false, `expected the table refused (${JSON.stringify(expect.refused)})`);
    } catch (e) {
      const got = { code: e.code, line: e.location?.line ?? null, field: e.location?.field ?? null };
      check(JSON.stringify(got) === JSON.stringify(expect.refused), `refused: expected ${JSON.stringify(expect.refused)}, got ${JSON.stringify(got)}`);
    }
    assert.deepStrictEqual(problems, [], problems.join("\n    "));
    return null;
  }
  const t = tables(c);
  const errors = t.errors.map((e) => ({ code: e.code, line: e.location?.line ?? null, field: e.location?.field ?? null }));
  if (expect.errors) {
    check(expect.errors.length === errors.length, `errors: expected ${JSON.stringify(expect.errors)}, got ${JSON.stringify(errors)}`);
    expect.errors.forEach((w, i) => {
      for (const key of ["code", "line", "field"]) {
        if (key in w) check(errors[i] && w[key] === errors[i][key], `errors[].${key}: expected ${w[key]}, got ${errors[i]?.[key]}`);
      }
    });
  } else {
    check(errors.length === 0, `unexpected errors: ${JSON.stringify(errors)}`);
  }
  if ("events_read" in expect) check(expect.events_read === t.eventsRead, `events_read: expected ${expect.events_read}, got ${t.eventsRead}`);

  const { report: doc } = engine.score(t, c.period);
  for (const [id, want] of Object.entries(expect.schools ?? {})) {
    const got = doc.schools.find((s) => s.school_id === id);
    if (!got) {
      check(false, `school ${id} missing`);
      continue;
    }
    for (const key of ["index", "burden", "hours"]) if (key in want) check(close(want[key], got[key]), `schools.${id}.${key}: expected ${want[key]}, got ${got[key]}`);
    for (const key of ["events", "band"]) if (key in want) check(want[key] === got[key], `schools.${id}.${key}: expected ${want[key]}, got ${got[key]}`);
    for (const part of ["by_kind", "by_rule"]) {
      for (const [k, v] of Object.entries(want[part] ?? {})) {
        check(close(v, got.breakdown[part][k] ?? 0), `schools.${id}.${part}.${k}: expected ${v}, got ${got.breakdown[part][k]}`);
      }
    }
  }
  for (const [id, want] of Object.entries(expect.teachers ?? {})) {
    const got = doc.teachers.find((s) => s.teacher_id === id);
    check(got && close(want.index, got.index), `teachers.${id}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
  }
  for (const group of ["counties", "strata"]) {
    for (const [id, want] of Object.entries(expect[group] ?? {})) {
      const got = doc[group].find((s) => s.group === id);
      check(got && close(want.index, got.index) && (!("band" in want) || want.band === got.band), `${group}.${id}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
    }
  }
  if ("school_days" in expect) check(expect.school_days === doc.period.school_days, `school_days: expected ${expect.school_days}, got ${doc.period.school_days}`);

  if (c.monitor === true) {
    const { report: md, html } = engine.monitor(t, c.period, "test", c.ladder);
    for (const [key, want] of Object.entries(c.expect.cadence ?? {})) {
      check(JSON.stringify(md.cadence[key]) === JSON.stringify(want), `cadence.${key}`);
    }
    check(typeof html === "string" && html.includes("<svg"), "monitor html has SVG charts");
    const line = (id) => md.schools.find((s) => s.school_id === id);
    for (const [id, rung] of Object.entries(expect.rungs ?? {})) {
      const got = line(id)?.rung ?? "none";
      check(got === rung, `rungs.${id}: expected ${rung}, got ${got}`);
    }
    if (expect.escalations) {
      const got = md.escalations.map((e) => ({ school: e.school_id, from: e.from, to: e.to }));
      try {
        assert.deepStrictEqual(got, expect.escalations);
      } catch {
        check(false, `escalations: expected ${JSON.stringify(expect.escalations)}, got ${JSON.stringify(got)}`);
      }
    }
    for (const key of ["campus_entries", "comprehensive", "unapproved_events"]) {
      for (const [id, n] of Object.entries(expect[key] ?? {})) {
        const got = line(id)?.[key] ?? 0;
        check(got === n, `${key}.${id}: expected ${n}, got ${got}`);
      }
    }
    if (expect.listed) {
      const got = md.schools.map((s) => s.school_id);
      check(JSON.stringify(got) === JSON.stringify(expect.listed), `listed: expected ${JSON.stringify(expect.listed)}, got ${JSON.stringify(got)}`);
    }
    for (const [key, want] of Object.entries(expect.coverage ?? {})) {
      try {
        assert.deepStrictEqual(md.coverage[key], want);
      } catch {
        check(false, `coverage.${key}: expected ${JSON.stringify(want)}, got ${JSON.stringify(md.coverage[key])}`);
      }
    }
    for (const [id, want] of Object.entries(expect.stratum_stats ?? {})) {
      const got = md.strata.find((s) => s.stratum === id);
      for (const key of ["mean", "median", "p90", "change"]) {
        if (key in want) check(got && close(want[key], got[key] ?? NaN), `stratum_stats.${id}.${key}: expected ${want[key]}, got ${JSON.stringify(got)}`);
      }
    }
    if (expect.trend) {
      check(expect.trend.length === md.trend.length, `trend: expected ${JSON.stringify(expect.trend)}, got ${JSON.stringify(md.trend)}`);
      expect.trend.forEach((w, i) => {
        const g = md.trend[i];
        check(g && w.period === g.period && close(w.sample_mean, g.sample_mean), `trend: expected ${JSON.stringify(w)}, got ${JSON.stringify(g)}`);
      });
    }
  }
  assert.deepStrictEqual(problems, [], problems.join("\n    "));
  return doc;
}

test("the scoring corpus has at least 10 cases", () => {
  assert.ok(cases.length >= 10, `scoring corpus too small: ${cases.length}`);
});

for (const { id, c } of cases) {
  test(id, () => {
    const doc = run(c);
    // Typed columns give the same report as rows, when every row is good.
    if (doc && Array.isArray(c.events) && !c.expect.errors) {
      const col = (k) => c.events.map((e) => e[k] ?? null);
      const columns = {
        school_id: col("school_id"),
        date: col("date"),
        kind: col("kind"),
        hours: Float64Array.from(c.events.map((e) => e.hours)),
        teacher_id: col("teacher_id"),
        issuer: col("issuer"),
        item_id: col("item_id"),
        decision: col("decision"),
        rule: col("rule"),
        comprehensive: Uint8Array.from(c.events.map((e) => (e.comprehensive ? 1 : 0))),
      };
      const t = jianfu.Tables.fromColumns(columns, c.schools);
      assert.deepStrictEqual(t.errors, []);
      assert.deepStrictEqual(engine.score(t, c.period).report, doc);
    }
  });
}
