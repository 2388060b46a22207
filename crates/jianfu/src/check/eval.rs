//! Evaluating a condition tree against one item, collecting evidence as it goes.

use std::borrow::Cow;

use chrono::NaiveDate;
use compact_str::CompactString;

use super::register;
use crate::model::{Evidence, Item, MaterialField, Register};
use crate::process::{chain::ChainState, plan, secondment};
use crate::rules::{ApprovalState, Condition, ItemFlag, Ruleset, Unit, Value};
use crate::text::{FactSet, Hit};

/// Everything a condition can look at.
pub(crate) struct Ctx<'a> {
    pub item: &'a Item,
    /// What the item is in substance: its label and the kinds its facts and blocks imply.
    pub kinds: super::KindSet,
    /// The day of the check: what has happened (approvals, filings, starts) by then.
    pub as_of: NaiveDate,
    /// The item's day the rule being evaluated governs: parameters are read as of it.
    pub on: NaiveDate,
    pub ruleset: &'a Ruleset,
    pub calendar: &'a crate::calendar::Calendar,
    pub facts: FactSet,
    /// Fact words found in the item's text: (field, hit).
    pub hits: &'a [(&'static str, Hit)],
    pub chain: Option<&'a ChainState>,
    pub register: Option<&'a Register>,
    /// The register grouped for the counting tests, when a batch built it once.
    pub index: Option<&'a super::index::RegisterIndex<'a>>,
    /// The length of the text `text_longer_than` measures, when it is not the item's
    /// description (a draft reviewed in parts).
    pub text_chars: Option<usize>,
}

/// What made a condition hold.
#[derive(Debug, Default)]
pub(crate) struct Trace {
    pub evidence: Vec<Evidence>,
    pub missing: Vec<MaterialField>,
    pub related: Vec<String>,
    /// Records nothing: a condition is first only decided, and its evidence written only for
    /// a clause that fires (most do not, and their evidence would be formatted for nothing).
    quiet: bool,
}

impl Trace {
    /// A trace that records nothing (see `quiet`).
    pub fn quiet() -> Self {
        Self {
            quiet: true,
            ..Self::default()
        }
    }

    /// Whether the trace records.
    pub fn records(&self) -> bool {
        !self.quiet
    }

    /// Records a piece of evidence, built only when the trace records.
    pub fn note(&mut self, evidence: impl FnOnce() -> Evidence) {
        if !self.quiet {
            self.evidence.push(evidence());
        }
    }

    /// Records a missing material field.
    pub fn miss(&mut self, field: MaterialField) {
        if !self.quiet {
            self.missing.push(field);
        }
    }

    fn mark(&self) -> (usize, usize, usize) {
        (self.evidence.len(), self.missing.len(), self.related.len())
    }

    fn rollback(&mut self, mark: (usize, usize, usize)) {
        self.evidence.truncate(mark.0);
        self.missing.truncate(mark.1);
        self.related.truncate(mark.2);
    }

    pub fn clear(&mut self) {
        self.rollback((0, 0, 0));
    }

    /// Adds another trace's evidence, missing fields and related items (no repeats).
    pub fn absorb(&mut self, other: Trace) {
        for e in other.evidence {
            if !self.evidence.contains(&e) {
                self.evidence.push(e);
            }
        }
        for m in other.missing {
            if !self.missing.contains(&m) {
                self.missing.push(m);
            }
        }
        for r in other.related {
            if !self.related.contains(&r) {
                self.related.push(r);
            }
        }
    }
}

impl<'a> Ctx<'a> {
    /// A context for `item` on `as_of` with nothing found or known besides: no kinds, facts,
    /// hits, approval chain or register; fields are then set as the caller knows them.
    pub(crate) fn bare(
        item: &'a Item,
        as_of: NaiveDate,
        ruleset: &'a Ruleset,
        calendar: &'a crate::calendar::Calendar,
    ) -> Self {
        Self {
            item,
            kinds: super::KindSet::default(),
            as_of,
            on: as_of,
            ruleset,
            calendar,
            facts: FactSet::default(),
            hits: &[],
            chain: None,
            register: None,
            index: None,
            text_chars: None,
        }
    }

