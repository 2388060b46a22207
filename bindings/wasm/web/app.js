// 减负 web page: the jianfu WASM package in the browser. Nothing is sent anywhere: the rules,
// the checks and the reports all run here.
import init, { Engine, Tables, labels, tableText } from "../pkg/web/jianfu.js";

// ---------------------------------------------------------------- i18n
const T = {
  zh: {
    skip: "跳到主要内容", title: "中小学教师减负事项自查",
    subtitle: "依据国家、河南省、三门峡市减负清单逐条核查 · 离线运行，数据不出浏览器",
    tabsLabel: "功能", tabCheck: "事项自查", tabReview: "发文审核", tabDash: "负担监测",
    privacy: "所有核查均在本机浏览器内完成（WebAssembly），填写的内容和上传的表格不会发送到任何服务器。",
    checkHeading: "填写拟开展的事项", examples: "示例：", exProhibited: "下载APP任务", exApproval: "进校园（审批中）",
    exAllowed: "进校园（已审签）", reset: "清空", basics: "基本信息", fKind: "事项类型", fId: "事项编号", fTitle: "标题",
    phTitle: "如：关于开展禁毒宣传进校园活动的通知", fDescription: "内容说明", phDescription: "活动内容、时长、对学校和教师的具体要求",
    fStart: "开始日期", fEnd: "结束日期", fHours: "每位教师预计用时（小时）", fAsOf: "核查日期", issuer: "发文单位",
    fIssuerName: "单位名称", phIssuer: "如：三门峡市公安局", fIssuerKind: "单位类别", fIssuerLevel: "层级", fTargets: "面向对象",
    materials: "申报材料", materialsHint: "进校园事项须写明理由、依据、工作方案和预期效果（三教〔2022〕110号）。",
    requirements: "对学校、教师的要求", requirementsHint: "勾选通知中实际提出的要求；标题和说明中的文字也会被识别。",
    ceBlock: "进校园", fBasisType: "准入依据", fWhitelist: "白名单编号", inspBlock: "督查检查评比考核", fTopic: "检查主题",
    fNoticeOn: "通知下发日期", fPlanId: "年度计划编号", fFiledOn: "报备日期", fApprovedOn: "党委批准日期", fComprehensive: "综合督导",
    fScored: "打分排名", fTechnical: "技术性检查（安全、卫生等）", drBlock: "报表填报", fFields: "填报字段（用逗号或顿号分隔）",
    phFields: "如：教师姓名、身份证号、学历", secBlock: "抽调借用", fTeachers: "借调教师人数", fDays: "借调天数", fApprovedBy: "批准层级",
    fConsentedOn: "同意延期日期", fMajorTask: "重大任务", fPartyFiled: "已报党委备案", fSchoolConsent: "延期经学校同意",
    fTeacherConsent: "延期经本人同意", dutyBlock: "值班值守", fDayType: "日期类型", fStudentsPresent: "有学生在校",
    fTeachersRostered: "安排专任教师值班", fHigherLevel: "上级明确要求", approvals: "审批记录",
    approvalsHint: "进校园须依次经秘书组初核、分管领导审核、组长审签。", addApproval: "＋ 添加审批步骤", fLegal: "法律法规明确要求开展",
    verdictHeading: "核查结论", loading: "正在加载规则引擎…", printOpinion: "打印核查意见", exportJson: "导出 JSON", sheetHeading: "导入事项表", sheetHint: "一行一个事项：CSV（UTF-8 或 GBK）或 Excel/WPS 表格，表头用中文字段名（编号、事项类型、标题、发文单位……），模板见 examples/items/item-table.csv。", sheetFile: "事项表文件", sheetRow: "行", sheetId: "编号", sheetTitle: "标题", sheetDecision: "结论", sheetRules: "触发的规则", sheetSummary: "共 {n} 行：禁止 {p}，需审批 {a}，材料不全 {i}，允许 {ok}，无法读取 {bad}", reviewHeading: "发文审核：粘贴文件草稿",
    reviewHint: "逐句标出向学校、教师转嫁负担的条款（下载APP、打卡留痕、一票否决、签责任状、进校园摊派等）。“不得”“严禁”等禁止性表述不计。",
    draft: "文件草稿", phDraft: "在此粘贴通知、方案的全文", reviewRun: "审核", reviewSample: "载入示例草稿",
    dashHeading: "负担监测：载入事件与学校表",
    dashHint: "CSV 表头：events.csv — school_id, teacher_id, date, kind, hours, issuer, item_id, decision, rule, comprehensive；schools.csv — school_id, name, county, urban_rural, stage, ownership, teachers, sample_point。",
    eventsFile: "事件表 events.csv", schoolsFile: "学校表 schools.csv", period: "监测时段", dashRun: "生成监测报告", dashHtml: "下载完整报告（HTML）",
    footer: "规则来源：教师厅〔2025〕2号、厅字〔2019〕54号、国教督办〔2022〕、豫教组秘〔2024〕10号、三教〔2022〕110号等。本工具用于自查，结论以主管部门审核为准。",
    langButton: "English", langLabel: "Switch to English",
    // dynamic
    decisionLabel: "结论", nextStep: "下一步", noNextStep: "无需进一步审批", fixFirst: "先按下列整改建议修改，再重新核查", missing: "须补充材料", none: "无",
    findingsHeading: "触发的规则", noFindings: "未触发任何减负规则。", source: "依据", evidence: "证据", remedy: "整改建议",
    advisory: "提示（需人工判断，不计入结论）", version: "版本", versionText: "{from} 起施行，按{governs} {on} 适用",
    chain: "审批流程", ruleset: "规则集", step: "步骤", by: "审批人/单位", on: "日期", outcome: "结果", remove: "删除",
    removeStep: "删除第 {n} 步", errorTitle: "无法核查", reviewEmpty: "请先粘贴草稿。", reviewClean: "未发现向学校转嫁负担的条款。",
    reviewFound: "发现 {n} 处需修改的条款", chars: "字数", clause: "条款", words: "触发词", dashNeedFiles: "请先选择事件表和学校表两个文件。",
    dashReading: "正在读取与计算…", dashDone: "已读取 {schools} 所学校、{events} 条事件，用时 {ms} 毫秒。", dashErrors: "{n} 行无法读取（已跳过）",
    tSchools: "学校", tEvents: "期内事件", tSample: "样本点上报", tEscalations: "预警升级", tMeanIndex: "样本点平均负担指数",
    byStratum: "按学校类型（城乡·学段·公民办）平均负担指数", byKind: "按事项类型的加权负担", byIssuer: "按发文单位类别的加权负担",
    topSchools: "负担指数最高的学校", school: "学校", county: "县区", stratum: "类型", index: "指数", band: "等级", rung: "处置",
    campus: "进校园次数", unapproved: "未审批事件", hours: "小时", schoolsCount: "校",
  },
  en: {
    skip: "Skip to main content", title: "Teacher burden-reduction self-check",
    subtitle: "Checked rule by rule against national, Henan and Sanmenxia lists · runs offline, nothing leaves your browser",
    tabsLabel: "Sections", tabCheck: "Item self-check", tabReview: "Document review", tabDash: "Burden dashboard",
    privacy: "Everything runs in this browser (WebAssembly): what you type and the tables you load are never sent to any server.",
    checkHeading: "Describe the planned item", examples: "Examples:", exProhibited: "App download drive", exApproval: "Campus entry (in review)",
    exAllowed: "Campus entry (signed off)", reset: "Clear", basics: "Basics", fKind: "Kind of item", fId: "Item number", fTitle: "Title",
    phTitle: "e.g. Notice on an anti-drug campaign in schools", fDescription: "Description", phDescription: "What happens, how long, what schools and teachers must do",
    fStart: "Start date", fEnd: "End date", fHours: "Hours per teacher (estimate)", fAsOf: "Check as of", issuer: "Issuing body",
    fIssuerName: "Name", phIssuer: "e.g. Sanmenxia Public Security Bureau", fIssuerKind: "Kind of body", fIssuerLevel: "Level", fTargets: "Aimed at",
    materials: "Materials filed", materialsHint: "Campus entries must state reason, basis, work plan and expected effect (三教〔2022〕110号).",
    requirements: "Demands on schools and teachers", requirementsHint: "Tick what the notice actually demands; words in the title and description are detected too.",
    ceBlock: "Campus entry", fBasisType: "Admission ground", fWhitelist: "Whitelist number", inspBlock: "Inspection / appraisal", fTopic: "Topic",
    fNoticeOn: "Notice sent on", fPlanId: "Annual plan number", fFiledOn: "Filed on", fApprovedOn: "Party committee approved on", fComprehensive: "Comprehensive supervision",
    fScored: "Scored / ranked", fTechnical: "Technical check (safety, hygiene…)", drBlock: "Data request", fFields: "Fields requested (comma-separated)",
    phFields: "e.g. teacher name, ID number, degree", secBlock: "Secondment", fTeachers: "Teachers borrowed", fDays: "Days", fApprovedBy: "Approved at level",
    fConsentedOn: "Extension consented on", fMajorTask: "Major task", fPartyFiled: "Filed with the Party committee", fSchoolConsent: "School consented to extension",
    fTeacherConsent: "Teacher consented to extension", dutyBlock: "Duty roster", fDayType: "Day type", fStudentsPresent: "Pupils on campus",
    fTeachersRostered: "Teachers put on the roster", fHigherLevel: "Required by a higher level", approvals: "Approvals",
    approvalsHint: "Campus entries pass secretariat review, leader review and group-head sign-off, in order.", addApproval: "+ Add approval step", fLegal: "Required by law",
    verdictHeading: "Verdict", loading: "Loading the rules engine…", printOpinion: "Print the opinion", exportJson: "Export JSON", sheetHeading: "Import an item sheet", sheetHint: "One item per row: CSV (UTF-8 or GBK) or an Excel/WPS sheet, headers are the Chinese field names (编号, 事项类型, 标题, 发文单位 …); template: examples/items/item-table.csv.", sheetFile: "Item sheet", sheetRow: "Row", sheetId: "Id", sheetTitle: "Title", sheetDecision: "Decision", sheetRules: "Rules", sheetSummary: "{n} rows: {p} prohibited, {a} need approval, {i} incomplete, {ok} allowed, {bad} unreadable", reviewHeading: "Document review: paste a draft",
    reviewHint: "Marks each clause that pushes burden onto schools and teachers (app installs, check-in traces, one-vote vetoes, responsibility letters, campus-entry quotas…). Prohibitive wording (不得, 严禁) is not flagged.",
    draft: "Draft", phDraft: "Paste the full text of the notice or plan", reviewRun: "Review", reviewSample: "Load sample draft",
    dashHeading: "Burden monitoring: load events and schools",
    dashHint: "CSV headers: events.csv — school_id, teacher_id, date, kind, hours, issuer, item_id, decision, rule, comprehensive; schools.csv — school_id, name, county, urban_rural, stage, ownership, teachers, sample_point.",
    eventsFile: "Events (events.csv)", schoolsFile: "Schools (schools.csv)", period: "Period", dashRun: "Build report", dashHtml: "Download full report (HTML)",
    footer: "Sources: 教师厅〔2025〕2号, 厅字〔2019〕54号, 国教督办〔2022〕, 豫教组秘〔2024〕10号, 三教〔2022〕110号 and others. A self-check aid; the competent authority's review decides.",
    langButton: "中文", langLabel: "切换到中文",
    decisionLabel: "Decision", nextStep: "Next step", noNextStep: "No further approval needed", fixFirst: "Make the changes below first, then check again", missing: "Missing materials", none: "none",
    findingsHeading: "Rules triggered", noFindings: "No burden-reduction rule was triggered.", source: "Source", evidence: "Evidence", remedy: "What to change",
    advisory: "Advisory (a person decides; not counted in the decision)", version: "Version", versionText: "in force from {from}, applied as of the {governs} {on}",
    chain: "Approval chain", ruleset: "Ruleset", step: "Step", by: "By", on: "Date", outcome: "Outcome", remove: "Remove",
    removeStep: "Remove step {n}", errorTitle: "Cannot check", reviewEmpty: "Paste a draft first.", reviewClean: "No clause pushing burden onto schools was found.",
    reviewFound: "{n} clauses to change", chars: "Characters", clause: "Clause", words: "Words", dashNeedFiles: "Choose both the events file and the schools file first.",
    dashReading: "Reading and computing…", dashDone: "Read {schools} schools and {events} events in {ms} ms.", dashErrors: "{n} rows could not be read (skipped)",
    tSchools: "Schools", tEvents: "Events in period", tSample: "Sample points reporting", tEscalations: "Escalations", tMeanIndex: "Mean burden index (sample)",
    byStratum: "Mean burden index by stratum (urban/rural · stage · ownership)", byKind: "Weighted burden by kind of item", byIssuer: "Weighted burden by kind of issuer",
    topSchools: "Schools with the highest burden index", school: "School", county: "County", stratum: "Stratum", index: "Index", band: "Band", rung: "Action",
    campus: "Campus entries", unapproved: "Unapproved events", hours: "hours", schoolsCount: "schools",
  },
};

