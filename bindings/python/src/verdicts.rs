//! The table a batch check returns: one row per input row, the verdict's key fields as
//! columns and its findings as nested Arrow columns (list of struct), so an analyst filters,
//! explodes and joins them with no JSON to parse; the whole verdict as JSON text only on
//! request (writing it costs more than the check).

use std::sync::Arc;

use arrow_array::builder::{Int64Builder, ListBuilder, StringBuilder};
use arrow_array::{Array, ArrayRef, ListArray, RecordBatch, StructArray};
use arrow_buffer::{NullBuffer, OffsetBuffer};
use arrow_schema::{ArrowError, Field, Fields};
use pyo3::PyResult;
use serde_json::Value;

use crate::tables::arrow_err;

/// One checked row: the core's verdict, and its JSON text when asked for.
pub struct Checked<'e> {
    verdict: jianfu::Verdict<'e>,
    json: Option<String>,
}

impl<'e> Checked<'e> {
    /// Keeps the verdict for the table; with `json`, also its JSON text.
    pub fn new(verdict: jianfu::Verdict<'e>, json: bool) -> Self {
        let json = json.then(|| serde_json::to_string(&verdict).unwrap_or_default());
        Self { verdict, json }
    }
}

/// A row of the table: a verdict, or the error (as JSON) of a row that could not be read.
pub type Row<'e> = Result<Checked<'e>, Value>;

/// Builders for `zh`/`en` texts.
#[derive(Default)]
struct Texts {
    zh: StringBuilder,
    en: StringBuilder,
}

impl Texts {
    fn append(&mut self, text: &jianfu::model::Text) {
        self.zh.append_value(&text.zh);
        self.en.append_value(&text.en);
    }

    fn finish(mut self) -> Result<StructArray, ArrowError> {
        structure(vec![
            ("zh", Arc::new(self.zh.finish()), false),
            ("en", Arc::new(self.en.finish()), false),
        ])
    }
}

/// A struct array (no null rows) from named columns.
fn structure(columns: Vec<(&str, ArrayRef, bool)>) -> Result<StructArray, ArrowError> {
    let fields: Fields = columns
        .iter()
        .map(|(name, array, nullable)| Field::new(*name, array.data_type().clone(), *nullable))
        .collect();
    let arrays = columns.into_iter().map(|(_, array, _)| array).collect();
    StructArray::try_new(fields, arrays, None)
}

/// A list array over `values`, one list per entry of `lengths`; `valid` marks null lists.
fn list(
    values: ArrayRef,
    lengths: &[usize],
    valid: Option<Vec<bool>>,
) -> Result<ListArray, ArrowError> {
    let field = Arc::new(Field::new_list_field(values.data_type().clone(), false));
    let offsets = OffsetBuffer::from_lengths(lengths.iter().copied());
    ListArray::try_new(field, offsets, values, valid.map(NullBuffer::from))
}

/// Builders for the `findings` column.
#[derive(Default)]
struct Findings {
    /// Findings per row.
    lengths: Vec<usize>,
    valid: Vec<bool>,
    rule: StringBuilder,
    decision: StringBuilder,
    message: Texts,
    document: StringBuilder,
    title: StringBuilder,
    article: StringBuilder,
    /// Evidence entries per finding.
    evidence: Vec<usize>,
    field: StringBuilder,
    text: StringBuilder,
    span: ListBuilder<Int64Builder>,
    remedy: Texts,
    related: ListBuilder<StringBuilder>,
}

