// Browser test: real headless Chromium (Debian's /usr/bin/chromium) driven by playwright-core.
// Serves the page from 127.0.0.1, fills the item form for a prohibited and an allowed item,
// reviews a draft, loads events and schools CSV into the dashboard, checks what a person sees,
// and saves screenshots to tests/screenshots/. Run: node --test tests/browser.e2e.mjs
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { serve } from "./serve.mjs";
import { here, repo } from "./jianfu.mjs";

const shots = path.join(here, "screenshots");
fs.mkdirSync(shots, { recursive: true });
const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

let server, context, page, base, profile;
const requests = [];
const problems = [];

before(async () => {
  server = await serve(0);
  base = `http://127.0.0.1:${server.address().port}`;
  profile = fs.mkdtempSync(path.join(os.tmpdir(), "jianfu-chromium-"));
  // A fresh --user-data-dir: playwright takes it as the persistent context's directory.
  context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: FLAGS,
    viewport: { width: 1280, height: 900 },
    locale: "zh-CN",
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on("request", (r) => requests.push(r.url()));
  page.on("console", (m) => m.type() === "error" && problems.push(`console: ${m.text()}`));
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  await page.goto(`${base}/web/`);
  await page.waitForSelector("body[data-ready=true]", { timeout: 30000 });
  await page.fill("#f-asof", "2026-03-02");
});

after(async () => {
  await context?.close();
  server?.close();
  if (profile) fs.rmSync(profile, { recursive: true, force: true });
});

const decision = () => page.getAttribute("#verdict [data-decision]", "data-decision");
// Settled: the verdict panel answers the latest input (`data-busy=false`), and says `want`.
async function waitDecision(want) {
  await page.waitForFunction(
    (w) => document.querySelector("#verdict")?.dataset.busy === "false" && document.querySelector("#verdict [data-decision]")?.getAttribute("data-decision") === w,
    want,
    { timeout: 30000 },
  );
}

test("a prohibited item: the form shows 禁止 with the rule, its source and the remedy", async () => {
  await page.click("#clear-form");
  await page.fill("#f-asof", "2026-03-02");
  await page.selectOption("#f-kind", "directive_task");
  await page.fill("#f-title", "关于组织全市师生下载“平安三门峡”APP并关注公众号的通知");
  await page.fill("#f-issuer-name", "三门峡市某局");
  await page.selectOption("#f-issuer-kind", "other_department");
  await page.selectOption("#f-issuer-level", "city");
  await page.check("#f-target-teachers");
  await page.check("#f-target-students");
  await page.fill("#f-description", "各学校要组织全体师生和家长下载注册，每周通报下载量排名，完成情况纳入年度考核。");
  await page.check("#f-r-install_app");
  await page.check("#f-r-ranking");
  await waitDecision("prohibited");
  const text = await page.innerText("#verdict");
  assert.match(text, /结论：禁止/);
  assert.match(text, /NAT2022-2/);
  assert.match(text, /依据：《/);
  assert.match(text, /整改建议：/);
  // Evidence names the field as a person does (from the core's label table), not by its path.
  assert.match(text, /证据：.*下载安装APP/);
  assert.doesNotMatch(text, /requirements\.install_app/);
  assert.match(text, /「下载」/);
  assert.match(text, /下一步：先按下列整改建议修改/);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(shots, "check-prohibited.png"), fullPage: false });
});

test("an Excel item sheet: every row is checked and listed with its decision", async () => {
  await page.fill("#f-asof", "2026-03-02");
  await page.setInputFiles("#sheet-file", path.join(repo, "examples/items/item-table.xlsx"));
  // Settled: the summary exists only once the sheet has been read and checked.
  await page.waitForSelector("#sheet-out[data-busy=false] #sheet-summary", { timeout: 30000 });
  assert.match(await page.innerText("#sheet-summary"), /共 3 行：禁止 1，需审批 1，材料不全 0，允许 1，无法读取 0/);
  const decisions = await page.locator("#sheet-out tbody tr").evaluateAll((rows) => rows.map((r) => r.dataset.decision));
  assert.deepEqual(decisions, ["needs_approval", "prohibited", "allowed"]);
  assert.match(await page.innerText("#sheet-out tbody"), /NAT2022-2/);
});

