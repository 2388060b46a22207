//! The ruleset linter (规则检查): layers that loosen an outer layer, rules that can never fire
//! or duplicate another, and kinds no rule covers.

use serde::Serialize;

use super::{Direction, Parameter, Ruleset, Scope, Value};
use crate::model::Kind;

/// What the linter found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LintKind {
    /// An inner layer loosens an outer one (a higher cap, a later deadline, a milder decision).
    Loosens,
    /// A rule that can never fire.
    Unreachable,
    /// Two rules with the same kinds and condition.
    Duplicate,
    /// An item kind no rule covers.
    Uncovered,
    /// An inner rule restates an outer one with the same decision (informational).
    Restates,
    /// A rule in force before its document takes effect or after it is repealed.
    OutsideDocument,
    /// A parameter no rule condition names and the core does not read.
    UnusedParameter,
}

/// Parameters the core reads by name outside rule conditions, from the modules that read
/// them: the burden index's weights, multipliers and bands (by prefix), monitoring's ladder,
/// caps, cadence and sample size, the semester split and the secondment consent level.
fn read_by_core(name: &str) -> bool {
    use crate::score::{index, monitor};
    let prefixes = [
        index::WEIGHT_PREFIX,
        index::MULTIPLIER_PREFIX,
        index::BAND_PREFIX,
    ];
    let names = [
        crate::check::register::SPRING_START,
        crate::check::register::AUTUMN_START,
        crate::process::secondment::MIN_CONSENT_LEVEL,
    ];
    prefixes.iter().any(|p| name.starts_with(p))
        || names.contains(&name)
        || monitor::PARAMETERS.contains(&name)
}

/// One lint finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LintFinding {
    /// What.
    pub kind: LintKind,
    /// `warning` (should be fixed) or `info`.
    pub severity: &'static str,
    /// The rule or parameter concerned.
    pub subject: String,
    /// Explanation, Chinese then English.
    pub message: String,
}

pub(super) fn lint(ruleset: &Ruleset) -> Vec<LintFinding> {
    let mut out = Vec::new();
    for param in ruleset.parameters() {
        loosening_parameter(ruleset, param, &mut out);
    }
    unused_parameters(ruleset, &mut out);
    let rules = ruleset.rules();
    for rule in rules {
        // Rules with no condition (monitoring duties, notes) are documentation, not checks.
        let never = !rule.clauses.is_empty()
            && !rule
                .clauses
                .iter()
                .any(|c| super::satisfy::can_hold(&c.when));
        if never {
            let also = match &rule.overrides {
                Some(target) => format!(
                    "，而它覆盖了 `{target}`，使其失效 (and it overrides `{target}`, which is switched off)"
                ),
                None => String::new(),
            };
            out.push(warning(
                LintKind::Unreachable,
                &rule.id,
                format!(
                    "`{}` 的条件自相矛盾，永远不能成立{also} (its condition contradicts itself and never holds)",
                    rule.id
                ),
            ));
            continue;
        }
        if let Some(target) = &rule.overrides {
            for outer in rules.iter().filter(|r| &r.id == target) {
                let (inner_d, outer_d) = (rule.max_decision(), outer.max_decision());
                if inner_d < outer_d {
                    out.push(warning(
                        LintKind::Loosens,
                        &rule.id,
                        format!(
                            "`{}` 放宽了上级规则 `{}`：{} → {} (loosens `{}`: {} → {})",
                            rule.id,
                            outer.id,
                            outer_d.zh(),
                            inner_d.zh(),
                            outer.id,
                            outer_d.as_str(),
                            inner_d.as_str()
                        ),
                    ));
                } else if inner_d == outer_d {
                    out.push(info(
                        LintKind::Restates,
                        &rule.id,
                        format!(
                            "`{}` 以相同结论重申 `{}` (restates `{}` with the same decision)",
                            rule.id, outer.id, outer.id
                        ),
                    ));
                }
            }
        }
        if rule.scope == Scope::Item {
            for clause in &rule.clauses {
                if let Some(kinds) = clause.when.kinds() {
                    let reachable = kinds.iter().any(|k| rule.applies_to(*k));
                    if !reachable {
                        out.push(warning(LintKind::Unreachable, &rule.id, format!(
                            "`{}` 的条件要求的事项类型不在其适用类型内，永不触发 (condition's kinds never meet the rule's kinds)",
                            rule.id
                        )));
                    }
                }
            }
        }
    }
    for rule in rules {
        outside_document(ruleset, rule, &mut out);
    }
    // Duplicates by signature (kinds and main condition): each rule is compared with the
    // first of its signature, so the work and the findings stay linear in the rule count.
    let mut first_of: std::collections::HashMap<
        (&[Kind], Option<&super::Condition>),
        &super::Rule,
    > = std::collections::HashMap::new();
    for b in rules.iter().filter(|r| r.scope == Scope::Item) {
        let signature = (b.kinds.as_slice(), b.clauses.first().map(|c| &c.when));
        let Some(a) = first_of.get(&signature).copied() else {
            first_of.insert(signature, b);
            continue;
        };
        let related = a.id == b.id
            || a.overrides.as_deref() == Some(&b.id)
            || b.overrides.as_deref() == Some(&a.id);
        if !related {
            out.push(warning(
                LintKind::Duplicate,
                &b.id,
                format!(
                    "`{}` 与 `{}` 的适用类型和条件相同 (same kinds and condition as `{}`)",
                    b.id, a.id, a.id
                ),
            ));
        }
    }
    for kind in Kind::ALL {
        let covered = rules
            .iter()
            .any(|r| r.scope == Scope::Item && r.applies_to(kind));
        if !covered {
            out.push(warning(
                LintKind::Uncovered,
                kind.as_str(),
                format!(
                    "没有规则适用于 `{}` 类事项 (no rule covers kind `{}`)",
                    kind.as_str(),
                    kind.as_str()
                ),
            ));
        }
    }
    out
}

