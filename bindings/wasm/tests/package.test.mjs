// The package as a user installs it: one init for every build, named by the package's own
// name (Node resolves "jianfu" to this package through its `exports`), no test hooks, the
// licence in the tarball.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const pkgDir = path.resolve(here, "..");
const item = {
  id: "x",
  kind: "directive_task",
  title: "关于组织全市师生下载“平安三门峡”APP的通知",
  issuer: { name: "三门峡市公安局", kind: "other_department", level: "city" },
  targets: ["teachers", "parents"],
};

test("import init, { Engine } from 'jianfu' then await init() works under Node.js", async () => {
  const { default: init, init: named, Engine } = await import("jianfu");
  assert.equal(typeof init, "function");
  assert.equal(init, named);
  await init();
  assert.equal(new Engine().check(item, "2026-03-02").decision, "prohibited");
});

test("require('jianfu') has the same init and classes", async () => {
  const j = createRequire(import.meta.url)("jianfu");
  await j.init();
  assert.equal(new j.Engine().check(item, "2026-03-02").decision, "prohibited");
  const esm = await import("jianfu");
  assert.deepEqual(Object.keys(j).sort(), Object.keys(esm).filter((k) => k !== "default").sort());
});

test("the web build's init is its default export, and loads the module from bytes", async () => {
  const web = await import("jianfu/web");
  assert.equal(web.init, web.default);
  await web.init({ module_or_path: fs.readFileSync(path.join(pkgDir, "pkg/web/jianfu_bg.wasm")) });
  assert.equal(new web.Engine().check(item, "2026-03-02").decision, "prohibited");
});

test("no test hooks are exported; the tarball has the licence and every entry", async () => {
  for (const build of [await import("jianfu"), await import("jianfu/web")]) {
    assert.ok(!("benchCore" in build), "benchCore is a benchmark hook, not API");
  }
  const packed = JSON.parse(execFileSync("npm", ["pack", "--dry-run", "--json"], { cwd: pkgDir, encoding: "utf8" }));
  const files = packed[0].files.map((f) => f.path);
  for (const want of ["LICENSE", "README.md", "package.json", "pkg/node/jianfu.mjs", "pkg/node/jianfu.d.mts", "pkg/web/jianfu.js", "pkg/web/jianfu_bg.wasm"]) {
    assert.ok(files.includes(want), `${want} is not in the tarball`);
  }
});