// Labels of codes (kinds, bands, strata …) come from the core's label table, so the page, the
// CLI and the reports name every term alike. Filled once the module has loaded.
let L = {};
function labelTable(table) {
  const pick = (name) => Object.fromEntries(Object.entries(table[name].terms).map(([code, l]) => [code, [l.zh, l.en]]));
  return {
    kind: pick("kind"),
    issuer: { ...pick("issuer_kind"), unknown: ["未注明", "Unknown"] },
    level: pick("level"),
    target: pick("target"),
    step: pick("step"),
    outcome: pick("outcome"),
    decision: pick("decision"),
    material: pick("material"),
    // The first ten facts are the ones an item's `requirements` flags state.
    req: Object.fromEntries(Object.entries(pick("fact")).slice(0, 10)),
    basis: pick("basis_type"),
    day: pick("day_type"),
    band: pick("band"),
    rung: { ...pick("rung"), none: ["—", "—"] },
    ur: pick("urban_rural"),
    stage: pick("stage"),
    own: pick("ownership"),
    governs: pick("governs"),
    field: pick("field"),
  };
}

let lang = localStorage.getItem("jianfu.lang") === "en" ? "en" : "zh";
const t = (key, vars = {}) => (T[lang][key] ?? key).replace(/\{(\w+)\}/g, (_, k) => String(vars[k] ?? ""));
const lab = (group, value) => {
  const pair = L[group]?.[value];
  return pair ? pair[lang === "zh" ? 0 : 1] : value;
};
// An item field for people: its name from the label table, not its path (offsets stay in JSON).
const fieldLabel = (path) => {
  const [head, rest] = path.split(".", 2);
  if (head === "requirements" && rest) return lab("req", rest);
  if (head === "materials" && rest) return lab("material", rest);
  return lab("field", path);
};
// Counts with thousands separators (1,270,000), as the core's charts write them.
const thousands = (v) => (typeof v === "number" && Number.isInteger(v) ? v.toLocaleString("en-US") : v);
const colon = () => (lang === "zh" ? "：" : ": ");
const lc = (key, vars) => t(key, vars) + colon();
const tx = (text) => (text ? (lang === "zh" ? text.zh : text.en) || text.zh : "");
const $ = (sel, root = document) => root.querySelector(sel);
const $$ = (sel, root = document) => [...root.querySelectorAll(sel)];
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") el.className = v;
    else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat(Infinity)) if (c !== null && c !== undefined && c !== false) el.append(c instanceof Node ? c : String(c));
  return el;
}
const today = () => {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
};

