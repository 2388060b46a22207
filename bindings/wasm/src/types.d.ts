/** 事项种类 — the kind of an item. */
export type Kind =
  | "inspection" | "campus_entry" | "data_request" | "secondment" | "directive_task"
  | "social_task" | "duty" | "training" | "meeting" | "document" | "after_school_service" | "external_exam";
/** 发文单位类别 — the kind of issuing body. */
export type IssuerKind =
  | "education" | "party_committee" | "government" | "other_department"
  | "mass_organization" | "enterprise" | "social_organization";
/** 层级 — administrative level. */
export type Level = "national" | "provincial" | "city" | "county" | "township" | "school";
/** 对象 — who the item reaches. */
export type Target = "schools" | "teachers" | "students" | "parents";
/** 审批步骤 — an approval step. */
export type Step =
  | "secretariat_review" | "leader_review" | "group_head_signoff"
  | "party_committee_approval" | "education_consent" | "party_committee_filing";
/** 结论 — decision, least to most severe. */
export type Decision = "allowed" | "needs_approval" | "incomplete" | "prohibited";
/** 材料字段 — a material field a rule may require. */
export type MaterialField =
  | "reason" | "basis" | "work_plan" | "expected_effect" | "organiser" | "participants" | "content";
/** An ISO date, `YYYY-MM-DD`. */
export type IsoDate = string;

/** 发文单位 — the issuing body. */
export interface Issuer { name: string; kind: IssuerKind; level: Level; }
/** 申报材料 — the materials filed with an item. */
export interface Materials {
  reason?: string; basis?: string; work_plan?: string; expected_effect?: string;
  organiser?: string; participants?: string; content?: string;
}
/** 审批记录 — one approval step taken. */
export interface Approval {
  step: Step; by?: string; on: IsoDate; outcome: "approved" | "rejected" | "returned";
}
/** 要求 — flags for what the item demands. */
export interface Requirements {
  install_app?: boolean; follow_account?: boolean; vote_or_like?: boolean; sales_quota?: boolean;
  commercial_promotion?: boolean; check_in_trace?: boolean; one_vote_veto?: boolean;
  responsibility_letter?: boolean; ranking?: boolean; photo_upload?: boolean;
}
/** 事项 — one thing some body wants schools or teachers to do (DESIGN.md §3). */
export interface Item {
  id: string;
  kind: Kind;
  title: string;
  issuer: Issuer;
  targets?: Target[];
  schools?: string[];
  start?: IsoDate;
  end?: IsoDate;
  description?: string;
  materials?: Materials;
  approvals?: Approval[];
  annual_plan?: {
    plan_id: string; filed_on?: IsoDate; filed_with?: string; approved_on?: IsoDate; approved_by?: string;
  };
  requirements?: Requirements;
  legally_required?: boolean;
  /** 重大专项任务 — a major special task (NAT2019-3.2). */
  major_task?: boolean;
  hours_per_teacher?: number;
  campus_entry?: {
    basis_type?: "law_or_document" | "ministry_joint" | "party_campaign" | "none";
    whitelist_id?: string;
    /** 年级 — the grades it reaches, for whitelist scope limits. */
    grades?: string[];
    /** 开展地点 — where it takes place. */
    place?: string;
  };
  inspection?: {
    comprehensive?: boolean; topic?: string; scored?: boolean; notice_on?: IsoDate; technical?: boolean;
  };
  data_request?: { fields?: string[] };
  secondment?: {
    teachers?: number; days?: number; major_task?: boolean; approved_by?: Level; party_filed?: boolean;
    extension?: { school_consent?: boolean; teacher_consent?: boolean; consented_on?: IsoDate };
  };
  duty?: {
    day_type?: "school_day" | "weekend" | "holiday" | "vacation";
    students_present?: boolean; teachers_rostered?: boolean; higher_level_required?: boolean;
  };
}
/** 年度计划 — a department's annual inspection plan. */
export interface AnnualPlan { [key: string]: unknown; }
/** 登记册 — the period's other items, plans and data held, for cross-item rules. */
export interface Register {
  items?: Item[];
  plans?: AnnualPlan[];
  held_data?: { holder: string; fields: string[] }[];
  /** 白名单 — the published campus-entry whitelist (MC2025-1's columns). */
  whitelist?: WhitelistEntry[];
}
/** One entry of a published campus-entry whitelist. */
export interface WhitelistEntry {
  id: string; name: string; from: IsoDate; to: IsoDate; place: string; scope: string;
  content: string; basis: string; unit: string;
  limits?: { schools?: string[]; max_schools?: number; max_grades?: number; exclude_grades?: string[] };
}

/** Chinese text with English alongside. */
export interface Text { zh: string; en: string; }

/** One term of the label table: its Chinese and English labels and the names accepted on input. */
export interface TermLabels { zh: string; en: string; aliases: string[]; }
/** The label table (术语表): by vocabulary (`kind`, `band` …), its Chinese name and its terms by code. */
export type Labels = Record<string, { zh: string; terms: Record<string, TermLabels> }>;
/** 出处 — document and article. */
export interface Citation { document: string; title: string; article: string; }
/** 证据 — what in the item made a rule fire; spans count Unicode scalar values. */
export interface Evidence { field: string; text?: string; span?: [number, number]; }
/** 规则命中 — one rule that fired. */
export interface Finding {
  rule: string;
  decision: Decision;
  message: Text;
  citation: Citation;
  evidence: Evidence[];
  remedy: Text;
  related?: string[];
  /** 规则版本 — the rule version used, and the item's day it was read on. */
  version: RuleVersion;
  /** 提示 — present and true on an advisory finding: a person decides; the verdict's
   * decision does not count it. */
  advisory?: boolean;
}
/** The version of a rule a finding used: its window and the item's day (activity, notice,
 * filing or review day) it was read on. */
