// The JS API around the corpus: errors, rulesets from TOML layers, batch input, plans, rules,
// scoring from CSV, JSON rows and typed columns, and the monitoring report.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { jianfu, repo, here } from "./jianfu.mjs";

const engine = new jianfu.Engine();
const read = (p) => fs.readFileSync(path.join(repo, p), "utf8");
const AS_OF = "2026-03-02";

function throwsCode(fn, code) {
  let error;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof Error, "throws an Error");
  assert.equal(error.code, code, error.message);
  assert.ok("location" in error);
  return error;
}

test("version and ruleset info", () => {
  assert.match(jianfu.version(), /^\d+\.\d+\.\d+/);
  const info = engine.info();
  assert.equal(info.id, "national/henan/sanmenxia");
  assert.match(info.digest, /^sha256:[0-9a-f]{64}$/);
});

test("check: the example item is prohibited, with cited findings", () => {
  const item = JSON.parse(read("examples/items/app-download-drive.json"));
  const v = engine.check(item, AS_OF);
  assert.equal(v.decision, "prohibited");
  assert.equal(v.as_of, AS_OF);
  const f = v.findings.find((f) => f.rule === "NAT2022-2");
  assert.ok(f);
  assert.ok(f.citation.document && f.citation.article && f.remedy.zh && f.message.en);
  // The same item as JSON text gives the same verdict.
  assert.deepStrictEqual(engine.check(read("examples/items/app-download-drive.json"), AS_OF), v);
});

test("labels: the core's label table; Chinese names read as codes", () => {
  const table = jianfu.labels();
  assert.deepEqual(table.kind.terms.campus_entry, { zh: "进校园活动", en: "Campus entry", aliases: ["进校园"] });
  assert.equal(table.band.terms.accountability.zh, "问责");
  const coded = {
    id: "x", kind: "campus_entry", title: "反电诈APP下载推广进校园",
    issuer: { name: "三门峡市公安局", kind: "other_department", level: "city" }, targets: ["students"],
  };
  const chinese = { ...coded, kind: "进校园", issuer: { ...coded.issuer, kind: "其他部门", level: "市级" }, targets: ["学生"] };
  assert.deepEqual(engine.check(chinese, AS_OF), engine.check(coded, AS_OF));
});

test("checkSheet: an Excel or CSV item sheet with Chinese headers, row by row", () => {
  const xlsx = fs.readFileSync(path.join(repo, "examples/items/item-table.xlsx"));
  const rows = engine.checkSheet(new Uint8Array(xlsx), "item-table.xlsx", AS_OF);
  assert.deepEqual(rows.map((r) => [r.row, r.verdict.decision]), [[2, "needs_approval"], [3, "prohibited"], [4, "allowed"]]);
  const csv = fs.readFileSync(path.join(repo, "examples/items/item-table.csv"));
  assert.deepEqual(engine.checkSheet(new Uint8Array(csv), "item-table.csv", AS_OF), rows);
  assert.equal(jianfu.decodeBytes(new Uint8Array([0xd2, 0xbb, 0xb6, 0xfe, 0xc8, 0xfd])), "一二三"); // GBK
});

test("errors: code and location reach JS", () => {
  const e = throwsCode(() => engine.check('{"id": "x", "kind": "campus_entry"}', AS_OF), "item.invalid");
  assert.equal(e.name, "JianfuError");
  const bad = JSON.parse(read("examples/items/app-download-drive.json"));
  bad.requirments = {};
  assert.equal(throwsCode(() => engine.check(bad, AS_OF), "item.invalid").location.field, "requirments");
  assert.equal(throwsCode(() => engine.check(bad, "2026-02-30"), "item.invalid").code, "item.invalid");
  const good = read("examples/items/app-download-drive.json");
  const d = throwsCode(() => engine.check(good, "2026-02-30"), "date.invalid");
  assert.equal(d.location.field, "as_of", "a bad date names the as-of argument");
  throwsCode(() => engine.explain("NO-SUCH-RULE"), "rule.unknown");
  throwsCode(() => engine.check(undefined, AS_OF), "item.invalid");
  throwsCode(() => engine.review("text", "tomorrow"), "date.invalid");
  const syntax = throwsCode(() => jianfu.Engine.fromToml("this is = = not toml", "bad.toml"), "ruleset.syntax");
  assert.equal(syntax.location.source, "bad.toml");
  assert.ok(syntax.location.line >= 1);
});