// ---------------------------------------------------------------- engine
let engine;
let ruleTitles = new Map();

function applyStaticText() {
  document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
  $$("[data-i18n]").forEach((el) => (el.textContent = t(el.dataset.i18n)));
  $$("[data-i18n-ph]").forEach((el) => el.setAttribute("placeholder", t(el.dataset.i18nPh)));
  $$("[data-i18n-aria]").forEach((el) => el.setAttribute("aria-label", t(el.dataset.i18nAria)));
  const btn = $("#lang");
  btn.textContent = t("langButton");
  btn.setAttribute("aria-label", t("langLabel"));
  btn.setAttribute("lang", lang === "zh" ? "en" : "zh-CN");
  document.title = `${lang === "zh" ? "减负" : "jianfu"} · ${t("title")}`;
  // Option labels.
  for (const sel of $$("select[data-labels]")) {
    for (const opt of sel.options) if (opt.value) opt.textContent = lab(sel.dataset.labels, opt.value);
  }
  for (const el of $$("[data-label-group]")) el.textContent = lab(el.dataset.labelGroup, el.dataset.labelValue);
}

// ---------------------------------------------------------------- the item form
function fillSelect(sel, group, values, blank = false) {
  sel.dataset.labels = group;
  sel.replaceChildren(...(blank ? [h("option", { value: "" }, "—")] : []), ...values.map((v) => h("option", { value: v }, lab(group, v))));
}

function buildForm() {
  fillSelect($("#f-kind"), "kind", Object.keys(L.kind));
  fillSelect($("#f-issuer-kind"), "issuer", Object.keys(L.issuer).filter((k) => k !== "unknown"));
  fillSelect($("#f-issuer-level"), "level", Object.keys(L.level));
  $("#f-issuer-level").value = "city";
  $("#f-issuer-kind").value = "other_department";
  fillSelect($("#f-basis-type"), "basis", Object.keys(L.basis), true);
  fillSelect($("#f-sec-approved-by"), "level", Object.keys(L.level), true);
  fillSelect($("#f-day-type"), "day", Object.keys(L.day), true);
  $("#f-targets").replaceChildren(
    ...Object.keys(L.target).map((v) => h("label", {}, h("input", { type: "checkbox", name: "targets", value: v, id: `f-target-${v}` }), " ", h("span", { "data-label-group": "target", "data-label-value": v }, lab("target", v)))),
  );
  $("#f-materials").replaceChildren(
    ...Object.keys(L.material).map((v) =>
      h("label", { class: `field${v === "work_plan" ? " field--wide" : ""}` }, h("span", { "data-label-group": "material", "data-label-value": v }, lab("material", v)), h(v === "work_plan" ? "textarea" : "input", { name: `m_${v}`, id: `f-m-${v}`, rows: v === "work_plan" ? 2 : undefined })),
    ),
  );
  $("#f-requirements").replaceChildren(
    ...Object.keys(L.req).map((v) => h("label", {}, h("input", { type: "checkbox", name: `r_${v}`, id: `f-r-${v}`, value: v }), " ", h("span", { "data-label-group": "req", "data-label-value": v }, lab("req", v)))),
  );
  $("#f-asof").value = today();
  $("#review-asof").value = today();
}