impl Findings {
    fn append(&mut self, findings: &[jianfu::model::Finding<'_>]) {
        self.lengths.push(findings.len());
        self.valid.push(true);
        for finding in findings {
            self.rule.append_value(finding.rule);
            self.decision.append_value(finding.decision.as_str());
            self.message.append(finding.message);
            self.document.append_value(&finding.citation.document);
            self.title.append_value(&finding.citation.title);
            self.article.append_value(&finding.citation.article);
            self.evidence.push(finding.evidence.len());
            for evidence in &finding.evidence {
                self.field.append_value(&evidence.field);
                self.text.append_option(evidence.text.as_deref());
                match evidence.span {
                    Some(span) => {
                        for at in span {
                            self.span
                                .values()
                                .append_value(i64::try_from(at).unwrap_or(i64::MAX));
                        }
                        self.span.append(true);
                    }
                    None => self.span.append(false),
                }
            }
            self.remedy.append(finding.remedy);
            for related in &finding.related {
                self.related.values().append_value(related);
            }
            self.related.append(true);
        }
    }

    fn append_null(&mut self) {
        self.lengths.push(0);
        self.valid.push(false);
    }

    fn finish(mut self) -> Result<ListArray, ArrowError> {
        let citation = structure(vec![
            ("document", Arc::new(self.document.finish()), false),
            ("title", Arc::new(self.title.finish()), false),
            ("article", Arc::new(self.article.finish()), false),
        ])?;
        let evidence = structure(vec![
            ("field", Arc::new(self.field.finish()), false),
            ("text", Arc::new(self.text.finish()), true),
            ("span", Arc::new(self.span.finish()), true),
        ])?;
        let finding = structure(vec![
            ("rule", Arc::new(self.rule.finish()), false),
            ("decision", Arc::new(self.decision.finish()), false),
            ("message", Arc::new(self.message.finish()?), false),
            ("citation", Arc::new(citation), false),
            (
                "evidence",
                Arc::new(list(Arc::new(evidence), &self.evidence, None)?),
                false,
            ),
            ("remedy", Arc::new(self.remedy.finish()?), false),
            ("related", Arc::new(self.related.finish()), false),
        ])?;
        list(Arc::new(finding), &self.lengths, Some(self.valid))
    }
}

/// The table of a batch check (`item, decision, rules, missing, next_step, findings`, then
/// `verdict` (JSON) when asked for, and `error` (JSON) for a row that could not be read).
pub fn verdict_batch(rows: &[Row<'_>], json: bool) -> PyResult<RecordBatch> {
    let n = rows.len();
    let mut item = StringBuilder::with_capacity(n, n * 16);
    let mut decision = StringBuilder::with_capacity(n, n * 12);
    let mut next_step = StringBuilder::with_capacity(n, n * 8);
    let mut rules = ListBuilder::new(StringBuilder::new());
    let mut missing = ListBuilder::new(StringBuilder::new());
    let mut findings = Findings::default();
    let mut verdict = StringBuilder::new();
    let mut error = StringBuilder::new();
    for row in rows {
        match row {
            Ok(Checked {
                verdict: v,
                json: text,
            }) => {
                item.append_value(&v.item);
                decision.append_value(v.decision.as_str());
                next_step.append_option(v.next_step.map(jianfu::Step::as_str));
                for finding in &v.findings {
                    rules.values().append_value(finding.rule);
                }
                rules.append(true);
                for field in &v.missing {
                    missing.values().append_value(field.as_str());
                }
                missing.append(true);
                findings.append(&v.findings);
                verdict.append_option(text.as_deref());
                error.append_null();
            }
            Err(data) => {
                item.append_null();
                decision.append_null();
                next_step.append_null();
                rules.append(false);
                missing.append(false);
                findings.append_null();
                verdict.append_null();
                error.append_value(data.to_string());
            }
        }
    }
    let mut columns: Vec<(&str, ArrayRef)> = vec![
        ("item", Arc::new(item.finish())),
        ("decision", Arc::new(decision.finish())),
        ("rules", Arc::new(rules.finish())),
        ("missing", Arc::new(missing.finish())),
        ("next_step", Arc::new(next_step.finish())),
        ("findings", Arc::new(findings.finish().map_err(arrow_err)?)),
    ];
    if json {
        columns.push(("verdict", Arc::new(verdict.finish())));
    }
    columns.push(("error", Arc::new(error.finish())));
    RecordBatch::try_from_iter(columns).map_err(arrow_err)
}