test("Engine.fromLayers over the shipped TOML files equals the embedded engine", () => {
  const layers = ["national", "henan", "sanmenxia"].map((n) => ({
    name: `${n}.toml`,
    toml: read(`crates/jianfu/rulesets/${n}.toml`),
  }));
  const e2 = jianfu.Engine.fromLayers(layers);
  assert.deepStrictEqual(e2.info(), engine.info());
  const e3 = jianfu.Engine.fromLayers(layers.map((l) => [l.name, l.toml]));
  assert.deepStrictEqual(e3.info(), engine.info());
  const item = read("examples/items/anti-fraud-campus-entry.json");
  assert.deepStrictEqual(e2.check(item, AS_OF), engine.check(item, AS_OF));
  // A single national layer loads too.
  const national = jianfu.Engine.fromToml(layers[0].toml, "national.toml");
  assert.ok(national.rules().every((r) => r.layer === "national"));
  throwsCode(() => jianfu.Engine.fromLayers([{ name: "x.toml" }]), "ruleset.syntax");
});

test("checkMany: JSON Lines with a bad record, and a register", () => {
  const batch = read("examples/items/batch.jsonl");
  const lines = batch.split("\n").filter((l) => l.trim());
  const out = engine.checkMany(batch.trimEnd() + "\n{\"id\": 1}\n", AS_OF);
  assert.equal(out.length, lines.length + 1);
  assert.ok(out.slice(0, -1).every((v) => typeof v.decision === "string"));
  const last = out.at(-1);
  assert.equal(last.error.code, "item.invalid");
  assert.equal(last.error.location.line, lines.length + 1);
  const register = JSON.parse(read("examples/registers/spring-2026.json"));
  const withRegister = engine.checkMany(lines.map((l) => JSON.parse(l)), AS_OF, register);
  assert.equal(withRegister.length, lines.length);
});

test("checkMany: a JSON array keeps its good elements; a bad one and a missing ] are errors", () => {
  const good = read("examples/items/batch.jsonl").split("\n")[0];
  const out = engine.checkMany(`[${good},\n{bad},\n${good}`, AS_OF);
  assert.equal(out.length, 4);
  assert.ok(typeof out[0].decision === "string" && typeof out[2].decision === "string");
  assert.equal(out[1].error.code, "item.invalid");
  assert.equal(out[1].error.location.field, "[1]");
  assert.equal(out[1].error.location.line, 2);
  assert.equal(out[3].error.code, "item.invalid");
  assert.match(out[3].error.message, /not closed/);
});

test("review: flagged clauses with spans in characters", () => {
  const text = read("examples/drafts/draft-notice.txt");
  const r = engine.review(text, AS_OF);
  assert.ok(r.findings.length > 0);
  assert.equal(r.chars, [...text].length);
  const chars = [...text];
  for (const f of r.findings) {
    for (const ev of f.evidence) {
      if (ev.span && ev.text) assert.equal(chars.slice(ev.span[0], ev.span[1]).join(""), ev.text);
    }
  }
});

test("plan, rules, explain, lint", () => {
  const plan = engine.plan(read("examples/plans/smx-public-security-2026.json"), AS_OF);
  assert.ok(["allowed", "needs_approval", "incomplete", "prohibited"].includes(plan.decision));
  assert.ok(plan.verdicts.length > 0);
  const rules = engine.rules();
  assert.ok(rules.length >= 50);
  const ex = engine.explain("SMX2022-5");
  assert.equal(ex.rule, "SMX2022-5");
  assert.ok(ex.versions.length >= 1 && ex.document);
  assert.ok(Array.isArray(engine.lint()));
});

const schoolsCsv = fs.readFileSync(path.join(here, "fixtures/schools.csv"), "utf8");
const eventsCsv = fs.readFileSync(path.join(here, "fixtures/events.csv"), "utf8");

function parseCsv(text) {
  const [head, ...rows] = text.trim().split("\n").map((l) => l.split(","));
  return rows.map((r) => Object.fromEntries(head.map((h, i) => [h, r[i]])));
}