/// Parameters neither a rule condition nor the core reads: a typo in a name, or a value left
/// behind when its rule was removed.
fn unused_parameters(ruleset: &Ruleset, out: &mut Vec<LintFinding>) {
    let mut named = Vec::new();
    for rule in ruleset.rules() {
        for clause in &rule.clauses {
            clause.when.parameters(&mut named);
        }
    }
    for param in ruleset.parameters() {
        if !read_by_core(&param.name) && !named.iter().any(|(n, _)| *n == param.name) {
            out.push(warning(
                LintKind::UnusedParameter,
                &param.name,
                format!(
                    "参数 `{}` 没有规则使用 (no rule condition names parameter `{}`, and the core does not read it)",
                    param.name, param.name
                ),
            ));
        }
    }
}

/// A rule's window must sit inside its document's: from its effective day, and ended by its
/// repeal.
fn outside_document(ruleset: &Ruleset, rule: &super::Rule, out: &mut Vec<LintFinding>) {
    let Some(doc) = ruleset
        .documents()
        .iter()
        .find(|d| d.id == rule.citation.document)
    else {
        return;
    };
    let w = rule.effective;
    if let Some(effective) = doc.effective.filter(|&e| w.from < e) {
        out.push(warning(
            LintKind::OutsideDocument,
            &rule.id,
            format!(
                "`{}` 自 {} 起施行，早于文件 {} 的生效日 {effective} (in force before its document)",
                rule.id, w.from, doc.id
            ),
        ));
    }
    if let Some(repealed) = doc.repealed.filter(|&r| w.to.is_none_or(|to| to > r)) {
        out.push(warning(
            LintKind::OutsideDocument,
            &rule.id,
            format!(
                "文件 {} 已于 {repealed} 废止，`{}` 仍在施行 (in force after its document was repealed)",
                doc.id, rule.id
            ),
        ));
    }
}

fn loosening_parameter(ruleset: &Ruleset, param: &Parameter, out: &mut Vec<LintFinding>) {
    if param.stricter == Direction::None {
        return;
    }
    for window in param.values.windows(2) {
        let [(outer_layer, outer), (inner_layer, inner)] = window else {
            continue;
        };
        for (from, inner_value) in inner {
            let Some(outer_value) = super::value_at(outer, *from) else {
                continue;
            };
            if looser(param.stricter, *inner_value, outer_value) {
                let layer = |i: &usize| {
                    ruleset
                        .layers()
                        .get(*i)
                        .map(|l| l.id.clone())
                        .unwrap_or_default()
                };
                out.push(warning(LintKind::Loosens, &param.name, format!(
                    "`{}` 层将参数 `{}` 自 {from} 放宽为 {}（`{}` 层为 {}） (layer `{}` loosens `{}` from {from})",
                    layer(inner_layer), param.name, show(*inner_value), layer(outer_layer), show(outer_value),
                    layer(inner_layer), param.name
                )));
            }
        }
    }
}

fn looser(direction: Direction, inner: Value, outer: Value) -> bool {
    match (direction, inner, outer) {
        (Direction::Lower, Value::Number(i), Value::Number(o)) => i > o,
        (Direction::Higher, Value::Number(i), Value::Number(o)) => i < o,
        (
            Direction::Earlier,
            Value::MonthDay { month: im, day: id },
            Value::MonthDay { month: om, day: od },
        ) => (im, id) > (om, od),
        (Direction::Lower, Value::Level(i), Value::Level(o)) => i.height() < o.height(),
        _ => false,
    }
}

fn show(value: Value) -> String {
    match value {
        Value::Number(n) => n.to_string(),
        Value::MonthDay { month, day } => format!("{month:02}-{day:02}"),
        Value::Level(level) => format!("{level:?}").to_lowercase(),
    }
}

fn warning(kind: LintKind, subject: &str, message: String) -> LintFinding {
    LintFinding {
        kind,
        severity: "warning",
        subject: subject.to_string(),
        message,
    }
}

fn info(kind: LintKind, subject: &str, message: String) -> LintFinding {
    LintFinding {
        kind,
        severity: "info",
        subject: subject.to_string(),
        message,
    }
}
