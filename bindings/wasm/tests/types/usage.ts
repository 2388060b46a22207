// Type-checked with `tsc --noEmit` (bindings/wasm/tsconfig.json): a small typed use of the
// Node.js build. Lines marked @ts-expect-error prove the declarations are precise, not `any`.
import {
  Engine,
  Tables,
  version,
  type Decision,
  type Finding,
  type Item,
  type JianfuError,
  type Review,
  type ReviewFinding,
  type Verdict,
  type EventColumns,
} from "../../pkg/node/jianfu.js";

const engine: Engine = new Engine();
const v: string = version();

const item: Item = {
  id: "2026-SMX-0142",
  kind: "campus_entry",
  title: "反电诈宣传进校园",
  issuer: { name: "三门峡市公安局", kind: "other_department", level: "city" },
  targets: ["students"],
  materials: { reason: "提高防骗意识", basis: "《反电信网络诈骗法》" },
  approvals: [{ step: "secretariat_review", on: "2026-02-20", outcome: "approved" }],
  requirements: { install_app: false },
};

const verdict: Verdict = engine.check(item, "2026-03-02");
const decision: Decision = verdict.decision;
const first: Finding | undefined = verdict.findings[0];
const span: [number, number] | undefined = first?.evidence[0]?.span;
const zh: string | undefined = first?.remedy.zh;
const next: string | null = verdict.next_step;
// @ts-expect-error: `decision` is a closed union, not any string
const wrong: Decision = "maybe";
// @ts-expect-error: `kind` must be one of the ten kinds
const badItem: Item = { ...item, kind: "party" };

const fromText: Verdict = engine.check(JSON.stringify(item), "2026-03-02");
const many: Array<Verdict | { error: { code: string } }> = engine.checkMany([item, item], "2026-03-02");
const review: Review = engine.review("各学校须组织教师下载APP并每日打卡。", "2026-03-02");
const clauses: ReviewFinding[] = review.findings;
const rules = engine.rules();
const ids: string[] = rules.map((r) => r.id);
const explained = engine.explain("SMX2022-5");
const lint = engine.lint();
const plan = engine.plan({ plan_id: "p" }, "2026-03-02");
const planDecision: Decision = plan.decision;

const layered: Engine = Engine.fromLayers([{ name: "national.toml", toml: "" }, ["henan.toml", ""]]);
const single: Engine = Engine.fromToml("", "city.toml");

const columns: EventColumns = {
  school_id: ["S1"],
  date: ["2026-03-03"],
  kind: ["meeting"],
  hours: new Float64Array([1.5]),
};
const tables: Tables = Tables.fromColumns(columns, "school_id,name,county,urban_rural,stage,ownership,teachers\n");
const read: number = tables.eventsRead + tables.schoolsRead;
const score = engine.score(tables, "2026-spring-1");
const index: number | undefined = score.report.schools[0]?.index;
const monitor = engine.monitor(Tables.read("", ""), "2026-spring-1", "title");
const html: string = monitor.html;

try {
  engine.check("{}", "2026-03-02");
} catch (e) {
  const err = e as JianfuError;
  const code: string = err.code;
  const field: string | undefined = err.location?.field;
  console.log(code, field);
}

export { v, decision, span, zh, next, wrong, badItem, fromText, many, clauses, ids, explained, lint, planDecision, layered, single, read, index, html };