    /// The register's plans, through the batch's listing when there is one.
    pub(crate) fn plans(&self) -> crate::process::plan::Plans<'a> {
        crate::process::plan::Plans::of(self.register, self.index.map(|i| &i.listing))
    }

    pub(crate) fn number(&self, name: &str) -> Option<f64> {
        match self.ruleset.parameter(name)?.at(self.on)? {
            Value::Number(n) => Some(n),
            _ => None,
        }
    }

    fn month_day(&self, name: &str) -> Option<(u32, u32)> {
        match self.ruleset.parameter(name)?.at(self.on)? {
            Value::MonthDay { month, day } => Some((month, day)),
            _ => None,
        }
    }

    fn level(&self, name: &str) -> Option<crate::model::Level> {
        match self.ruleset.parameter(name)?.at(self.on)? {
            Value::Level(level) => Some(level),
            _ => None,
        }
    }

    fn flag(&self, flag: ItemFlag) -> bool {
        let item = self.item;
        match flag {
            ItemFlag::DutyStudentsPresent => item.duty.as_ref().is_some_and(|d| d.students_present),
            ItemFlag::DutyTeachersRostered => {
                item.duty.as_ref().is_some_and(|d| d.teachers_rostered)
            }
            ItemFlag::DutyHigherLevelRequired => {
                item.duty.as_ref().is_some_and(|d| d.higher_level_required)
            }
            ItemFlag::InspectionComprehensive => {
                item.inspection.as_ref().is_some_and(|i| i.comprehensive)
            }
            ItemFlag::InspectionScored => item.inspection.as_ref().is_some_and(|i| i.scored),
            ItemFlag::InspectionTechnical => item.inspection.as_ref().is_some_and(|i| i.technical),
            ItemFlag::SecondmentMajorTask => item.secondment.as_ref().is_some_and(|s| s.major_task),
            ItemFlag::SecondmentPartyFiled => {
                item.secondment.as_ref().is_some_and(|s| s.party_filed)
            }
            ItemFlag::LegallyRequired => item.legally_required,
            ItemFlag::MajorTask => item.major_task,
            ItemFlag::CampusEntryOnWhitelist => item.whitelist_id().is_some(),
        }
    }
}