function addApproval(a = {}) {
  const list = $("#f-approvals");
  const n = list.children.length + 1;
  const step = h("select", { "aria-label": t("step"), class: "a-step" });
  fillSelect(step, "step", Object.keys(L.step));
  step.value = a.step ?? Object.keys(L.step)[Math.min(n - 1, 2)];
  const outcome = h("select", { "aria-label": t("outcome"), class: "a-outcome" });
  fillSelect(outcome, "outcome", Object.keys(L.outcome));
  outcome.value = a.outcome ?? "approved";
  const li = h(
    "li",
    {},
    h(
      "div",
      { class: "approval" },
      h("label", { class: "field" }, h("span", {}, t("step")), step),
      h("label", { class: "field" }, h("span", {}, t("by")), h("input", { class: "a-by", value: a.by ?? "" })),
      h("label", { class: "field" }, h("span", {}, t("on")), h("input", { type: "date", class: "a-on", value: a.on ?? "" })),
      h("label", { class: "field" }, h("span", {}, t("outcome")), outcome),
      h("button", { type: "button", class: "remove", "aria-label": t("removeStep", { n }), onclick: () => { li.remove(); scheduleCheck(); } }, "✕"),
    ),
  );
  list.append(li);
}

function showKindBlocks() {
  const kind = $("#f-kind").value;
  $$("fieldset[data-kind]").forEach((fs) => (fs.hidden = fs.dataset.kind !== kind));
}

const val = (id) => $(id).value.trim();
const checked = (id) => $(id).checked;
const num = (id) => ($(id).value === "" ? undefined : Number($(id).value));
function prune(o) {
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined || v === "" || v === false || (Array.isArray(v) && v.length === 0) || (v && typeof v === "object" && !Array.isArray(v) && Object.keys(prune(v)).length === 0)) delete o[k];
  }
  return o;
}

/** The form as an item in the verdict contract's JSON shape. */
function itemFromForm() {
  const kind = $("#f-kind").value;
  const item = {
    id: val("#f-id") || "SELF-0001",
    kind,
    title: val("#f-title"),
    issuer: { name: val("#f-issuer-name"), kind: $("#f-issuer-kind").value, level: $("#f-issuer-level").value },
    targets: $$("#f-targets input:checked").map((i) => i.value),
    start: val("#f-start"),
    end: val("#f-end"),
    description: val("#f-description"),
    materials: Object.fromEntries(Object.keys(L.material).map((m) => [m, val(`#f-m-${m}`)])),
    approvals: $$("#f-approvals li").map((li) => prune({ step: $(".a-step", li).value, by: $(".a-by", li).value.trim(), on: $(".a-on", li).value, outcome: $(".a-outcome", li).value })),
    requirements: Object.fromEntries(Object.keys(L.req).map((r) => [r, checked(`#f-r-${r}`)])),
    legally_required: checked("#f-legal"),
    hours_per_teacher: num("#f-hours"),
  };
  if (kind === "campus_entry") item.campus_entry = { basis_type: $("#f-basis-type").value, whitelist_id: val("#f-whitelist") };
  if (kind === "inspection") {
    item.inspection = { comprehensive: checked("#f-comprehensive"), topic: val("#f-topic"), scored: checked("#f-scored"), notice_on: val("#f-notice-on"), technical: checked("#f-technical") };
    if (val("#f-plan-id")) item.annual_plan = { plan_id: val("#f-plan-id"), filed_on: val("#f-filed-on"), approved_on: val("#f-approved-on") };
  }
  if (kind === "data_request") item.data_request = { fields: val("#f-fields").split(/[,，、;；\s]+/).filter(Boolean) };
  if (kind === "secondment") {
    item.secondment = {
      teachers: num("#f-sec-teachers") ?? 0, days: num("#f-sec-days"), major_task: checked("#f-major-task"), approved_by: $("#f-sec-approved-by").value,
      party_filed: checked("#f-party-filed"), extension: { school_consent: checked("#f-school-consent"), teacher_consent: checked("#f-teacher-consent"), consented_on: val("#f-consented-on") },
    };
  }
  if (kind === "duty") item.duty = { day_type: $("#f-day-type").value, students_present: checked("#f-students-present"), teachers_rostered: checked("#f-teachers-rostered"), higher_level_required: checked("#f-higher-level") };
  const out = prune(item);
  // Required fields stay even when empty.
  out.title ??= "";
  out.issuer ??= { name: "", kind: $("#f-issuer-kind").value, level: $("#f-issuer-level").value };
  out.issuer.name ??= "";
  if (kind === "secondment") out.secondment ??= {};
  if (kind === "duty") out.duty ??= {};
  return out;
}

function setForm(item) {
  resetForm(false);
  $("#f-kind").value = item.kind;
  $("#f-id").value = item.id ?? "";
  $("#f-title").value = item.title ?? "";
  $("#f-description").value = item.description ?? "";
  $("#f-start").value = item.start ?? "";
  $("#f-end").value = item.end ?? "";
  $("#f-hours").value = item.hours_per_teacher ?? "";
  $("#f-issuer-name").value = item.issuer?.name ?? "";
  $("#f-issuer-kind").value = item.issuer?.kind ?? "other_department";
  $("#f-issuer-level").value = item.issuer?.level ?? "city";
  for (const v of item.targets ?? []) $(`#f-target-${v}`).checked = true;
  for (const [k, v] of Object.entries(item.materials ?? {})) $(`#f-m-${k}`).value = v;
  for (const [k, v] of Object.entries(item.requirements ?? {})) $(`#f-r-${k}`).checked = !!v;
  if (item.campus_entry) {
    $("#f-basis-type").value = item.campus_entry.basis_type ?? "";
    $("#f-whitelist").value = item.campus_entry.whitelist_id ?? "";
  }
  for (const a of item.approvals ?? []) addApproval(a);
  showKindBlocks();
  scheduleCheck();
}