test("score: CSV text, typed columns and JSON rows agree", () => {
  const csv = jianfu.Tables.read(eventsCsv, schoolsCsv);
  assert.deepStrictEqual(csv.errors, []);
  assert.equal(csv.schoolsRead, 6);
  assert.equal(csv.eventsRead, eventsCsv.trim().split("\n").length - 1);
  const a = engine.score(csv, "2026-spring-1");
  assert.ok(a.report.events > 0);
  assert.equal(a.report.schools.length, 6);

  const rows = parseCsv(eventsCsv);
  const col = (k) => rows.map((r) => r[k] || null);
  const columns = {
    school_id: col("school_id"),
    teacher_id: col("teacher_id"),
    date: col("date"),
    kind: col("kind"),
    hours: Float64Array.from(rows.map((r) => Number(r.hours))),
    issuer: col("issuer"),
    item_id: col("item_id"),
    decision: col("decision"),
    rule: col("rule"),
    comprehensive: rows.map((r) => r.comprehensive === "true"),
  };
  const typed = jianfu.Tables.fromColumns(columns, schoolsCsv);
  assert.deepStrictEqual(typed.errors, []);
  assert.deepStrictEqual(engine.score(typed, "2026-spring-1"), a);

  const jsonRows = rows.map((r) => {
    const o = { school_id: r.school_id, date: r.date, kind: r.kind, hours: Number(r.hours) };
    for (const k of ["teacher_id", "issuer", "item_id", "decision", "rule"]) if (r[k]) o[k] = r[k];
    if (r.comprehensive === "true") o.comprehensive = true;
    return o;
  });
  const json = jianfu.Tables.read(jsonRows, parseCsv(schoolsCsv).map((s) => ({ ...s, teachers: Number(s.teachers), sample_point: s.sample_point === "true" })));
  assert.deepStrictEqual(engine.score(json, "2026-spring-1"), a);
});

test("typed columns: bad rows are reported by index and field, the rest kept", () => {
  const t = jianfu.Tables.fromColumns(
    {
      school_id: ["SMX-0001", "NOPE", "SMX-0001", "SMX-0001"],
      date: ["2026-03-03", "2026-03-03", "2026-13-01", "2026-03-04"],
      kind: ["meeting", "meeting", "meeting", "party"],
      hours: new Float64Array([1, 2, 3, 4]),
    },
    schoolsCsv,
  );
  assert.equal(t.eventsRead, 1);
  assert.deepStrictEqual(
    t.errors.map((e) => [e.code, e.location.field]),
    [["row.invalid", "[1].school_id"], ["row.invalid", "[2].date"], ["row.invalid", "[3].kind"]],
  );
  throwsCode(() => jianfu.Tables.fromColumns({ school_id: ["a"], date: [], kind: ["meeting"], hours: [1] }, schoolsCsv), "row.invalid");
  throwsCode(() => engine.score(t, "2031-winter-9"), "period.unknown");
  // Columns that do not match refuse the table rather than scoring it as empty.
  throwsCode(() => jianfu.Tables.read("school_id,date,kind\nSMX-0001,2026-03-03,meeting\n", schoolsCsv), "table.schema");
  throwsCode(() => jianfu.Tables.fromColumns({ school_id: ["SMX-0001"], date: ["2026-03-03"], kind: ["meeting"] }, schoolsCsv), "table.schema");
  assert.throws(
    () => jianfu.Tables.fromColumns({ school_id: ["SMX-0001"], date: ["2026-03-03"], kind: ["meeting"], hour: [1] }, schoolsCsv),
    (e) => e.code === "table.schema" && /`hours`/.test(e.message) && /`hour`/.test(e.message),
  );
});

test("typed columns: text flags read as in CSV; bad cells get the CSV reader's reasons", () => {
  const rows = [
    ["SMX-0001", "2026-03-03", "inspection", 1, "false"],
    ["SMX-0001", "2026-03-04", "inspection", 2, "是"],
    ["SMX-0001", "2026-03-05", "inspection", 3, "maybe"],
    ["SMX-0001", "2026-03-06", "party", 4, ""],
    ["SMX-0001", "2026-13-01", "meeting", 5, ""],
  ];
  const t = jianfu.Tables.fromColumns(
    {
      school_id: rows.map((r) => r[0]),
      date: rows.map((r) => r[1]),
      kind: rows.map((r) => r[2]),
      hours: new Float64Array(rows.map((r) => r[3])),
      comprehensive: rows.map((r) => r[4]),
    },
    schoolsCsv,
  );
  const csv = jianfu.Tables.read(
    "school_id,date,kind,hours,comprehensive\n" + rows.map((r) => r.join(",")).join("\n"),
    schoolsCsv,
  );
  assert.equal(t.eventsRead, 2);
  assert.deepStrictEqual(t.errors.map((e) => e.location.field), ["[2].comprehensive", "[3].kind", "[4].date"]);
  const reason = (e) => e.message.split(": ").at(-1);
  assert.deepStrictEqual(t.errors.map(reason), csv.errors.map(reason));
  assert.deepStrictEqual(engine.score(t, "2026-spring-1").report, engine.score(csv, "2026-spring-1").report);
});

