//! The table a batch check returns: one row per input row, the verdict's key fields as
//! columns and its findings as nested Arrow columns (list of struct), so an analyst filters,
//! explodes and joins them with no JSON to parse; the whole verdict as JSON text only on
//! request (writing it costs more than the check).

use std::sync::Arc;

use arrow_array::builder::{
    BooleanBuilder, Int64Builder, LargeStringBuilder, ListBuilder, StringBuilder,
};
use arrow_array::types::Int32Type;
use arrow_array::{
    Array, ArrayRef, DictionaryArray, Int32Array, ListArray, RecordBatch, StringArray, StructArray,
};
use arrow_buffer::{NullBuffer, OffsetBuffer};
use arrow_schema::{ArrowError, Field, Fields};
use jianfu::model::{Citation, Text};
use pyo3::PyResult;
use serde_json::Value;

use crate::tables::arrow_err;

/// The texts a rule version carries (message, citation, remedy): the same for every finding
/// of that version, so the table holds each once, as dictionary values, and a key per finding.
#[derive(Default)]
struct Statics<'e> {
    /// Key per finding.
    keys: Vec<i32>,
    /// Key of each rule version seen, by the addresses of its texts in the engine.
    seen: rustc_hash::FxHashMap<(*const Text, *const Citation, *const Text), i32>,
    distinct: Vec<(&'e Text, &'e Citation, &'e Text)>,
}

impl<'e> Statics<'e> {
    fn append(&mut self, finding: &jianfu::model::Finding<'e>) {
        let texts = (finding.message, finding.citation, finding.remedy);
        let address = (
            std::ptr::from_ref(texts.0),
            std::ptr::from_ref(texts.1),
            std::ptr::from_ref(texts.2),
        );
        let next = i32::try_from(self.distinct.len()).unwrap_or(i32::MAX);
        let key = *self.seen.entry(address).or_insert_with(|| {
            self.distinct.push(texts);
            next
        });
        self.keys.push(key);
    }