test("an allowed item: a campus entry with full materials walks the approval chain to 允许", async () => {
  await page.click("#clear-form");
  await page.fill("#f-asof", "2026-03-05");
  await page.selectOption("#f-kind", "campus_entry");
  assert.equal(await page.isVisible("fieldset[data-kind=campus_entry]"), true, "the campus-entry block appears");
  assert.equal(await page.isVisible("fieldset[data-kind=inspection]"), false);
  await page.fill("#f-title", "反电诈宣传进校园活动");
  await page.fill("#f-issuer-name", "三门峡市公安局");
  await page.check("#f-target-students");
  await page.fill("#f-start", "2026-03-20");
  await page.fill("#f-end", "2026-03-20");
  await page.fill("#f-description", "组织民警到校开展一堂40分钟的防范电信网络诈骗主题班会，安排在班会课时间进行。");
  // Without materials: incomplete, and the missing ones are named.
  await waitDecision("incomplete");
  assert.match(await page.innerText("#missing"), /开展理由.*政策依据.*工作方案.*预期效果/);
  const materials = {
    reason: "近期针对学生的电信诈骗案件多发", basis: "《中华人民共和国反电信网络诈骗法》第八条", work_plan: "每校一次主题班会，民警主讲，40分钟",
    expected_effect: "学生识别常见诈骗手法", organiser: "三门峡市公安局反诈中心", participants: "初二学生、班主任", content: "典型案例讲解与防范要点",
  };
  for (const [k, v] of Object.entries(materials)) await page.fill(`#f-m-${k}`, v);
  await page.selectOption("#f-basis-type", "law_or_document");
  await page.fill("#f-whitelist", "SMX-WL-2026-03");
  // First approval step only: needs approval, next step is the leader's review.
  await page.click("#add-approval");
  const steps = page.locator("#f-approvals li");
  await steps.nth(0).locator(".a-step").selectOption("secretariat_review");
  await steps.nth(0).locator(".a-on").fill("2026-02-20");
  await waitDecision("needs_approval");
  assert.match(await page.innerText("#next-step"), /下一步：分管领导审核/);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(shots, "check-needs-approval.png") });
  await page.click("#add-approval");
  await steps.nth(1).locator(".a-step").selectOption("leader_review");
  await steps.nth(1).locator(".a-on").fill("2026-02-27");
  await page.click("#add-approval");
  await steps.nth(2).locator(".a-step").selectOption("group_head_signoff");
  await steps.nth(2).locator(".a-on").fill("2026-03-05");
  await waitDecision("allowed");
  const text = await page.innerText("#verdict");
  assert.match(text, /结论：允许/);
  assert.match(text, /下一步：无需进一步审批/);
  assert.match(text, /须补充材料：无/);
  assert.match(text, /未触发任何减负规则/);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(shots, "check-allowed.png") });
});

test("the English switch translates the page and the verdict", async () => {
  await page.click("#lang");
  await page.waitForFunction(() => document.documentElement.lang === "en");
  assert.match(await page.innerText("#verdict"), /Decision: Allowed/);
  assert.match(await page.innerText("h1"), /Teacher burden-reduction self-check/);
  await page.click("[data-example=prohibited]");
  await waitDecision("prohibited");
  assert.match(await page.innerText("#verdict"), /Decision: Prohibited/);
  assert.match(await page.innerText("#verdict"), /What to change:/);
  await page.screenshot({ path: path.join(shots, "check-english.png") });
  await page.click("#lang");
  await page.waitForFunction(() => document.documentElement.lang === "zh-CN");
});

test("tabs work from the keyboard", async () => {
  await page.focus("#tab-check");
  await page.keyboard.press("ArrowRight");
  assert.equal(await page.getAttribute("#tab-review", "aria-selected"), "true");
  assert.equal(await page.isVisible("#panel-review"), true);
  assert.equal(await page.isVisible("#panel-check"), false);
  assert.equal(await page.evaluate(() => document.activeElement?.id), "tab-review");
});