function resetForm(check = true) {
  const asOf = $("#f-asof").value; // the date the user chose stays
  $("#item-form").reset();
  $("#f-approvals").replaceChildren();
  $("#f-asof").value = asOf || today();
  showKindBlocks();
  if (check) scheduleCheck();
}

const EXAMPLES = {
  prohibited: {
    id: "2026-SMX-0207", kind: "directive_task", title: "关于组织全市师生下载“平安三门峡”APP并关注公众号的通知",
    issuer: { name: "三门峡市某局", kind: "other_department", level: "city" }, targets: ["teachers", "students", "parents"], start: "2026-03-05",
    description: "各学校要组织全体师生和家长下载注册，每周通报下载量排名，完成情况纳入年度考核。",
    requirements: { install_app: true, follow_account: true, ranking: true },
  },
  approval: {
    id: "2026-SMX-0142", kind: "campus_entry", title: "反电诈宣传进校园活动", issuer: { name: "三门峡市公安局", kind: "other_department", level: "city" },
    targets: ["students"], start: "2026-03-20", end: "2026-03-20", description: "组织民警到校开展一堂40分钟的防范电信网络诈骗主题班会，面向初二学生，安排在班会课时间进行。",
    materials: { reason: "近期针对学生的电信诈骗案件多发", basis: "《中华人民共和国反电信网络诈骗法》第八条", work_plan: "每校一次主题班会，民警主讲，40分钟", expected_effect: "学生识别常见诈骗手法", organiser: "三门峡市公安局反诈中心", participants: "初二学生、班主任", content: "典型案例讲解与防范要点" },
    campus_entry: { basis_type: "law_or_document", whitelist_id: "SMX-WL-2026-03" },
    approvals: [{ step: "secretariat_review", by: "市委教育工作领导小组秘书组", on: "2026-02-20", outcome: "approved" }], hours_per_teacher: 0.7,
  },
};
EXAMPLES.allowed = {
  ...EXAMPLES.approval,
  id: "2026-SMX-0143",
  approvals: [
    { step: "secretariat_review", by: "市委教育工作领导小组秘书组", on: "2026-02-20", outcome: "approved" },
    { step: "leader_review", by: "分管副市长", on: "2026-02-27", outcome: "approved" },
    { step: "group_head_signoff", by: "领导小组组长", on: "2026-03-05", outcome: "approved" },
  ],
};

let timer;
let reviewTimer;
// `data-busy` on a live panel is "true" from the input that will change it until it shows the
// answer to the latest input: tests and assistive tools wait for "false", not for a change.
const busy = (el, on) => (el.dataset.busy = on ? "true" : "false");
function scheduleCheck() {
  clearTimeout(timer);
  busy($("#verdict"), true);
  timer = setTimeout(runCheck, 120);
}

function decisionBanner(decision, extra) {
  return h("p", { class: `decision d-${decision}`, "data-decision": decision }, h("span", { class: "dot", "aria-hidden": "true" }), h("span", {}, `${lc("decisionLabel")}${lab("decision", decision)}`), extra);
}

function tag(decision) {
  return h("span", { class: `tag d-${decision}` }, lab("decision", decision));
}

/** A finding's rule version in words: when it took effect and the item's day it was read on. */
function versionText(v) {
  return t("versionText", { from: v.from, governs: lab("governs", v.governs), on: v.on });
}

function renderFinding(f, { clause } = {}) {
  const title = ruleTitles.get(f.rule);
  return h(
    "li",
    { class: `finding f-${f.advisory ? "advisory" : f.decision}`, "data-rule": f.rule },
    h("h3", {}, f.advisory ? h("span", { class: "tag d-advisory" }, t("advisory")) : tag(f.decision), h("code", {}, f.rule), title ? h("span", {}, tx(title)) : null),
    h("p", {}, tx(f.message)),
    h("p", { class: "cite" }, `${lc("source")}《${f.citation.title}》 ${f.citation.article}`),
    f.version ? h("p", { class: "cite" }, `${lc("version")}${versionText(f.version)}`) : null,
    clause ? h("p", { class: "evidence" }, lc("clause"), h("span", { class: "q" }, `「${clause.text}」`)) : null,
    f.evidence?.length
      ? h(
          "p",
          { class: "evidence" },
          lc("evidence"),
          f.evidence.map((e, i) => [i ? "；" : "", fieldLabel(e.field), e.text ? [" ", h("span", { class: "q" }, `「${e.text}」`)] : ""]),
        )
      : null,
    h("p", { class: "remedy" }, h("strong", {}, lc("remedy")), tx(f.remedy)),
  );
}

function renderVerdict(v, item) {
  const out = [decisionBanner(v.decision)];
  const chainSteps = item.kind === "campus_entry" ? ["secretariat_review", "leader_review", "group_head_signoff"] : null;
  const summary = h(
    "ul",
    { class: "summary" },
    h("li", { id: "next-step" }, h("strong", {}, lc("nextStep")), v.next_step ? lab("step", v.next_step) : v.decision === "allowed" ? t("noNextStep") : t("fixFirst")),
    h("li", { id: "missing" }, h("strong", {}, lc("missing")), v.missing.length ? v.missing.map((m) => lab("material", m)).join("、") : t("none")),
  );
  out.push(summary);
  if (chainSteps) {
    const done = new Set((item.approvals ?? []).filter((a) => a.outcome === "approved").map((a) => a.step));
    out.push(
      h("p", { class: "muted", id: "chain-label" }, t("chain")),
      h("ol", { class: "steps", "aria-labelledby": "chain-label" }, chainSteps.map((s) => h("li", { class: s === v.next_step ? "next" : done.has(s) ? "done" : "" }, (done.has(s) && s !== v.next_step ? "√ " : "") + lab("step", s)))),
    );
  }
  out.push(h("h3", {}, `${t("findingsHeading")}（${v.findings.length}）`));
  out.push(v.findings.length ? h("ol", { class: "findings" }, v.findings.map((f) => renderFinding(f))) : h("p", { class: "muted" }, t("noFindings")));
  out.push(h("p", { class: "ruleset" }, `${lc("ruleset")}${v.ruleset.id} ${v.ruleset.version} · ${v.as_of}`));
  return out;
}

