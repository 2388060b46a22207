//! Loading and validation: every error names the file, the rule id or field, and why.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use chrono::NaiveDate;
use sha2::{Digest, Sha256};

use super::format::{
    self, CitationRef, ContextWords, DayWord, Governs, LayerFile, LexiconEntry, RawValue, Scope,
};
use super::{
    Clause, Context, Layer, LexiconGroup, ParamType, Parameter, Process, Rule, Ruleset, Substance,
    Value,
};
use crate::error::{Error, Location};
use crate::model::{Citation, Fact, Level, RulesetInfo};

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
    std::fs::read_to_string(path).map_err(|e| Error::read_failed(path.display().to_string(), e))
}

/// Most characters of a source line a syntax error quotes.
const QUOTE_CHARS: usize = 120;

pub(crate) fn syntax_error(name: &str, text: &str, error: &toml::de::Error) -> Error {
    let mut location = Location::source(name);
    let mut reason = error.message().trim().to_string();
    if let Some(span) = error.span() {
        let (line, column) = line_column(text, span.start);
        location = location.line(line, Some(column));
        // Quote the offending line so the message stands on its own, cut short if long.
        if let Some(source_line) = text.lines().nth(line.saturating_sub(1)) {
            let source_line = source_line.trim();
            let quoted: String = source_line.chars().take(QUOTE_CHARS).collect();
            let more = if source_line.chars().nth(QUOTE_CHARS).is_some() {
                " …"
            } else {
                ""
            };
            reason = format!("{reason} (in `{quoted}{more}`)");
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
    param_index: rustc_hash::FxHashMap<String, usize>,
    lexicon: Vec<LexiconGroup>,
    context: Context,
    processes: Vec<Process>,
    substance: Vec<Substance>,
    /// Named term lists (`@name` in lexicon entries), all layers so far.
    terms: HashMap<String, Vec<String>>,
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

        for (term, words) in file.terms {
            if words.is_empty()
                || words
                    .iter()
                    .any(|w| w.trim().is_empty() || w.starts_with('@'))
            {
                return Err(Error::invalid(
                    Location::source(name).field(format!("terms.{term}")),
                    "a term list holds non-empty words (no `@` references)",
                ));
            }
            extend_unique(self.terms.entry(term).or_default(), words);
        }
        for entry in file.lexicon {
            self.add_lexicon(name, entry)?;
        }

        if let Some(ctx) = file.context {
            self.citation(name, &ctx.citation, "context.citation")?;
            self.add_context(name, ctx)?;
        }

        for (i, def) in file.substance.into_iter().enumerate() {
            let field = format!("substance[{i}]");
            let citation = self.citation(name, &def.citation, &format!("{field}.citation"))?;
            if def.facts.is_empty() {
                return Err(Error::invalid(
                    here().field(field),
                    "`facts` must be non-empty",
                ));
            }
            self.substance.push(Substance {
                facts: def.facts,
                kind: def.kind,
                when: def.when,
                citation,
            });
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
            if let Some(rule) = &process.unapproved {
                self.pending_refs
                    .push((rule.clone(), here().field(format!("{field}.unapproved"))));
            }
            // An inner layer's chain for the same kind replaces the outer one.
            self.processes.retain(|p| p.kind != process.kind);
            self.processes.push(Process {
                kind: process.kind,
                steps: process.steps,
                actors: process.actors,
                filing: process.filing,
                rule: process.rule,
                unapproved: process.unapproved,
            });
        }

        // Counted before any rule is read: a huge file is refused at once, not after the work.
        let rules_max = crate::limits::Limits::get().rules_max;
        if self.rules.len() + file.rules.len() > rules_max {
            return Err(Error::invalid(
                Location::source(name).field("rules"),
                format!(
                    "{} rules, more than the limit rules_max = {rules_max}",
                    self.rules.len() + file.rules.len()
                ),
            ));
        }
        for def in file.rules {
            let rule = self.rule(index, name, text, def)?;
            self.rules.push(rule);
        }
        self.check_limits(name)?;
        Ok(())
    }

    /// Validates one lexicon entry: words or a frame, no empty word, an order or gap only for
    /// frames of several groups.
    fn add_lexicon(&mut self, name: &str, entry: LexiconEntry) -> crate::Result<()> {
        let label = entry.name.clone().unwrap_or_else(|| fact_name(entry.fact));
        let field = format!("lexicon[{label}]");
        let here = || Location::source(name).field(field.clone());
        let frame = match (entry.words.is_empty(), entry.frame.is_empty()) {
            (false, true) => vec![entry.words],
            (true, false) => entry.frame,
            (false, false) => {
                return Err(Error::invalid(here(), "give `words` or `frame`, not both"));
            }
            (true, true) => return Err(Error::invalid(here(), "lexicon words must be non-empty")),
        };
        let frame = frame
            .into_iter()
            .map(|g| self.expand(g, &here))
            .collect::<crate::Result<Vec<_>>>()?;
        let unless = self.expand(entry.unless, &here)?;
        let blank = |w: &String| w.trim().is_empty();
        if frame.iter().any(|g| g.is_empty() || g.iter().any(blank)) || unless.iter().any(blank) {
            return Err(Error::invalid(here(), "lexicon words must be non-empty"));
        }
        if frame.len() + usize::from(!entry.on_days.is_empty()) > MAX_FRAME_GROUPS {
            return Err(Error::invalid(
                here(),
                format!("a frame has at most {MAX_FRAME_GROUPS} groups, days included"),
            ));
        }
        if entry.within == Some(0) {
            return Err(Error::invalid(here(), "`within` must be at least 1"));
        }
        if entry.notice_days && entry.on_days.is_empty() {
            return Err(Error::invalid(
                here(),
                "`notice_days` dates an entry by its notice, so it needs `on_days`",
            ));
        }
        let review_rules = entry.review_rule.into_vec();
        for rule in &review_rules {
            self.pending_refs.push((
                rule.clone(),
                Location::source(name).field(format!("{field}.review_rule")),
            ));
        }
        for (i, rule) in entry.yields_to.iter().enumerate() {
            self.pending_refs.push((
                rule.clone(),
                Location::source(name).field(format!("{field}.yields_to[{i}]")),
            ));
        }
        self.lexicon.push(LexiconGroup {
            fact: entry.fact,
            name: label,
            frame,
            in_order: entry.in_order,
            within: entry.within,
            unless,
            on_days: entry.on_days,
            notice_days: entry.notice_days,
            review_rules,
            yields_to: entry.yields_to,
        });
        Ok(())
    }

    /// Replaces each `@name` in `words` by the named term list.
    fn expand(
        &self,
        words: Vec<String>,
        here: &impl Fn() -> Location,
    ) -> crate::Result<Vec<String>> {
        let mut out = Vec::with_capacity(words.len());
        for word in words {
            match word.strip_prefix('@') {
                Some(name) => {
                    let list = self.terms.get(name).ok_or_else(|| {
                        Error::invalid(here(), format!("unknown term list `@{name}`"))
                    })?;
                    extend_unique(&mut out, list.clone());
                }
                None => extend_unique(&mut out, vec![word]),
            }
        }
        Ok(out)
    }

    /// Adds a layer's context words to the outer layers'.
    fn add_context(&mut self, name: &str, ctx: ContextWords) -> crate::Result<()> {
        let none = Vec::new();
        let exception = ctx.exception.as_ref();
        let permission = ctx.permission.as_ref();
        let concession = ctx.concession.as_ref();
        let denial = ctx.denial.as_ref();
        let titles = ctx.titles.as_ref();
        let bearer = ctx.bearer.as_ref();
        let conditions = ctx.conditions.as_ref();
        let words = [
            (&ctx.negators, "negators"),
            (&ctx.neutral, "neutral"),
            (&ctx.sentence_breaks, "sentence_breaks"),
            (&ctx.scope_breaks, "scope_breaks"),
            (&ctx.joiners, "joiners"),
            (&ctx.imposers, "imposers"),
            (&ctx.reporting, "reporting"),
            (exception.map_or(&none, |e| &e.open), "exception.open"),
            (exception.map_or(&none, |e| &e.close), "exception.close"),
            (
                exception.map_or(&none, |e| &e.additive),
                "exception.additive",
            ),
            (permission.map_or(&none, |p| &p.open), "permission.open"),
            (
                permission.map_or(&none, |p| &p.approval),
                "permission.approval",
            ),
            (permission.map_or(&none, |p| &p.after), "permission.after"),
            (permission.map_or(&none, |p| &p.route), "permission.route"),
            (
                permission.map_or(&none, |p| &p.approver),
                "permission.approver",
            ),
            (concession.map_or(&none, |c| &c.but), "concession.but"),
            (
                concession.map_or(&none, |c| &c.voluntary),
                "concession.voluntary",
            ),
            (
                concession.map_or(&none, |c| &c.compulsion),
                "concession.compulsion",
            ),
            (
                conditions.map_or(&none, |c| &c.endings),
                "conditions.endings",
            ),
            (conditions.map_or(&none, |c| &c.except), "conditions.except"),
            (conditions.map_or(&none, |c| &c.inside), "conditions.inside"),
            (titles.map_or(&none, |t| &t.endings), "titles.endings"),
            (
                titles.map_or(&none, |t| &t.not_opening),
                "titles.not_opening",
            ),
            (titles.map_or(&none, |t| &t.lead_ins), "titles.lead_ins"),
            (
                titles.map_or(&none, |t| &t.report_headings),
                "titles.report_headings",
            ),
            (denial.map_or(&none, |d| &d.subjects), "denial.subjects"),
            (denial.map_or(&none, |d| &d.negators), "denial.negators"),
            (denial.map_or(&none, |d| &d.except), "denial.except"),
            (bearer.map_or(&none, |b| &b.others), "bearer.others"),
            (bearer.map_or(&none, |b| &b.schools), "bearer.schools"),
        ];
        for (list, field) in words {
            if list.iter().any(|w| w.is_empty()) {
                return Err(Error::invalid(
                    Location::source(name).field(format!("context.{field}")),
                    "empty word",
                ));
            }
        }
        if ctx.quotes.iter().flatten().any(|q| q.is_empty()) {
            return Err(Error::invalid(
                Location::source(name).field("context.quotes"),
                "empty quotation mark",
            ));
        }
        let c = &mut self.context;
        extend_unique(&mut c.negators, ctx.negators);
        extend_unique(&mut c.neutral, ctx.neutral);
        extend_unique(&mut c.sentence_breaks, ctx.sentence_breaks);
        extend_unique(&mut c.scope_breaks, ctx.scope_breaks);
        extend_unique(&mut c.joiners, ctx.joiners);
        extend_unique(&mut c.imposers, ctx.imposers);
        extend_unique(&mut c.reporting, ctx.reporting);
        if let Some(k) = ctx.conditions {
            extend_unique(&mut c.condition_endings, k.endings);
            extend_unique(&mut c.condition_except, k.except);
            extend_unique(&mut c.condition_inside, k.inside);
        }
        if let Some(e) = ctx.exception {
            extend_unique(&mut c.exception_open, e.open);
            extend_unique(&mut c.exception_close, e.close);
            extend_unique(&mut c.exception_additive, e.additive);
        }
        if let Some(p) = ctx.permission {
            extend_unique(&mut c.permission_open, p.open);
            extend_unique(&mut c.permission_approval, p.approval);
            extend_unique(&mut c.permission_after, p.after);
            extend_unique(&mut c.permission_route, p.route);
            extend_unique(&mut c.permission_approver, p.approver);
        }
        if let Some(k) = ctx.concession {
            extend_unique(&mut c.concession_but, k.but);
            extend_unique(&mut c.concession_voluntary, k.voluntary);
            extend_unique(&mut c.concession_compulsion, k.compulsion);
        }
        if let Some(t) = ctx.titles {
            extend_unique(&mut c.title_endings, t.endings);
            extend_unique(&mut c.title_not_opening, t.not_opening);
            extend_unique(&mut c.title_lead_ins, t.lead_ins);
            extend_unique(&mut c.report_headings, t.report_headings);
        }
        if let Some(d) = ctx.denial {
            // A denial opens with a negator token; a word the reader does not take for a
            // negator could never open one.
            if let Some(w) = d.negators.iter().find(|w| !c.negators.contains(w)) {
                return Err(Error::invalid(
                    Location::source(name).field("context.denial.negators"),
                    format!("“{w}” is not one of the context's negators"),
                ));
            }
            extend_unique(&mut c.denial_subjects, d.subjects);
            extend_unique(&mut c.denial_negators, d.negators);
            extend_unique(&mut c.denial_except, d.except);
        }
        if let Some(b) = ctx.bearer {
            extend_unique(&mut c.bearer_others, b.others);
            extend_unique(&mut c.bearer_schools, b.schools);
        }
        for pair in ctx.quotes {
            if !c.quotes.contains(&pair) {
                c.quotes.push(pair);
            }
        }
        if let Some(d) = ctx.days {
            for (day, list) in [
                (DayWord::Weekend, d.weekend),
                (DayWord::Holiday, d.holiday),
                (DayWord::Vacation, d.vacation),
                (DayWord::ExamWeek, d.exam_week),
            ] {
                for word in list {
                    if word.is_empty() {
                        return Err(Error::invalid(
                            Location::source(name).field("context.days"),
                            "empty word",
                        ));
                    }
                    if !c.days.iter().any(|(t, w)| *t == day && *w == word) {
                        c.days.push((day, word));
                    }
                }
            }
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
            let value = parse_value(&dated.value).map_err(|reason| Error::invalid(at(), reason))?;
            if let Value::Number(n) = value {
                let max = crate::limits::Limits::get().parameter_number_max;
                if !(n.is_finite() && (0.0..=max).contains(&n)) {
                    return Err(Error::invalid(
                        at(),
                        format!(
                            "value {n} (from {}) is not a number from 0 to {max} (limit parameter_number_max)",
                            dated.from
                        ),
                    ));
                }
            }
            values.push((dated.from, value));
        }
        if let (Some(repealed), Some(last)) = (param.repealed, last) {
            if repealed <= last {
                return Err(Error::invalid(
                    at(),
                    format!("repealed on {repealed}, not after its last value ({last})"),
                ));
            }
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
                if let Some(on) = param.repealed {
                    outer.repealed.push((index, on));
                }
            }
            None => {
                self.param_index
                    .insert(param.name.clone(), self.parameters.len());
                self.parameters.push(Parameter {
                    name: param.name,
                    description: param.description,
                    stricter: param.stricter,
                    unit: param.unit,
                    citation,
                    note: param.note,
                    values: vec![(index, values)],
                    repealed: param.repealed.map(|on| (index, on)).into_iter().collect(),
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
        // The rule's line is looked for only when an error names it: a search of the layer's
        // text per rule was a third of building the engine.
        let at = |field: &str| {
            let mut loc = Location::source(name)
                .rule(id.clone())
                .field(field.to_string());
            let occurrence = self
                .rules
                .iter()
                .filter(|r| r.id == id && r.layer_index == index)
                .count();
            if let Some(line) = find_rule_line(text, &id, occurrence) {
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
                advisory: def.advisory,
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
                advisory: clause.advisory,
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
            visit_register(&clause.when, &mut |t| check_register(t, || at(&field)))?;
        }
        Ok(Rule {
            id: id.clone(),
            title: def.title,
            citation,
            effective: def.effective,
            governs: def.governs.unwrap_or(match def.scope {
                Scope::Document => Governs::Review,
                Scope::Item | Scope::Monitoring => Governs::Activity,
            }),
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

    /// The input limits (`limits.toml`): rules, condition nesting, lexicon words and their
    /// length, checked as each layer is added (so an error names the layer that broke it) and
    /// before the lexicon's trie is built.
    fn check_limits(&self, name: &str) -> crate::Result<()> {
        let limits = crate::limits::Limits::get();
        let at = |field: String| Location::source(name).field(field);
        for rule in &self.rules {
            for (i, clause) in rule.clauses.iter().enumerate() {
                if clause.when.depth() > limits.condition_depth_max {
                    return Err(Error::invalid(
                        Location::source(name)
                            .rule(rule.id.clone())
                            .field(format!("clauses[{i}].when")),
                        format!(
                            "conditions nest deeper than the limit condition_depth_max = {}",
                            limits.condition_depth_max
                        ),
                    ));
                }
            }
        }
        let c = &self.context;
        // Each word with the entry it belongs to (`None`: the context words); the field an
        // error names is written only for the word that breaks a limit.
        let lexicon = self.lexicon.iter().flat_map(|g| {
            g.frame
                .iter()
                .flatten()
                .chain(&g.unless)
                .map(move |w| (Some(g.name.as_str()), w))
        });
        let context = [
            &c.negators,
            &c.neutral,
            &c.sentence_breaks,
            &c.scope_breaks,
            &c.joiners,
            &c.imposers,
            &c.exception_open,
            &c.exception_close,
            &c.exception_additive,
            &c.permission_open,
            &c.permission_approval,
            &c.permission_after,
            &c.permission_route,
            &c.permission_approver,
            &c.reporting,
            &c.condition_endings,
            &c.condition_except,
            &c.condition_inside,
            &c.concession_but,
            &c.concession_voluntary,
            &c.concession_compulsion,
            &c.title_endings,
            &c.title_not_opening,
            &c.title_lead_ins,
            &c.report_headings,
            &c.denial_subjects,
            &c.denial_negators,
            &c.denial_except,
            &c.bearer_others,
            &c.bearer_schools,
        ]
        .into_iter()
        .flatten()
        .chain(c.quotes.iter().flatten())
        .chain(c.days.iter().map(|(_, w)| w))
        .map(|w| (None, w));
        let mut count = 0usize;
        for (entry, word) in lexicon.chain(context) {
            count += 1;
            let chars = word.chars().count();
            if chars > limits.lexicon_word_max_chars {
                let field = entry.map_or_else(|| "context".to_owned(), |g| format!("lexicon[{g}]"));
                return Err(Error::invalid(
                    at(field),
                    format!(
                        "a word of {chars} characters, longer than the limit lexicon_word_max_chars = {}",
                        limits.lexicon_word_max_chars
                    ),
                ));
            }
        }
        if count > limits.lexicon_words_max {
            return Err(Error::invalid(
                at("lexicon".into()),
                format!(
                    "{count} words, more than the limit lexicon_words_max = {}",
                    limits.lexicon_words_max
                ),
            ));
        }
        Ok(())
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
            substance: self.substance,
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

fn check_register(test: &super::RegisterTest, at: impl Fn() -> Location) -> crate::Result<()> {
    match (test.test.needs_limit(), &test.limit) {
        (true, None) => Err(Error::invalid(
            at(),
            format!("register test `{:?}` needs a `limit` parameter", test.test),
        )),
        (false, Some(_)) => Err(Error::invalid(
            at(),
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

/// Most groups in one frame (days counted as a group).
pub(crate) const MAX_FRAME_GROUPS: usize = 6;

/// The snake_case name of a fact, as written in ruleset files.
fn fact_name(fact: Fact) -> String {
    serde_json::to_value(fact)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
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