test("document review: pasted draft, highlighted clauses with hover details", async () => {
  await page.click("#tab-review");
  const draft = fs.readFileSync(path.join(repo, "examples/drafts/draft-notice.txt"), "utf8");
  await page.fill("#review-asof", "2026-03-02");
  await page.fill("#draft", draft);
  await page.click("#review-run");
  await page.waitForSelector("#review-out[data-busy=false] #draft-view mark.clause");
  const marks = await page.locator("#draft-view mark.clause").count();
  assert.ok(marks >= 1, "some clauses are highlighted");
  const banner = await page.innerText("#review-out .decision");
  assert.match(banner, /发现 \d+ 处需修改的条款/);
  assert.ok((await page.locator("#draft-view mark.clause .hit").count()) >= 1, "trigger words are marked");
  const first = page.locator("#draft-view mark.clause").first();
  const rules = (await first.getAttribute("data-rules")).split(" ");
  await first.hover();
  await page.waitForSelector("#clause-tip:not([hidden])");
  const tipText = await page.innerText("#clause-tip");
  assert.ok(rules.some((r) => tipText.includes(r)), "the hover card names the rule");
  assert.match(tipText, /依据：《/);
  assert.match(tipText, /整改建议：/);
  // Prohibitive wording is not flagged.
  const flagged = await page.locator("#draft-view mark.clause").allInnerTexts();
  assert.ok(flagged.every((c) => !/^\s*不得/.test(c)));
  await page.screenshot({ path: path.join(shots, "review.png"), fullPage: true });
  // Keyboard users get the same card.
  await page.mouse.move(0, 0);
  await first.focus();
  await page.waitForSelector("#clause-tip:not([hidden])");
});

function demoData() {
  // The demo city from the Rust command when it is built; else the committed fixture.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "jianfu-demo-"));
  for (const bin of [process.env.JIANFU_BIN, path.join(repo, "target/release/jianfu"), path.join(repo, "target/debug/jianfu")]) {
    if (!bin || !fs.existsSync(bin)) continue;
    try {
      execFileSync(bin, ["demo-data", "--schools", "40", "--out", dir], { stdio: "ignore" });
      return { dir, schools: 40 };
    } catch {
      /* fall through */
    }
  }
  fs.copyFileSync(path.join(here, "fixtures/events.csv"), path.join(dir, "events.csv"));
  fs.copyFileSync(path.join(here, "fixtures/schools.csv"), path.join(dir, "schools.csv"));
  return { dir, schools: 6 };
}

test("burden dashboard: CSV in, tiles, charts by stratum, kind and issuer, top schools", async () => {
  const { dir, schools } = demoData();
  await page.click("#tab-dash");
  await page.setInputFiles("#events-file", path.join(dir, "events.csv"));
  await page.setInputFiles("#schools-file", path.join(dir, "schools.csv"));
  await page.selectOption("#period", "2026-spring-1");
  await page.click("#dash-run");
  await page.waitForSelector("#dash-out[data-busy=false] #chart-issuer svg rect", { timeout: 60000 });
  assert.equal((await page.innerText("#tile-schools .v")).trim(), String(schools));
  assert.match(await page.innerText("#dash-status"), new RegExp(`已读取 ${schools} 所学校`));
  for (const id of ["#chart-stratum", "#chart-kind", "#chart-issuer"]) {
    assert.ok((await page.locator(`${id} svg rect`).count()) >= 2, `${id} has bars`);
  }
  assert.match(await page.innerText("#chart-kind"), /进校园活动/);
  assert.ok((await page.locator("#top-schools tbody tr").count()) >= 5);
  assert.equal(await page.isEnabled("#dash-html"), true);
  await page.screenshot({ path: path.join(shots, "dashboard.png"), fullPage: true });
  fs.rmSync(dir, { recursive: true, force: true });
});