function renderError(e) {
  const where = e.location ? Object.entries(e.location).map(([k, v]) => `${k}: ${v}`).join(", ") : "";
  return [h("p", { class: "decision d-incomplete", role: "alert" }, `${lc("errorTitle")}${e.message}`), where ? h("p", { class: "muted" }, `${e.code} · ${where}`) : h("p", { class: "muted" }, e.code ?? "")];
}

let lastVerdict = null;
function runCheck() {
  if (!engine) return;
  clearTimeout(timer);
  const item = itemFromForm();
  const target = $("#verdict");
  try {
    const v = engine.check(item, $("#f-asof").value || today());
    lastVerdict = { v, item };
    target.replaceChildren(...renderVerdict(v, item));
    $("#verdict-print").disabled = $("#verdict-json").disabled = false;
    // One short, polite announcement per change of outcome (not the whole panel per keystroke).
    const status = `${lc("decisionLabel")}${lab("decision", v.decision)}${lang === "zh" ? "，" : ", "}${t("findingsHeading")} ${v.findings.length}`;
    if ($("#verdict-status").textContent !== status) $("#verdict-status").textContent = status;
    const jump = $("#jump-verdict");
    jump.hidden = false;
    jump.className = `jump d-${v.decision}`;
    jump.textContent = `${status} ↓`;
  } catch (e) {
    lastVerdict = null;
    $("#verdict-print").disabled = $("#verdict-json").disabled = true;
    target.replaceChildren(...renderError(e));
  } finally {
    busy(target, false);
  }
}

// ---------------------------------------------------------------- document review
const SAMPLE_DRAFT = `关于做好2026年春季学期平安校园建设工作的通知

各县（市、区）教育局，市直各学校：
为进一步加强平安校园建设，现将有关事项通知如下。
一、各学校要组织全体教师下载“平安三门峡”APP，并于3月10日前完成注册，下载率纳入年度考核。
二、各学校每天上传巡查照片，做到全程留痕，作为考核评价的重要依据。
三、安全工作实行一票否决，各校校长须与教育局签订安全责任状。
四、不得要求教师下载与教学无关的APP，严禁以留痕作为评价依据。
五、请各学校于3月15日前将工作总结报送市教育局。
`;

function runReview() {
  clearTimeout(reviewTimer);
  const out = $("#review-out");
  try {
    reviewNow(out);
  } finally {
    busy(out, false);
  }
}

function reviewNow(out) {
  const text = $("#draft").value;
  if (!text.trim()) {
    out.replaceChildren(h("p", { class: "card muted" }, t("reviewEmpty")));
    return;
  }
  let r;
  try {
    r = engine.review(text, $("#review-asof").value || today());
  } catch (e) {
    out.replaceChildren(h("div", { class: "card" }, renderError(e)));
    return;
  }
  const chars = Array.from(text);
  // Which findings cover each character, and which characters are trigger words.
  const cover = new Array(chars.length).fill(null);
  const hit = new Uint8Array(chars.length);
  r.findings.forEach((f, i) => {
    if (f.clause) for (let c = f.clause.span[0]; c < f.clause.span[1] && c < chars.length; c++) (cover[c] ??= []).push(i);
    for (const e of f.evidence) if (e.span) for (let c = e.span[0]; c < e.span[1] && c < chars.length; c++) hit[c] = 1;
  });
  const view = h("div", { class: "draft-view", id: "draft-view" });
  let i = 0;
  while (i < chars.length) {
    const key = cover[i] ? cover[i].join(",") : "";
    let j = i;
    while (j < chars.length && (cover[j] ? cover[j].join(",") : "") === key) j++;
    if (!key) view.append(chars.slice(i, j).join(""));
    else {
      const ids = key.split(",").map(Number);
      const worst = ids.some((k) => r.findings[k].decision === "prohibited") ? "prohibited" : "incomplete";
      const rules = [...new Set(ids.map((k) => r.findings[k].rule))];
      const mark = h("mark", { class: `clause c-${worst}`, tabindex: "0", "data-findings": key, "data-rules": rules.join(" "), "aria-label": `${rules.join("、")}${colon()}${ids.map((k) => tx(r.findings[k].message)).join(" ")}` });
      let k = i;
      while (k < j) {
        let m = k;
        while (m < j && hit[m] === hit[k]) m++;
        const s = chars.slice(k, m).join("");
        mark.append(hit[k] ? h("span", { class: "hit" }, s) : s);
        k = m;
      }
      view.append(mark);
    }
    i = j;
  }
  const list = h("ol", { class: "findings" }, r.findings.map((f) => renderFinding(f, { clause: f.clause })));
  out.replaceChildren(
    h(
      "div",
      { class: "card" },
      decisionBanner(r.decision, h("span", { class: "muted", style: "font-weight:400" }, ` · ${r.findings.length ? t("reviewFound", { n: r.findings.length }) : t("reviewClean")} · ${t("chars")} ${r.chars}`)),
      view,
    ),
    r.findings.length ? h("div", { class: "card" }, h("h3", {}, `${t("findingsHeading")}（${r.findings.length}）`), list) : "",
  );
  reviewState = r;
}
let reviewState = null;

// Hover / focus details for highlighted clauses.
const tip = h("div", { class: "tip", role: "tooltip", id: "clause-tip", hidden: true });
function showTip(mark) {
  if (!reviewState) return;
  const ids = mark.dataset.findings.split(",").map(Number);
  tip.replaceChildren(
    ...ids.flatMap((k) => {
      const f = reviewState.findings[k];
      return [h("p", {}, h("strong", {}, `[${lab("decision", f.decision)}] ${f.rule} `), tx(f.message)), h("p", {}, `${lc("source")}《${f.citation.title}》 ${f.citation.article}`), h("p", {}, `${lc("remedy")}${tx(f.remedy)}`)];
    }),
  );
  tip.hidden = false;
  const r = mark.getBoundingClientRect();
  const left = Math.max(8, Math.min(window.scrollX + r.left, window.scrollX + document.documentElement.clientWidth - tip.offsetWidth - 8));
  tip.style.left = `${left}px`;
  tip.style.top = `${window.scrollY + r.bottom + 6}px`;
  mark.setAttribute("aria-describedby", "clause-tip");
}
function hideTip() {
  tip.hidden = true;
}

