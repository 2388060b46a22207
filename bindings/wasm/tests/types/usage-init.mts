// The one documented init, typed through the package's own name and `exports` (Node.js ESM).
import init, { Engine, type Verdict } from "jianfu";

await init();
const engine = new Engine();
const verdict: Verdict = engine.check(
  { id: "x", kind: "meeting", title: "全市教师大会", issuer: { name: "市教育局", kind: "education", level: "city" } },
  "2026-03-02",
);
// @ts-expect-error init takes no module under Node.js
await init(new Uint8Array());
export const decision: string = verdict.decision;