test("burden dashboard: a GBK schools CSV reads as its Chinese text, not mojibake", async () => {
  await page.click("#tab-dash");
  await page.setInputFiles("#events-file", path.join(here, "fixtures/events.csv"));
  await page.setInputFiles("#schools-file", path.join(here, "fixtures/schools-gbk.csv"));
  await page.selectOption("#period", "2026-spring-1");
  // The status is cleared first, so the wait below is for this run's result, not the last's.
  await page.evaluate(() => (document.querySelector("#dash-status").textContent = ""));
  await page.click("#dash-run");
  // Settled: the status names the schools this run read.
  await page.waitForFunction(() => /已读取 6 所学校/.test(document.querySelector("#dash-status")?.textContent ?? ""), null, { timeout: 60000 });
  await page.waitForSelector("#dash-out[data-busy=false] #top-schools tbody tr");
  const names = fs.readFileSync(path.join(here, "fixtures/schools.csv"), "utf8").split("\n").slice(1).filter(Boolean).map((l) => l.split(",")[1]);
  const table = await page.innerText("#top-schools");
  assert.ok(names.some((n) => table.includes(n)), `a school's Chinese name is shown: ${table.slice(0, 200)}`);
  assert.doesNotMatch(table, /\uFFFD/);
  // The same schools as an Excel sheet with Chinese headers and values read the same.
  const before = await page.innerText("#top-schools");
  await page.setInputFiles("#schools-file", path.join(here, "fixtures/schools.xlsx"));
  await page.evaluate(() => (document.querySelector("#dash-status").textContent = ""));
  await page.click("#dash-run");
  await page.waitForFunction(() => /已读取 6 所学校/.test(document.querySelector("#dash-status")?.textContent ?? ""), null, { timeout: 60000 });
  await page.waitForSelector("#dash-out[data-busy=false] #top-schools tbody tr");
  assert.equal(await page.innerText("#top-schools"), before);
});

test("in the browser the core's HTML report draws its charts (plotters measures text in the DOM)", async () => {
  const events = fs.readFileSync(path.join(here, "fixtures/events.csv"), "utf8");
  const schools = fs.readFileSync(path.join(here, "fixtures/schools.csv"), "utf8");
  const html = await page.evaluate(
    async ([events, schools]) => {
      const m = await import("/pkg/web/jianfu.js"); // the instance the page initialised
      return new m.Engine().monitor(m.Tables.read(events, schools), "2026-spring-1", "测试").html;
    },
    [events, schools],
  );
  assert.ok(html.includes("<svg"), "the report has SVG charts");
  assert.ok(!html.includes("chart unavailable"), "no chart fell back to the placeholder");
  assert.ok((html.match(/<rect/g) ?? []).length > 10, "bars are drawn");
});

test("the HTML report: no sideways scrolling on a phone, A4 width in print, long tables folded", async () => {
  const events = fs.readFileSync(path.join(here, "fixtures/events.csv"), "utf8");
  const schools = fs.readFileSync(path.join(here, "fixtures/schools.csv"), "utf8");
  const html = await page.evaluate(
    async ([events, schools]) => {
      const m = await import("/pkg/web/jianfu.js");
      return new m.Engine().monitor(m.Tables.read(events, schools), "2026-spring-1", "测试").html;
    },
    [events, schools],
  );
  const report = await context.newPage();
  await report.setViewportSize({ width: 390, height: 800 });
  await report.setContent(html, { waitUntil: "load" });
  const width = () => report.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  const [phone, phoneView] = await width();
  assert.ok(phone <= phoneView, `no sideways scrolling on a phone (${phone} > ${phoneView})`);
  // A4 at 96 dpi less the print margins is about 700 px wide.
  await report.setViewportSize({ width: 700, height: 1000 });
  await report.emulateMedia({ media: "print" });
  const [print, printView] = await width();
  assert.ok(print <= printView, `the printed report fits an A4 width (${print} > ${printView})`);
  await report.pdf({ path: path.join(shots, "report.pdf"), format: "A4" });
  await report.close();
});

