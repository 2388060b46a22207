//! Loading and validation: every error names the file, the rule id or field, and why.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use chrono::NaiveDate;
use sha2::{Digest, Sha256};

use super::format::{self, CitationRef, LayerFile, RawValue, Scope};
use super::{
    Clause, Context, Layer, LexiconGroup, ParamType, Parameter, Process, Rule, Ruleset, Value,
};
use crate::error::{Error, Location};
use crate::model::{Citation, Level, RulesetInfo};

pub(super) fn load<N: AsRef<str>, T: AsRef<str>>(sources: &[(N, T)]) -> crate::Result<Ruleset> {
    if sources.is_empty() {
        return Err(Error::invalid(
            Location::default(),
            "a ruleset needs at least one layer",
        ));
    }
    let mut builder = Builder::default();
    for (index, (name, text)) in sources.iter().enumerate() {
        let (name, text) = (name.as_ref(), text.as_ref());
        let file: LayerFile = toml::from_str(text).map_err(|e| syntax_error(name, text, &e))?;
        builder.add_layer(index, name, text, file)?;
    }
    builder.finish()
}

pub(super) fn load_path(path: &Path) -> crate::Result<Ruleset> {
    let manifest_path = if path.is_dir() {
        path.join("ruleset.toml")
    } else {
        path.to_path_buf()
    };
    let text = read(&manifest_path)?;
    let name = manifest_path.display().to_string();
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Manifest {
        layers: Vec<String>,
    }
    // A manifest lists layer files; anything else is a single layer file.
    if let Ok(manifest) = toml::from_str::<Manifest>(&text) {
        let base = manifest_path.parent().unwrap_or_else(|| Path::new("."));
        let mut sources = Vec::new();
        for layer in manifest.layers {
            let layer_path = base.join(&layer);
            sources.push((layer_path.display().to_string(), read(&layer_path)?));
        }
        load(&sources)
    } else {
        load(&[(name, text)])
    }
}

fn read(path: &Path) -> crate::Result<String> {
    std::fs::read_to_string(path).map_err(|e| Error::Io {
        path: path.display().to_string(),
        reason: e.to_string(),
    })
}

pub(crate) fn syntax_error(name: &str, text: &str, error: &toml::de::Error) -> Error {
    let mut location = Location::source(name);
    let mut reason = error.message().trim().to_string();
    if let Some(span) = error.span() {
        let (line, column) = line_column(text, span.start);
        location = location.line(line, Some(column));
        // Quote the offending line so the message stands on its own.
        if let Some(source_line) = text.lines().nth(line.saturating_sub(1)) {
            reason = format!("{reason} (in `{}`)", source_line.trim());
        }
    }
    Error::RulesetSyntax {
        location: Box::new(location),
        reason,
    }
}

fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[derive(Default)]
struct Builder {
    layers: Vec<Layer>,
    documents: Vec<format::Document>,
    parameters: Vec<Parameter>,
    param_index: HashMap<String, usize>,
    lexicon: Vec<LexiconGroup>,
    context: Context,
    processes: Vec<Process>,
    rules: Vec<Rule>,
    sources: Vec<(String, String)>,
    /// (rule id, source name) for review_rule and process references checked at the end.
    pending_refs: Vec<(String, Location)>,
}