test("monitor: report JSON and self-contained HTML", () => {
  const t = jianfu.Tables.read(eventsCsv, schoolsCsv);
  const m = engine.monitor(t, "2026-spring-1", "测试 Test");
  assert.ok(Array.isArray(m.report.schools));
  assert.ok(m.html.startsWith("<!DOCTYPE html") || m.html.startsWith("<!doctype html"));
  assert.ok(m.html.includes("测试 Test"));
  assert.deepStrictEqual(m.errors, []);
  // Under Node.js there is no DOM for plotters to measure text with: each chart is a
  // placeholder, and the call does not trap (the browser test checks the drawn charts).
  assert.ok(m.html.includes("chart unavailable"));
  assert.equal(engine.check(read("examples/items/app-download-drive.json"), AS_OF).decision, "prohibited");
});

test("a value of the wrong type is a TypeError naming the argument, never a crash", () => {
  const item = JSON.parse(read("examples/items/anti-fraud-campus-entry.json"));
  const cases = [
    [() => engine.check(item, 20260302), "asOf"],
    [() => engine.checkMany([item], {}), "asOf"],
    [() => engine.review(123, AS_OF), "text"],
    [() => engine.review("草稿", null), "asOf"],
    [() => engine.explain(5), "id"],
    [() => engine.check(Symbol("x"), AS_OF), "item"],
    [() => engine.check(10n, AS_OF), "item"],
    [() => jianfu.Engine.forJurisdiction(1), "id"],
    [() => jianfu.Engine.fromToml(42), "text"],
    [() => jianfu.Engine.fromToml("[layer]", 7), "name"],
    [() => engine.monitor(jianfu.Tables.read(eventsCsv, schoolsCsv), "2026-spring-1", 5), "title"],
    [() => engine.monitor(jianfu.Tables.read(eventsCsv, schoolsCsv), "2026-spring-1", undefined, {}), "ladder"],
  ];
  for (const [call, name] of cases) {
    assert.throws(call, (e) => e instanceof TypeError && e.message.includes(name), name);
  }
  // The engine still works after each refusal.
  assert.equal(engine.check(item, AS_OF).item, item.id);
  // An unknown jurisdiction is a coded error.
  throwsCode(() => jianfu.Engine.forJurisdiction("nowhere"), "jurisdiction.unknown");
  const mianchi = jianfu.Engine.forJurisdiction("mianchi");
  assert.equal(mianchi.info().id, "national/henan/sanmenxia/mianchi");
});

test("random bytes and mutated records into every entry point: a result or a coded error, never a trap", () => {
  // mulberry32: a seeded generator, so a failure reproduces.
  let seed = 20260302;
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = (xs) => xs[Math.floor(random() * xs.length)];
  const item = JSON.parse(read("examples/items/app-download-drive.json"));
  const record = JSON.stringify(item);
  const eventsCsvText = eventsCsv;
  let returned = 0;
  let refused = 0;
  for (let round = 0; round < 60; round++) {
    const bytes = Uint8Array.from({ length: Math.floor(random() * 200) }, () => Math.floor(random() * 256));
    const cut = Math.floor(random() * record.length);
    const texts = [
      new TextDecoder("utf-8").decode(bytes),
      String.fromCharCode(...bytes),
      record.slice(0, cut) + String.fromCharCode(...bytes.slice(0, 6)) + record.slice(cut),
      record.slice(0, cut),
    ];
    const mutated = { ...item, [pick(Object.keys(item).concat(["start", "end", "hours_per_teacher"]))]: pick([null, -1, 1e308, "2026-13-01", [], {}, "", [1]]) };
    for (const text of texts) {
      const calls = [
        () => engine.check(text, AS_OF),
        () => engine.check(mutated, AS_OF),
        () => engine.check(item, text),
        () => engine.check(item, AS_OF, text),
        () => engine.checkMany(text, AS_OF),
        () => engine.checkMany([mutated, item], AS_OF),
        () => engine.review(text, AS_OF),
        () => engine.plan(text, AS_OF),
        () => engine.explain(text),
        () => jianfu.Engine.fromToml(text, "random.toml"),
        () => engine.score(jianfu.Tables.read(text, schoolsCsv), "2026-spring-1"),
        () => engine.score(jianfu.Tables.read(eventsCsvText, text), text),
        () => engine.monitor(jianfu.Tables.read(eventsCsvText, schoolsCsv), "2026-spring-1", undefined, text),
      ];
      for (const call of calls) {
        try {
          call();
          returned++;
        } catch (e) {
          // A refusal is a TypeError or the core's coded error, never a RuntimeError (a trap).
          assert.ok(e instanceof TypeError || (e instanceof Error && typeof e.code === "string"), `${e}`);
          refused++;
        }
      }
    }
  }
  assert.ok(returned > 0 && refused > 0, `${returned} returned, ${refused} refused`);
  assert.equal(engine.check(item, AS_OF).decision, "prohibited");
});