/// Whether `condition` holds; on success `trace` holds its evidence, on failure it is unchanged.
pub(crate) fn eval(condition: &Condition, ctx: &Ctx<'_>, trace: &mut Trace) -> bool {
    let item = ctx.item;
    match condition {
        Condition::All(children) => {
            let mark = trace.mark();
            for child in children {
                if !eval(child, ctx, trace) {
                    trace.rollback(mark);
                    return false;
                }
            }
            true
        }
        Condition::Any(children) => {
            // Every true child adds its evidence, so the finding shows all reasons.
            let mut any = false;
            for child in children {
                any |= eval(child, ctx, trace);
            }
            any
        }
        Condition::Not(child) => {
            let mark = trace.mark();
            let held = eval(child, ctx, trace);
            trace.rollback(mark);
            !held
        }
        Condition::Kind(kinds) => kinds.iter().any(|&k| ctx.kinds.contains(k)),
        Condition::Label(kinds) => kinds.contains(&item.kind),
        Condition::IssuerKind(kinds) => kinds.contains(&item.issuer.kind),
        Condition::IssuerLevel(levels) => levels.contains(&item.issuer.level),
        Condition::Target(targets) => targets.iter().any(|t| item.targets.contains(t)),
        Condition::Fact(fact) => {
            let mut held = false;
            if item.requirements.states(*fact) {
                if let Some(field) = fact.requirement_field() {
                    trace.note(|| Evidence::field(field, None));
                }
                held = true;
            }
            if ctx.facts.contains(*fact) {
                for (field, hit) in ctx.hits.iter().filter(|(_, h)| h.fact == *fact) {
                    let text = if *field == "title" {
                        &item.title
                    } else {
                        &item.description
                    };
                    trace.note(|| Evidence {
                        field: Cow::Borrowed(field),
                        text: text.get(hit.bytes[0]..hit.bytes[1]).map(CompactString::new),
                        span: Some(hit.span),
                    });
                }
                held = true;
            }
            held
        }
        Condition::Missing(fields) => {
            let mut held = false;
            for field in fields {
                if item.materials.get(*field).is_none() {
                    trace.miss(*field);
                    trace.note(|| {
                        Evidence::field(
                            format!("materials.{}", field.as_str()),
                            Some("缺失 missing".to_string()),
                        )
                    });
                    held = true;
                }
            }
            held
        }
        Condition::Flag(flag) => {
            let held = ctx.flag(*flag);
            if held {
                trace.note(|| Evidence::field(flag.field(), None));
            }
            held
        }
        Condition::DayType(days) => {
            let Some(duty) = item.duty.as_ref() else {
                return false;
            };
            match (duty.day_type, item.start) {
                (Some(day), _) => days.contains(&day),
                (None, Some(start)) => {
                    let day = ctx.calendar.day_type(start);
                    let held = days.contains(&day);
                    if held {
                        trace.note(|| {
                            Evidence::field(
                                "start",
                                Some(format!(
                                    "校历 {}: {start} 为{} (calendar day type: {})",
                                    ctx.calendar.id,
                                    day.zh(),
                                    day.as_str()
                                )),
                            )
                        });
                    }
                    held
                }
                (None, None) => false,
            }
        }
        Condition::ActivityOn(days) => {
            if item.start.is_none() {
                return false;
            }
            let (start, end) = super::activity_span(item, ctx.as_of);
            // A year of days at most: a longer span is read as its first year.
            let found = start
                .iter_days()
                .take_while(|d| *d <= end)
                .take(366)
                .find(|d| days.contains(&ctx.calendar.day_type(*d)));
            if let Some(day) = found {
                let kind = ctx.calendar.day_type(day);
                trace.note(|| {
                    Evidence::field(
                        "start",
                        Some(format!(
                            "校历 {}: {day} 为{} ({kind:?})",
                            ctx.calendar.id,
                            kind.zh()
                        )),
                    )
                });
            }
            found.is_some()
        }
        Condition::InExamWeeks(wanted) => match item.start {
            Some(start) => {
                let held = ctx
                    .calendar
                    .in_exam_weeks(start, item.end.unwrap_or(start).max(start));
                if held && *wanted {
                    trace.note(|| {
                        Evidence::field(
                            "start",
                            Some(format!(
                                "{start} 在考试周内 (falls in exam weeks, calendar {})",
                                ctx.calendar.id
                            )),
                        )
                    });
                }
                held == *wanted
            }
            None => false,
        },
        Condition::BasisType(types) => item
            .campus_entry
            .as_ref()
            .and_then(|c| c.basis_type)
            .is_some_and(|b| types.contains(&b)),
        Condition::Approval(state) => approval(*state, ctx, trace),
        Condition::ApprovedBy(names) => item.approvals.iter().any(|a| {
            a.outcome == crate::model::ApprovalOutcome::Approved
                && a.on <= ctx.as_of
                && item.start.is_none_or(|start| a.on <= start)
                && a.by
                    .as_deref()
                    .is_some_and(|by| names.iter().any(|n| by.contains(n.as_str())))
        }),
        Condition::Plan(state) => {
            let standing =
                plan::standing(item, ctx.plans(), plan::Judge::of(ctx.ruleset, ctx.as_of));
            let held = standing.state == *state;
            if held {
                for (field, text) in standing.notes {
                    trace.note(|| Evidence::field(field, Some(text)));
                }
            }
            held
        }
        Condition::PlanFiledAfter(param) => {
            let Some((month, day)) = ctx.month_day(param) else {
                return false;
            };
            match plan::filed_late(item, ctx.plans(), month, day) {
                Some((filed, deadline)) => {
                    trace.note(|| {
                        Evidence::field(
                            "annual_plan.filed_on",
                            Some(format!(
                                "{filed} 晚于报备截止日 {deadline} (filed after the deadline)"
                            )),
                        )
                    });
                    true
                }
                None => false,
            }
        }
        Condition::Started(wanted) => item.start.is_some_and(|s| s <= ctx.as_of) == *wanted,
        Condition::NoticeShorterThan(param) => {
            let notice = item.inspection.as_ref().and_then(|i| i.notice_on);
            let unit = notice_unit(ctx, param);
            let (Some(notice), Some(start), Some(n)) = (notice, item.start, ctx.number(param))
            else {
                return false;
            };
            // The earliest start the notice allows: calendar months are calendar months.
            let earliest = shift(notice, n, unit, true);
            let held = earliest.is_none_or(|earliest| start < earliest);
            if held {
                let ahead = (start - notice).num_days();
                trace.note(|| Evidence::field(
                    "inspection.notice_on",
                    Some(format!(
                        "{notice} 通知、{start} 开始，提前 {ahead} 天，不足 {n} {} ({ahead} days' notice, less than {n} {})",
                        unit.zh(),
                        match unit {
                            Unit::Days => "days",
                            Unit::Months => "calendar months",
                        }
                    )),
                ));
            }
            held
        }
        Condition::NoticeMissing(param) => {
            let given = item.inspection.as_ref().and_then(|i| i.notice_on).is_some();
            let (false, Some(start), Some(n)) = (given, item.start, ctx.number(param)) else {
                return false;
            };
            // The last day the notice could still be given, as known on `as_of`.
            let last = shift(start, n, notice_unit(ctx, param), false);
            let held = last.is_none_or(|last| ctx.as_of >= last);
            if held {
                trace.note(|| Evidence::field(
                    "inspection.notice_on",
                    Some(format!(
                        "未填写通知日期，{start} 开始的检查最迟应于 {} 通知 (no notice date recorded; due by then)",
                        last.map(|d| d.to_string()).unwrap_or_default()
                    )),
                ));
            }
            held
        }
        Condition::SecondmentOverCap(param) | Condition::SecondmentLongerThan(param) => {
            let Some(months) = ctx.number(param) else {
                return false;
            };
            let months_whole = months.max(0.0) as u32;
            // Over the cap counts only without prior consent; longer-than counts either way.
            let (overrun, zh, en) = if matches!(condition, Condition::SecondmentOverCap(_)) {
                let o = secondment::over_cap(item, months_whole);
                (o, "且无事先同意", " without prior consent")
            } else {
                (secondment::longer_than(item, months_whole), "", "")
            };
            let Some(overrun) = overrun else {
                return false;
            };
            let days = overrun.days;
            trace.note(|| Evidence::field(
                "secondment",
                Some(format!(
                    "借调 {days} 天，超过 {months} 个月{zh} ({days} days, over {months} months{en})"
                )),
            ));
            true
        }
        Condition::ConsentBelow(param) => {
            let Some(level) = ctx.level(param) else {
                return false;
            };
            let held = ctx.kinds.contains(crate::model::Kind::Secondment)
                && secondment::consent_below(item, level);
            if held {
                trace
                    .evidence
                    .push(Evidence::field("secondment.approved_by", None));
            }
            held
        }
        Condition::HoursAbove(param) => match (item.hours_per_teacher, ctx.number(param)) {
            (Some(hours), Some(limit)) if hours > limit => {
                trace.note(|| {
                    Evidence::field("hours_per_teacher", Some(format!("{hours} > {limit}")))
                });
                true
            }
            _ => false,
        },
        Condition::TextLongerThan(param) => {
            let chars = ctx
                .text_chars
                .unwrap_or_else(|| item.description.chars().count());
            let (Some(limit), chars) = (ctx.number(param), chars) else {
                return false;
            };
            let held = chars as f64 > limit;
            if held {
                trace.note(|| {
                    Evidence::field(
                        "text",
                        Some(format!(
                            "全文 {chars} 字，超过 {limit} 字 ({chars} characters, over {limit})"
                        )),
                    )
                });
            }
            held
        }
        Condition::Register(test) => register::eval(test, ctx, trace),
    }
}