impl Builder {
    fn add_layer(
        &mut self,
        index: usize,
        name: &str,
        text: &str,
        file: LayerFile,
    ) -> crate::Result<()> {
        let here = || Location::source(name);
        if self.layers.iter().any(|l| l.id == file.layer.id) {
            return Err(Error::invalid(
                here().field("layer.id"),
                format!("duplicate layer `{}`", file.layer.id),
            ));
        }
        self.layers.push(Layer {
            id: file.layer.id.clone(),
            name: file.layer.name,
            version: file.layer.version,
            source: name.to_string(),
        });
        self.sources.push((name.to_string(), text.to_string()));

        for doc in file.documents {
            if self.documents.iter().any(|d| d.id == doc.id) {
                return Err(Error::invalid(
                    here().field(format!("documents[{}]", doc.id)),
                    "duplicate document id",
                ));
            }
            if let (Some(effective), Some(repealed)) = (doc.effective, doc.repealed) {
                if repealed < effective {
                    return Err(Error::invalid(
                        here().field(format!("documents[{}].repealed", doc.id)),
                        "repealed before it took effect",
                    ));
                }
            }
            self.documents.push(doc);
        }

        for param in file.parameters {
            self.add_parameter(index, name, param)?;
        }

        for entry in file.lexicon {
            let field = format!("lexicon[{:?}]", entry.fact);
            if entry.words.is_empty() || entry.words.iter().any(|w| w.trim().is_empty()) {
                return Err(Error::invalid(
                    here().field(field),
                    "lexicon words must be non-empty",
                ));
            }
            if let Some(rule) = &entry.review_rule {
                self.pending_refs
                    .push((rule.clone(), here().field(format!("{field}.review_rule"))));
            }
            self.lexicon.push(LexiconGroup {
                fact: entry.fact,
                words: entry.words,
                review_rule: entry.review_rule,
            });
        }

        if let Some(ctx) = file.context {
            self.citation(name, &ctx.citation, "context.citation")?;
            for (list, field) in [
                (&ctx.negators, "negators"),
                (&ctx.sentence_breaks, "sentence_breaks"),
                (&ctx.scope_breaks, "scope_breaks"),
            ] {
                if list.iter().any(|w| w.is_empty()) {
                    return Err(Error::invalid(
                        here().field(format!("context.{field}")),
                        "empty word",
                    ));
                }
            }
            extend_unique(&mut self.context.negators, ctx.negators);
            extend_unique(&mut self.context.sentence_breaks, ctx.sentence_breaks);
            extend_unique(&mut self.context.scope_breaks, ctx.scope_breaks);
        }

        for process in file.processes {
            let field = format!("processes[{}]", process.kind.as_str());
            let mut seen = HashSet::new();
            if process.actors.len() != process.steps.len() {
                return Err(Error::invalid(
                    here().field(format!("{field}.actors")),
                    "one actor per step",
                ));
            }
            if process.steps.is_empty() || !process.steps.iter().all(|s| seen.insert(*s)) {
                return Err(Error::invalid(
                    here().field(field),
                    "steps must be non-empty and distinct",
                ));
            }
            self.pending_refs
                .push((process.rule.clone(), here().field(format!("{field}.rule"))));
            // An inner layer's chain for the same kind replaces the outer one.
            self.processes.retain(|p| p.kind != process.kind);
            self.processes.push(Process {
                kind: process.kind,
                steps: process.steps,
                actors: process.actors,
                rule: process.rule,
            });
        }

        for def in file.rules {
            let rule = self.rule(index, name, text, def)?;
            self.rules.push(rule);
        }
        Ok(())
    }

    fn add_parameter(
        &mut self,
        index: usize,
        name: &str,
        param: format::Parameter,
    ) -> crate::Result<()> {
        let at = || Location::source(name).field(format!("parameters[{}]", param.name));
        if param.values.is_empty() {
            return Err(Error::invalid(
                at(),
                "a parameter needs at least one dated value",
            ));
        }
        let mut values = Vec::new();
        let mut last: Option<NaiveDate> = None;
        for dated in &param.values {
            if last.is_some_and(|l| dated.from <= l) {
                return Err(Error::invalid(
                    at(),
                    format!("value dated {} is not after the previous one", dated.from),
                ));
            }
            last = Some(dated.from);
            values.push((
                dated.from,
                parse_value(&dated.value).map_err(|reason| Error::invalid(at(), reason))?,
            ));
        }
        let kind = values.first().map(|(_, v)| v.kind());
        if values.iter().any(|(_, v)| Some(v.kind()) != kind) {
            return Err(Error::invalid(
                at(),
                "all values of a parameter must have one type",
            ));
        }
        let citation = self.citation(
            name,
            &param.citation,
            &format!("parameters[{}].citation", param.name),
        )?;
        match self.param_index.get(&param.name) {
            Some(&existing) => {
                let Some(outer) = self.parameters.get_mut(existing) else {
                    return Err(Error::invalid(at(), "internal parameter index"));
                };
                let outer_kind = outer
                    .values
                    .first()
                    .and_then(|(_, v)| v.first())
                    .map(|(_, v)| v.kind());
                if outer_kind != kind {
                    return Err(Error::invalid(
                        at(),
                        "an inner layer must keep the parameter's type",
                    ));
                }
                if outer.values.iter().any(|(layer, _)| *layer == index) {
                    return Err(Error::invalid(at(), "duplicate parameter in one layer"));
                }
                outer.values.push((index, values));
            }
            None => {
                self.param_index
                    .insert(param.name.clone(), self.parameters.len());
                self.parameters.push(Parameter {
                    name: param.name,
                    description: param.description,
                    stricter: param.stricter,
                    citation,
                    note: param.note,
                    values: vec![(index, values)],
                });
            }
        }
        Ok(())
    }

