// The web build has the same API plus the async initialiser.
import init, { Engine, type Verdict } from "../../pkg/web/jianfu.js";

export async function start(): Promise<Verdict> {
  await init();
  const engine = new Engine();
  return engine.check(
    { id: "x", kind: "meeting", title: "全市教师大会", issuer: { name: "市教育局", kind: "education", level: "city" } },
    "2026-03-02",
  );
}