    /// `message`, `citation` and `remedy` columns, every text dictionary-encoded.
    fn finish(self) -> Result<[StructArray; 3], ArrowError> {
        let keys = Int32Array::from(self.keys);
        let column = |text: &dyn Fn(&(&'e Text, &'e Citation, &'e Text)) -> &'e str| {
            let values = StringArray::from_iter_values(self.distinct.iter().map(text));
            DictionaryArray::<Int32Type>::try_new(keys.clone(), Arc::new(values))
                .map(|a| Arc::new(a) as ArrayRef)
        };
        let zh_en =
            |zh: ArrayRef, en: ArrayRef| structure(vec![("zh", zh, false), ("en", en, false)]);
        Ok([
            zh_en(column(&|t| t.0.zh.as_str())?, column(&|t| t.0.en.as_str())?)?,
            structure(vec![
                ("document", column(&|t| t.1.document.as_str())?, false),
                ("title", column(&|t| t.1.title.as_str())?, false),
                ("article", column(&|t| t.1.article.as_str())?, false),
            ])?,
            zh_en(column(&|t| t.2.zh.as_str())?, column(&|t| t.2.en.as_str())?)?,
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
struct Findings<'e> {
    /// Findings per row.
    lengths: Vec<usize>,
    valid: Vec<bool>,
    rule: StringBuilder,
    decision: StringBuilder,
    statics: Statics<'e>,
    /// Evidence entries per finding.
    evidence: Vec<usize>,
    field: StringBuilder,
    text: StringBuilder,
    span: ListBuilder<Int64Builder>,
    related: ListBuilder<StringBuilder>,
    /// The rule version: from, to (null while in force), on, governs.
    version: [StringBuilder; 4],
    advisory: BooleanBuilder,
}

impl<'e> Findings<'e> {
    fn append(&mut self, findings: &[jianfu::model::Finding<'e>]) {
        self.lengths.push(findings.len());
        self.valid.push(true);
        for finding in findings {
            self.rule.append_value(finding.rule);
            self.decision.append_value(finding.decision.as_str());
            self.statics.append(finding);
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
            for related in &finding.related {
                self.related.values().append_value(related);
            }
            self.related.append(true);
            let v = &finding.version;
            let [from, to, on, governs] = &mut self.version;
            from.append_value(v.from.to_string());
            to.append_option(v.to.map(|d| d.to_string()));
            on.append_value(v.on.to_string());
            governs.append_value(v.governs.as_str());
            self.advisory.append_value(finding.advisory);
        }
    }

    fn append_null(&mut self) {
        self.lengths.push(0);
        self.valid.push(false);
    }

    fn finish(mut self) -> Result<ListArray, ArrowError> {
        let [message, citation, remedy] = self.statics.finish()?;
        let [from, to, on, governs] = &mut self.version;
        let version = structure(vec![
            ("from", Arc::new(from.finish()), false),
            ("to", Arc::new(to.finish()), true),
            ("on", Arc::new(on.finish()), false),
            ("governs", Arc::new(governs.finish()), false),
        ])?;
        let evidence = structure(vec![
            ("field", Arc::new(self.field.finish()), false),
            ("text", Arc::new(self.text.finish()), true),
            ("span", Arc::new(self.span.finish()), true),
        ])?;
        let finding = structure(vec![
            ("rule", Arc::new(self.rule.finish()), false),
            ("decision", Arc::new(self.decision.finish()), false),
            ("message", Arc::new(message), false),
            ("citation", Arc::new(citation), false),
            (
                "evidence",
                Arc::new(list(Arc::new(evidence), &self.evidence, None)?),
                false,
            ),
            ("remedy", Arc::new(remedy), false),
            ("related", Arc::new(self.related.finish()), false),
            ("version", Arc::new(version), false),
            ("advisory", Arc::new(self.advisory.finish()), false),
        ])?;
        list(Arc::new(finding), &self.lengths, Some(self.valid))
    }
}

/// The table of a batch check, built a row at a time (each verdict is appended as it is
/// made and dropped, so memory stays warm): `item, decision, decision_zh, rules, missing,
/// next_step, findings`, then `verdict` (JSON) when asked for, and `error` (JSON) for a row that could
/// not be read.
pub struct VerdictTable<'e> {
    json: bool,
    item: StringBuilder,
    decision: StringBuilder,
    /// The decision's Chinese label, from the core's label table.
    decision_zh: StringBuilder,
    next_step: StringBuilder,
    rules: ListBuilder<StringBuilder>,
    missing: ListBuilder<StringBuilder>,
    findings: Findings<'e>,
    /// Large offsets: a million verdicts of JSON pass the 2 GiB a `Utf8` column can hold.
    verdict: LargeStringBuilder,
    error: StringBuilder,
}

impl<'e> VerdictTable<'e> {
    /// Room for `rows` rows; with `json`, a `verdict` column of JSON text.
    pub fn new(rows: usize, json: bool) -> Self {
        Self {
            json,
            item: StringBuilder::with_capacity(rows, rows * 16),
            decision: StringBuilder::with_capacity(rows, rows * 12),
            decision_zh: StringBuilder::with_capacity(rows, rows * 9),
            next_step: StringBuilder::with_capacity(rows, rows * 8),
            rules: ListBuilder::with_capacity(StringBuilder::new(), rows),
            missing: ListBuilder::with_capacity(StringBuilder::new(), rows),
            findings: Findings::default(),
            verdict: LargeStringBuilder::new(),
            error: StringBuilder::new(),
        }
    }

    /// Appends a verdict.
    pub fn push(&mut self, v: &jianfu::Verdict<'e>) {
        self.item.append_value(&v.item);
        self.decision.append_value(v.decision.as_str());
        self.decision_zh.append_value(v.decision.zh());
        self.next_step
            .append_option(v.next_step.map(jianfu::Step::as_str));
        for finding in &v.findings {
            self.rules.values().append_value(finding.rule);
        }
        self.rules.append(true);
        for field in &v.missing {
            self.missing.values().append_value(field.as_str());
        }
        self.missing.append(true);
        self.findings.append(&v.findings);
        if self.json {
            self.verdict
                .append_value(serde_json::to_string(v).unwrap_or_default());
        }
        self.error.append_null();
    }

    /// Appends a row that could not be read, with its error (as JSON data).
    pub fn push_error(&mut self, data: &Value) {
        self.item.append_null();
        self.decision.append_null();
        self.decision_zh.append_null();
        self.next_step.append_null();
        self.rules.append(false);
        self.missing.append(false);
        self.findings.append_null();
        if self.json {
            self.verdict.append_null();
        }
        self.error.append_value(data.to_string());
    }

    /// The record batch.
    pub fn finish(mut self) -> PyResult<RecordBatch> {
        let mut columns: Vec<(&str, ArrayRef)> = vec![
            ("item", Arc::new(self.item.finish())),
            ("decision", Arc::new(self.decision.finish())),
            ("decision_zh", Arc::new(self.decision_zh.finish())),
            ("rules", Arc::new(self.rules.finish())),
            ("missing", Arc::new(self.missing.finish())),
            ("next_step", Arc::new(self.next_step.finish())),
            (
                "findings",
                Arc::new(self.findings.finish().map_err(arrow_err)?),
            ),
        ];
        if self.json {
            columns.push(("verdict", Arc::new(self.verdict.finish())));
        }
        columns.push(("error", Arc::new(self.error.finish())));
        RecordBatch::try_from_iter(columns).map_err(arrow_err)
    }
}