// ---------------------------------------------------------------- dashboard
let lastMonitor = null;
// A chosen table's text, whatever it is (CSV in UTF-8, UTF-16 or GBK; an Excel/WPS sheet): read
// by the core.
const readFile = async (input) => {
  const file = input.files?.[0];
  return file ? tableText(new Uint8Array(await file.arrayBuffer()), file.name) : null;
};

// The core's chart, the very SVG the HTML report shows (sorted bars, band lines, legend), so the
// page and the report never disagree.
function coreChart(svg, title) {
  const box = h("div", { class: "chart-svg", role: "img", "aria-label": title });
  box.innerHTML = svg ?? "";
  return box;
}

const stratumLabel = (key) => {
  const [ur, st, own] = key.split("/");
  return lang === "zh" ? `${lab("ur", ur)}${lab("stage", st)}·${lab("own", own)}` : `${lab("ur", ur)} ${lab("stage", st)} ${lab("own", own)}`;
};

function renderDashboard(m, tables, ms) {
  const rep = m.report;
  const sample = rep.schools.filter((s) => s.sample_point);
  const mean = sample.length ? sample.reduce((a, s) => a + s.index, 0) / sample.length : 0;
  const tile = (k, v, id) => h("div", { class: "tile", id }, h("div", { class: "v" }, thousands(v)), h("div", { class: "k" }, t(k)));
  const tiles = h(
    "div",
    { class: "tiles" },
    tile("tSchools", tables.schoolsRead, "tile-schools"),
    tile("tEvents", lastScore?.report.events ?? tables.eventsRead, "tile-events"),
    tile("tSample", `${rep.coverage.reported}/${rep.coverage.expected ?? rep.coverage.registered}`, "tile-sample"),
    tile("tMeanIndex", mean.toFixed(3), "tile-mean"),
    tile("tEscalations", rep.escalations.length, "tile-escalations"),
  );
  const charts = h(
    "div",
    { class: "charts" },
    h("figure", { class: "card chart", id: "chart-stratum" }, h("figcaption", {}, t("byStratum")), coreChart(m.charts.stratum, t("byStratum"))),
    h("figure", { class: "card chart", id: "chart-kind" }, h("figcaption", {}, t("byKind")), coreChart(m.charts.kind, t("byKind"))),
    h("figure", { class: "card chart", id: "chart-issuer" }, h("figcaption", {}, t("byIssuer")), coreChart(m.charts.issuer, t("byIssuer"))),
  );
  const top = [...rep.schools].sort((a, b) => b.index - a.index).slice(0, 10);
  const table = h(
    "div",
    { class: "card" },
    h("h3", {}, t("topSchools")),
    h(
      "div",
      { class: "table-wrap" },
      h(
        "table",
        { id: "top-schools" },
        h("thead", {}, h("tr", {}, ["school", "county", "stratum"].map((k) => h("th", { scope: "col" }, t(k))), ["index", "campus", "unapproved"].map((k) => h("th", { scope: "col", class: "num" }, t(k))), h("th", { scope: "col" }, t("band")), h("th", { scope: "col" }, t("rung")))),
        h(
          "tbody",
          {},
          top.map((s) =>
            h("tr", {}, h("td", {}, s.name), h("td", {}, s.county), h("td", {}, stratumLabel(s.stratum)), h("td", { class: "num" }, s.index.toFixed(3)), h("td", { class: "num" }, s.campus_entries), h("td", { class: "num" }, s.unapproved_events), h("td", { class: `band-${s.band}` }, `● ${lab("band", s.band)}`), h("td", {}, lab("rung", s.rung))),
          ),
        ),
      ),
    ),
  );
  const errs = m.errors.length ? h("p", { class: "notice notice--error" }, t("dashErrors", { n: m.errors.length }), ": ", m.errors.slice(0, 3).map((e) => e.message).join("；")) : "";
  $("#dash-out").replaceChildren(errs, tiles, charts, table);
  $("#dash-status").textContent = t("dashDone", { schools: thousands(tables.schoolsRead), events: thousands(tables.eventsRead), ms: thousands(ms) });
}
let lastScore = null;

async function runDashboard() {
  busy($("#dash-out"), true);
  try {
    await dashboardNow();
  } finally {
    busy($("#dash-out"), false);
  }
}

async function dashboardNow() {
  const status = $("#dash-status");
  let events, schools;
  try {
    [events, schools] = await Promise.all([readFile($("#events-file")), readFile($("#schools-file"))]);
  } catch (e) {
    status.textContent = e.message ?? String(e);
    return;
  }
  if (events === null || schools === null) {
    status.textContent = t("dashNeedFiles");
    return;
  }
  status.textContent = t("dashReading");
  await new Promise((r) => setTimeout(r, 0));
  const t0 = performance.now();
  try {
    const tables = Tables.read(events, schools);
    const period = $("#period").value;
    lastScore = engine.score(tables, period);
    const m = engine.monitor(tables, period, lang === "zh" ? "减负监测报告" : "Burden monitoring report");
    lastMonitor = { m, tables, ms: Math.round(performance.now() - t0) };
    renderDashboard(m, tables, lastMonitor.ms);
    $("#dash-html").disabled = false;
  } catch (e) {
    $("#dash-out").replaceChildren(h("div", { class: "card" }, renderError(e)));
    status.textContent = "";
  }
}