test("phone width: no horizontal scrolling, the verdict follows the form", async () => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.click("#tab-check");
  await page.click("[data-example=approval]");
  await waitDecision("needs_approval");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 1, `page scrolls sideways by ${overflow}px`);
  await page.screenshot({ path: path.join(shots, "phone-check.png"), fullPage: true });
  // Mid-form, the outcome stays in view in a bar at the bottom.
  await page.evaluate(() => window.scrollTo(0, 900));
  assert.equal(await page.isVisible("#jump-verdict"), true);
  assert.match(await page.innerText("#jump-verdict"), /结论：需审批/);
  await page.screenshot({ path: path.join(shots, "phone-mid-form.png") });
  // The dashboard (filled by the tests above): no sideways scrolling, charts kept readable
  // (at least 480 px wide, scrolling inside their own box).
  await page.click("#tab-dash");
  await page.waitForSelector("#dash-out[data-busy=false] #chart-kind svg");
  const dashOverflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(dashOverflow <= 1, `the dashboard scrolls sideways by ${dashOverflow}px`);
  const chartWidth = await page.locator("#chart-kind svg").evaluate((e) => e.getBoundingClientRect().width);
  assert.ok(chartWidth >= 480, `chart text stays readable (${chartWidth}px wide)`);
  await page.screenshot({ path: path.join(shots, "phone-dashboard.png"), fullPage: true });
  await page.click("#tab-check");
  await page.setViewportSize({ width: 1280, height: 900 });
});

test("opened from disk (file://): the single-file page checks items; the served page says what to do", async () => {
  // Its own tab, so the served page's request and error checks below stay about that page.
  const disk = await context.newPage();
  const errors = [];
  disk.on("pageerror", (e) => errors.push(e.message));
  await disk.goto(pathToFileURL(path.join(here, "..", "pkg", "offline", "jianfu.html")).href);
  await disk.waitForSelector("body[data-ready=true]", { timeout: 30000 });
  await disk.fill("#f-asof", "2026-03-02");
  await disk.click('[data-example="prohibited"]');
  await disk.waitForFunction(
    () => document.querySelector("#verdict")?.dataset.busy === "false" && document.querySelector("#verdict [data-decision]")?.getAttribute("data-decision") === "prohibited",
    null,
    { timeout: 30000 },
  );
  assert.match(await disk.innerText("#verdict"), /结论：禁止/);
  assert.deepEqual(errors, []);
  // 导出: the verdict as JSON, downloaded without any network.
  const [download] = await Promise.all([disk.waitForEvent("download"), disk.click("#verdict-json")]);
  const exported = JSON.parse(fs.readFileSync(await download.path(), "utf8"));
  assert.equal(exported.verdict.decision, "prohibited");
  // 打印: print media shows the verdict, every finding, and hides the form.
  await disk.emulateMedia({ media: "print" });
  assert.equal(await disk.isVisible("#verdict .findings"), true);
  assert.equal(await disk.locator("#item-form").evaluate((el) => getComputedStyle(el).visibility), "hidden");
  const findings = await disk.locator("#verdict .findings > li").count();
  assert.ok(findings >= 3, `every finding is in the printed verdict (${findings})`);
  await disk.pdf({ path: path.join(shots, "opinion.pdf"), format: "A4" });
  await disk.emulateMedia({ media: "screen" });
  await disk.screenshot({ path: path.join(shots, "offline-file.png") });
  // The served page, opened from disk, cannot load its modules: it says so in Chinese.
  await disk.goto(pathToFileURL(path.join(here, "..", "web", "index.html")).href);
  await disk.waitForSelector("#load-error:not([hidden])", { timeout: 30000 });
  assert.match(await disk.innerText("#load-error"), /单文件版 pkg\/offline\/jianfu\.html/);
  await disk.close();
});

test("nothing leaves the browser, and the page logged no errors", () => {
  const outside = requests.filter((u) => !u.startsWith(base) && !u.startsWith("blob:") && !u.startsWith("data:"));
  assert.deepStrictEqual(outside, []);
  assert.deepStrictEqual(problems, []);
});