/// `date` moved `n` days or calendar months (`n` rounded up) forward or back; `None` past the
/// calendar's range.
fn shift(date: NaiveDate, n: f64, unit: Unit, forward: bool) -> Option<NaiveDate> {
    let n = n.ceil().max(0.0);
    match (unit, forward) {
        (Unit::Days, true) => date.checked_add_signed(chrono::Duration::days(n as i64)),
        (Unit::Days, false) => date.checked_sub_signed(chrono::Duration::days(n as i64)),
        (Unit::Months, true) => date.checked_add_months(chrono::Months::new(n as u32)),
        (Unit::Months, false) => date.checked_sub_months(chrono::Months::new(n as u32)),
    }
}

/// The unit of a notice-period parameter (days when it names none).
fn notice_unit(ctx: &Ctx<'_>, param: &str) -> Unit {
    ctx.ruleset
        .parameter(param)
        .and_then(|p| p.unit)
        .unwrap_or(Unit::Days)
}

fn approval(state: ApprovalState, ctx: &Ctx<'_>, trace: &mut Trace) -> bool {
    let Some(chain) = ctx.chain else {
        return false;
    };
    let item = ctx.item;
    match state {
        ApprovalState::Pending => {
            let held = chain.rejected.is_none() && !chain.complete();
            if held {
                if let Some(next) = chain.next {
                    // Joined, not formatted: most campus entries' checks write this, and
                    // `format!` cost a twentieth of a check.
                    trace.note(|| {
                        let words = ["待办步骤", next.zh(), " next step: ", next.as_str()];
                        Evidence::field("approvals", Some(words.concat()))
                    });
                }
            }
            held
        }
        ApprovalState::OutOfOrder => {
            for (index, skipped) in &chain.out_of_order {
                let step = item.approvals.get(*index).map(|a| a.step);
                let text = match (step, skipped.as_slice()) {
                    (Some(step), []) => format!(
                        "{}（{}）早于上一步骤日期，不计入 (dated before the step before it)",
                        step.zh(),
                        step.as_str()
                    ),
                    (Some(step), skipped) => format!(
                        "{}（{}）跳过了 {}，不计入 (skipped {})",
                        step.zh(),
                        step.as_str(),
                        skipped
                            .iter()
                            .map(|s| s.zh())
                            .collect::<Vec<_>>()
                            .join("、"),
                        skipped
                            .iter()
                            .map(|s| s.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    (None, _) => "步骤顺序错误 out of order".to_string(),
                };
                trace
                    .evidence
                    .push(Evidence::field(format!("approvals[{index}]"), Some(text)));
            }
            !chain.out_of_order.is_empty()
        }
        ApprovalState::WrongActor => {
            let process = ctx.ruleset.process(crate::model::Kind::CampusEntry);
            for &index in &chain.wrong_actor {
                let Some(approval) = item.approvals.get(index) else {
                    continue;
                };
                let actor = process.and_then(|p| p.actor(approval.step));
                trace.note(|| {
                    Evidence::field(
                        format!("approvals[{index}].by"),
                        Some(format!(
                            "{}由“{}”作出，应由{}作出，不计入 (taken by another body)",
                            approval.step.zh(),
                            approval.by.as_deref().unwrap_or_default(),
                            actor.map(|a| a.zh.as_str()).unwrap_or_default()
                        )),
                    )
                });
            }
            !chain.wrong_actor.is_empty()
        }
        ApprovalState::Rejected => match chain.rejected {
            Some(index) => {
                trace.note(|| {
                    Evidence::field(
                        format!("approvals[{index}]"),
                        Some("审批未通过 rejected".to_string()),
                    )
                });
                true
            }
            None => false,
        },
        ApprovalState::BeforeSignoff => {
            let Some(start) = item.start else {
                return false;
            };
            let held = match chain.signoff_on {
                Some(signed) => start < signed,
                None => chain.rejected.is_none() && start <= ctx.as_of,
            };
            if held {
                let text = match chain.signoff_on {
                    Some(signed) => {
                        format!("活动 {start} 早于组长签批 {signed} (starts before sign-off)")
                    }
                    None => format!("活动 {start} 已开始但未经组长签批 (started without sign-off)"),
                };
                trace.note(|| Evidence::field("start", Some(text)));
            }
            held
        }
    }
}