// 导入事项表: every row of a sheet checked by the core, one table row per item.
async function checkSheet() {
  const input = $("#sheet-file");
  const out = $("#sheet-out");
  const file = input.files?.[0];
  if (!file || !engine) return;
  busy(out, true);
  try {
    const rows = engine.checkSheet(new Uint8Array(await file.arrayBuffer()), file.name, $("#f-asof").value || today());
    const count = (d) => rows.filter((r) => r.verdict?.decision === d).length;
    const summary = t("sheetSummary", { n: rows.length, p: count("prohibited"), a: count("needs_approval"), i: count("incomplete"), ok: count("allowed"), bad: rows.filter((r) => r.error).length });
    out.replaceChildren(
      h("p", { id: "sheet-summary" }, summary),
      h("div", { class: "table-wrap" }, h("table", {},
        h("thead", {}, h("tr", {}, ["sheetRow", "sheetId", "sheetTitle", "sheetDecision", "sheetRules"].map((k) => h("th", {}, t(k))))),
        h("tbody", {}, rows.map((r) => r.error
          ? h("tr", { "data-decision": "error" }, h("td", { class: "num" }, r.row), h("td", { colspan: 4, class: "d-incomplete" }, r.error.message))
          : h("tr", { "data-decision": r.verdict.decision }, h("td", { class: "num" }, r.row), h("td", {}, r.item.id), h("td", {}, r.item.title),
              h("td", { class: `d-${r.verdict.decision}` }, lab("decision", r.verdict.decision)), h("td", {}, r.verdict.findings.map((f) => f.rule).join("、") || "—")))),
      )),
    );
  } catch (e) {
    out.replaceChildren(...renderError(e));
  } finally {
    busy(out, false);
  }
}

// 导出: the verdict as the core's JSON, with the item it is about.
function downloadVerdict() {
  if (!lastVerdict) return;
  const text = JSON.stringify({ item: lastVerdict.item, verdict: lastVerdict.v }, null, 2);
  const blob = new Blob([text], { type: "application/json;charset=utf-8" });
  const a = h("a", { href: URL.createObjectURL(blob), download: `jianfu-verdict-${lastVerdict.v.item || "item"}.json` });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

function downloadHtml() {
  if (!lastMonitor) return;
  const blob = new Blob([lastMonitor.m.html], { type: "text/html;charset=utf-8" });
  const a = h("a", { href: URL.createObjectURL(blob), download: `jianfu-report-${$("#period").value}.html` });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

// ---------------------------------------------------------------- tabs and language
function selectTab(tab, focus = false) {
  for (const tb of $$("[role=tab]")) {
    const on = tb === tab;
    tb.setAttribute("aria-selected", String(on));
    tb.tabIndex = on ? 0 : -1;
    $(`#${tb.getAttribute("aria-controls")}`).hidden = !on;
  }
  if (focus) tab.focus();
  history.replaceState(null, "", `#${tab.id.replace("tab-", "")}`);
}

function wire() {
  const tabs = $$("[role=tab]");
  tabs.forEach((tab, i) => {
    tab.addEventListener("click", () => selectTab(tab));
    tab.addEventListener("keydown", (e) => {
      const d = { ArrowRight: 1, ArrowLeft: -1 }[e.key];
      if (d) selectTab(tabs[(i + d + tabs.length) % tabs.length], true);
      if (e.key === "Home") selectTab(tabs[0], true);
      if (e.key === "End") selectTab(tabs.at(-1), true);
    });
  });
  const initial = tabs.find((tb) => `#${tb.id.replace("tab-", "")}` === location.hash);
  if (initial) selectTab(initial);

  $("#lang").addEventListener("click", () => {
    lang = lang === "zh" ? "en" : "zh";
    localStorage.setItem("jianfu.lang", lang);
    applyStaticText();
    for (const li of $$("#f-approvals li")) for (const sel of $$("select", li)) for (const opt of sel.options) opt.textContent = lab(sel.dataset.labels, opt.value);
    runCheck();
    if (reviewState) runReview();
    if (lastMonitor) renderDashboard(lastMonitor.m, lastMonitor.tables, lastMonitor.ms);
  });
  const form = $("#item-form");
  form.addEventListener("input", scheduleCheck);
  form.addEventListener("change", (e) => {
    if (e.target.id === "f-kind") showKindBlocks();
    scheduleCheck();
  });
  form.addEventListener("submit", (e) => e.preventDefault());
  $("#add-approval").addEventListener("click", () => {
    addApproval();
    scheduleCheck();
    $("#f-approvals li:last-child select")?.focus();
  });
  $("#clear-form").addEventListener("click", () => resetForm());
  $$("[data-example]").forEach((b) => b.addEventListener("click", () => setForm(EXAMPLES[b.dataset.example])));
  $("#review-run").addEventListener("click", runReview);
  $("#review-sample").addEventListener("click", () => {
    $("#draft").value = SAMPLE_DRAFT;
    runReview();
  });
  $("#draft").addEventListener("input", () => {
    clearTimeout(reviewTimer);
    busy($("#review-out"), true);
    reviewTimer = setTimeout(runReview, 400);
  });
  document.body.append(tip);
  const out = $("#review-out");
  out.addEventListener("mouseover", (e) => e.target.closest?.("mark.clause") && showTip(e.target.closest("mark.clause")));
  out.addEventListener("mouseout", (e) => e.target.closest?.("mark.clause") && hideTip());
  out.addEventListener("focusin", (e) => e.target.matches?.("mark.clause") && showTip(e.target));
  out.addEventListener("focusout", hideTip);
  document.addEventListener("keydown", (e) => e.key === "Escape" && hideTip());
  $("#dash-run").addEventListener("click", runDashboard);
  $("#dash-html").addEventListener("click", downloadHtml);
  $("#verdict-print").addEventListener("click", () => window.print());
  $("#verdict-json").addEventListener("click", downloadVerdict);
  $("#sheet-file").addEventListener("change", checkSheet);
}

async function main() {
  try {
    // The single-file page (pkg/offline/jianfu.html) carries the module's bytes; the served
    // page fetches jianfu_bg.wasm beside the glue.
    await init(globalThis.JIANFU_WASM ? { module_or_path: globalThis.JIANFU_WASM } : undefined);
    L = labelTable(labels());
    engine = new Engine();
  } catch (e) {
    applyStaticText();
    const box = $("#load-error");
    box.hidden = false;
    box.textContent = `规则引擎加载失败 / The rules engine failed to load: ${e.message ?? e}`;
    return;
  }
  buildForm();
  applyStaticText();
  wire();
  showKindBlocks();
  ruleTitles = new Map(engine.rules().map((r) => [r.id, r.title]));
  const info = engine.info();
  $("#ruleset-info").textContent = `${info.id} · ${info.version} · sha256 ${info.digest.replace("sha256:", "").slice(0, 12)}…`;
  document.body.dataset.ready = "true";
  runCheck();
}

main();