export interface RuleVersion {
  from: IsoDate;
  to?: IsoDate;
  on: IsoDate;
  governs: "activity" | "notice" | "filing" | "review";
}
/** 规则集 — id, version and digest of the ruleset that decided. */
export interface RulesetInfo { id: string; version: string; digest: string; }
/** 裁决 — the verdict on one item. */
export interface Verdict {
  /** The version of this JSON shape (1). */
  format_version: number;
  item: string;
  decision: Decision;
  findings: Finding[];
  missing: MaterialField[];
  next_step: Step | null;
  as_of: IsoDate;
  ruleset: RulesetInfo;
}
/** Where an error was found. */
export interface ErrorLocation {
  source?: string; line?: number; column?: number; field?: string; rule?: string;
}
/** An error as data: `{code, message, location}`. */
export interface ErrorData { code: string; message: string; location?: ErrorLocation; }
/** A record of `checkMany` input that could not be read. */
export interface RecordError { error: ErrorData; }
/** The `Error` thrown by every call: `code` is the core's stable code. */
export interface JianfuError extends Error {
  code: "ruleset.syntax" | "ruleset.invalid" | "item.invalid" | "row.invalid" | "table.schema" | "date.invalid"
    | "rule.unknown" | "period.unknown" | "jurisdiction.unknown" | "argument.invalid" | "partial.invalid" | "io";
  location: ErrorLocation | null;
}

/** 条款 — a sentence of the draft with its character span. */
export interface Clause { span: [number, number]; text: string; }
/** 审核发现 — one clause that imposes burden. */
export interface ReviewFinding {
  rule: string;
  decision: Decision;
  message: Text;
  citation: Citation;
  clause?: Clause;
  evidence: Evidence[];
  remedy: Text;
}
/** 发文审核 — the review of a draft document. */
export interface Review {
  format_version: number;
  chars: number;
  decision: Decision;
  findings: ReviewFinding[];
  as_of: IsoDate;
  ruleset: RulesetInfo;
}
/** 年度计划核查 — one verdict per plan entry. */
export interface PlanReport { format_version: number; plan: string; decision: Decision; verdicts: Verdict[]; as_of: IsoDate; }

/** 规则 — one dated version of a rule. */
export interface Rule {
  id: string;
  title: Text;
  citation: Citation;
  effective: { from: IsoDate; to?: IsoDate };
  scope: string;
  kinds: Kind[];
  clauses: unknown[];
  message: Text;
  overrides?: string;
  escalation?: string;
  confidence?: string;
  note?: string;
  layer: string;
}
/** 规则说明 — a rule with its document, parameters and approval chain. */
export interface Explanation {
  rule: string;
  versions: Rule[];
  document: Record<string, unknown> | null;
  parameters: Record<string, unknown>[];
  processes: Record<string, unknown>[];
}
/** 规则集检查 — one linter finding. */
export interface LintFinding { kind: string; severity: "warning" | "info"; subject: string; message: string; }

/** 学校 — one school row. */
export interface SchoolRow {
  school_id: string; name: string; county: string;
  urban_rural: "urban" | "rural";
  stage: "primary" | "junior" | "senior" | "nine_year" | "complete";
  ownership: "public" | "private";
  teachers: number; sample_point?: boolean;
}
/** 负担事件 — one event row. */
export interface EventRow {
  school_id: string; teacher_id?: string | null; date: IsoDate; kind: Kind; hours: number;
  issuer?: IssuerKind | null; item_id?: string | null; decision?: Decision | null;
  rule?: string | null; comprehensive?: boolean;
}
/** Events as typed columns, all the same length. */
export interface EventColumns {
  school_id: ArrayLike<string>;
  date: ArrayLike<IsoDate>;
  kind: ArrayLike<Kind>;
  hours: ArrayLike<number> | Float64Array | Float32Array;
  teacher_id?: ArrayLike<string | null>;
  issuer?: ArrayLike<IssuerKind | null>;
  item_id?: ArrayLike<string | null>;
  decision?: ArrayLike<Decision | null>;
  rule?: ArrayLike<string | null>;
  comprehensive?: ArrayLike<boolean> | Uint8Array;
}
/** 负担评分报告 — the score report (see the Rust `ScoreReport`). */
export interface ScoreReport {
  format_version: number;
  period: { id: string; start: IsoDate; end: IsoDate; school_days: number; [key: string]: unknown };
  weeks: number;
  events: number;
  weights: Record<string, unknown>;
  schools: Array<{ school_id: string; index: number; burden: number; hours: number; events: number; band: string; breakdown: Record<string, Record<string, number>>; [key: string]: unknown }>;
  teachers: Array<{ teacher_id: string; index: number; [key: string]: unknown }>;
  counties: Array<{ group: string; index: number; band: string; [key: string]: unknown }>;
  strata: Array<{ group: string; index: number; band: string; [key: string]: unknown }>;
  total: Record<string, unknown>;
}
/** 监测报告 — the monitoring report (see the Rust `MonitorReport`). */
export interface MonitorReport { [key: string]: unknown; }
/** `score` result: the report and the rows that could not be read. */
export interface ScoreResult { report: ScoreReport; errors: ErrorData[]; }
/** `monitor` result: the report, a self-contained HTML page, and the rows that could not be read. */
/** One row of an item sheet: its item and verdict, or why the row is no item. */
export interface SheetRow { row: number; item?: Item; verdict?: Verdict; error?: ErrorData; }

export interface MonitorResult { report: MonitorReport; html: string; /** The report's charts as SVG, by id: stratum, trend, kind, issuer. */ charts: Record<string, string>; errors: ErrorData[]; }