    fn citation(&self, name: &str, citation: &CitationRef, field: &str) -> crate::Result<Citation> {
        let doc = self
            .documents
            .iter()
            .find(|d| d.id == citation.document)
            .ok_or_else(|| {
                Error::invalid(
                    Location::source(name).field(field.to_string()),
                    format!("unknown document `{}`", citation.document),
                )
            })?;
        Ok(Citation {
            document: doc.id.clone(),
            title: doc.title.clone(),
            article: citation.article.clone(),
        })
    }

    fn rule(
        &self,
        index: usize,
        name: &str,
        text: &str,
        def: format::RuleDef,
    ) -> crate::Result<Rule> {
        let id = def.id.clone();
        let occurrence = self
            .rules
            .iter()
            .filter(|r| r.id == id && r.layer_index == index)
            .count();
        let line = find_rule_line(text, &id, occurrence);
        let at = |field: &str| {
            let mut loc = Location::source(name)
                .rule(id.clone())
                .field(field.to_string());
            if let Some(line) = line {
                loc = loc.line(line, None);
            }
            loc
        };
        if id.trim().is_empty() {
            return Err(Error::invalid(at("id"), "rule id must be non-empty"));
        }
        let citation = self
            .citation(name, &def.citation, "citation")
            .map_err(|_| {
                Error::invalid(
                    at("citation.document"),
                    format!("unknown document `{}`", def.citation.document),
                )
            })?;
        if def.effective.to.is_some_and(|to| to <= def.effective.from) {
            return Err(Error::invalid(at("effective"), "`to` must be after `from`"));
        }
        // Dated versions of one id must not overlap.
        for other in self.rules.iter().filter(|r| r.id == id) {
            if other.effective.overlaps(&def.effective) {
                return Err(Error::invalid(
                    at("effective"),
                    format!(
                        "overlaps another dated version of `{id}` (from {})",
                        other.effective.from
                    ),
                ));
            }
        }
        if let Some(target) = &def.overrides {
            let found = self
                .rules
                .iter()
                .any(|r| &r.id == target && r.layer_index < index);
            if !found {
                return Err(Error::invalid(
                    at("overrides"),
                    format!("`{target}` is not a rule of an outer layer"),
                ));
            }
        }

        let mut clauses = Vec::new();
        match (def.scope, def.when, def.decision, def.remedy) {
            (Scope::Monitoring, None, None, _) => {}
            (Scope::Monitoring, ..) => {
                return Err(Error::invalid(
                    at("when"),
                    "monitoring rules have no `when` or `decision`",
                ));
            }
            (_, Some(when), Some(decision), Some(remedy)) => clauses.push(Clause {
                when,
                decision,
                message: def.message.clone(),
                remedy,
            }),
            (_, None, ..) => return Err(Error::invalid(at("when"), "missing `when`")),
            (_, _, None, _) => return Err(Error::invalid(at("decision"), "missing `decision`")),
            (_, _, _, None) => return Err(Error::invalid(at("remedy"), "missing `remedy`")),
        }
        for clause in def.clauses {
            clauses.push(Clause {
                when: clause.when,
                decision: clause.decision,
                message: clause.message,
                remedy: clause.remedy,
            });
        }
        for (i, clause) in clauses.iter().enumerate() {
            let field = if i == 0 {
                "when".to_string()
            } else {
                format!("clauses[{}].when", i - 1)
            };
            let mut params = Vec::new();
            clause.when.parameters(&mut params);
            for (param, wanted) in params {
                let Some(found) = self
                    .param_index
                    .get(&param)
                    .and_then(|&p| self.parameters.get(p))
                else {
                    return Err(Error::invalid(
                        at(&field),
                        format!("unknown parameter `{param}`"),
                    ));
                };
                let kind = found
                    .values
                    .first()
                    .and_then(|(_, v)| v.first())
                    .map(|(_, v)| v.kind());
                if kind != Some(wanted) {
                    return Err(Error::invalid(
                        at(&field),
                        format!("parameter `{param}` must be a {}", param_type_name(wanted)),
                    ));
                }
            }
            visit_register(&clause.when, &mut |t| check_register(t, &at(&field)))?;
        }
        Ok(Rule {
            id: id.clone(),
            title: def.title,
            citation,
            effective: def.effective,
            scope: def.scope,
            kinds: def.kinds,
            clauses,
            message: def.message,
            overrides: def.overrides,
            escalation: def.escalation,
            confidence: def.confidence,
            note: def.note,
            layer: self
                .layers
                .get(index)
                .map(|l| l.id.clone())
                .unwrap_or_default(),
            layer_index: index,
        })
    }

    fn finish(self) -> crate::Result<Ruleset> {
        for (rule, location) in &self.pending_refs {
            if !self.rules.iter().any(|r| &r.id == rule) {
                return Err(Error::invalid(
                    location.clone(),
                    format!("unknown rule `{rule}`"),
                ));
            }
        }
        let mut hasher = Sha256::new();
        for (name, text) in &self.sources {
            hasher.update(name.rsplit('/').next().unwrap_or(name).as_bytes());
            hasher.update([0u8]);
            hasher.update(text.as_bytes());
            hasher.update([0u8]);
        }
        let digest: String = hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let info = RulesetInfo {
            id: self
                .layers
                .iter()
                .map(|l| l.id.as_str())
                .collect::<Vec<_>>()
                .join("/"),
            version: self
                .layers
                .last()
                .map(|l| l.version.clone())
                .unwrap_or_default(),
            digest: format!("sha256:{digest}"),
        };
        Ok(Ruleset {
            info,
            layers: self.layers,
            documents: self.documents,
            parameters: self.parameters,
            param_index: self.param_index,
            lexicon: self.lexicon,
            context: self.context,
            processes: self.processes,
            rules: self.rules,
            sources: self.sources,
        })
    }
}

fn visit_register(
    condition: &super::Condition,
    f: &mut dyn FnMut(&super::RegisterTest) -> crate::Result<()>,
) -> crate::Result<()> {
    use super::Condition as C;
    match condition {
        C::All(children) | C::Any(children) => {
            children.iter().try_for_each(|c| visit_register(c, f))
        }
        C::Not(child) => visit_register(child, f),
        C::Register(test) => f(test),
        _ => Ok(()),
    }
}

fn check_register(test: &super::RegisterTest, at: &Location) -> crate::Result<()> {
    match (test.test.needs_limit(), &test.limit) {
        (true, None) => Err(Error::invalid(
            at.clone(),
            format!("register test `{:?}` needs a `limit` parameter", test.test),
        )),
        (false, Some(_)) => Err(Error::invalid(
            at.clone(),
            format!("register test `{:?}` takes no `limit`", test.test),
        )),
        _ => Ok(()),
    }
}

fn param_type_name(t: ParamType) -> &'static str {
    match t {
        ParamType::Number => "number",
        ParamType::MonthDay => "month-day (`MM-DD`)",
        ParamType::Level => "level (`county`, `city` …)",
    }
}

fn parse_value(raw: &RawValue) -> Result<Value, String> {
    match raw {
        RawValue::Int(i) => Ok(Value::Number(*i as f64)),
        RawValue::Float(f) => Ok(Value::Number(*f)),
        RawValue::Text(text) => {
            if let Ok(level) =
                serde_json::from_value::<Level>(serde_json::Value::String(text.clone()))
            {
                return Ok(Value::Level(level));
            }
            let (month, day) = text
                .split_once('-')
                .and_then(|(m, d)| Some((m.parse::<u32>().ok()?, d.parse::<u32>().ok()?)))
                .ok_or_else(|| {
                    format!("`{text}` is neither a number, a month-day (`MM-DD`) nor a level")
                })?;
            // 2024 is a leap year, so 02-29 is accepted as a month-day.
            NaiveDate::from_ymd_opt(2024, month, day)
                .map(|_| Value::MonthDay { month, day })
                .ok_or_else(|| format!("`{text}` is not a valid month-day"))
        }
    }
}

fn extend_unique(into: &mut Vec<String>, from: Vec<String>) {
    for word in from {
        if !into.contains(&word) {
            into.push(word);
        }
    }
}

/// The line of the `occurrence`-th `id = "<rule id>"` in the source, for error locations.
fn find_rule_line(text: &str, id: &str, occurrence: usize) -> Option<usize> {
    let needle = format!("\"{id}\"");
    text.lines()
        .enumerate()
        .filter(|(_, line)| {
            let t = line.trim_start();
            t.starts_with("id") && t.contains(&needle)
        })
        .nth(occurrence)
        .map(|(i, _)| i + 1)
}
