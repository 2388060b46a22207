//! Events (负担事件) from Arrow columns into the core's [`Events`], each row checked as
//! [`Events::push_ids`] checks it, with no object per row. Id columns resolve column by column:
//! a dictionary column (a pyarrow dictionary, a polars `Categorical`) resolves each distinct
//! value once, a string column each row. Other columns are cast to what the core reads
//! (`date32`, `float64`, `bool`); a bad row becomes a `row.invalid` error naming its row and
//! column, and every other row is kept, as the core's CSV reader does.

use std::ops::Range;

use crate::error::{Error, Location};
use crate::score::read::{self, EVENT_COLUMNS as COLUMNS, EVENT_REQUIRED as REQUIRED};
use crate::score::reason;
use crate::score::{EventIds, Events, Interner, NONE, Schools, blank};
use arrow_array::cast::AsArray;
use arrow_array::types::{Date32Type, Float64Type, Int32Type};
use arrow_array::{Array, ArrayRef, BooleanArray, RecordBatch, StringArray};
use arrow_cast::{CastOptions, cast_with_options};
use arrow_schema::{ArrowError, DataType, Schema};
use chrono::{Datelike, NaiveDate};

/// Rows read at a time within a batch: keeps the per-row scratch in cache.
const CHUNK: usize = 16_384;

/// Days from 0001-01-01 (chrono's CE day numbers) to 1970-01-01 (Arrow's `date32` origin).
const EPOCH_CE: i32 = 719_163;

/// A column of words (kind, issuer, decision, a text flag) with each distinct text parsed
/// once: per row, the parsed value (`None` for null or blank) or the text that failed.
struct EnumColumn<T> {
    /// Per row, an index into `values`, or [`NONE`] for null (empty when the column is absent).
    keys: Vec<u32>,
    values: Vec<Result<Option<T>, String>>,
}

impl<T: Copy> EnumColumn<T> {
    fn new(
        batch: &RecordBatch,
        name: &str,
        parse: impl Fn(&str) -> Option<T>,
    ) -> Result<Self, ArrowError> {
        let value = |text: Option<&str>| match text.map(str::trim).filter(|t| !t.is_empty()) {
            None => Ok(None),
            Some(text) => parse(text).map(Some).ok_or_else(|| text.to_owned()),
        };
        let Some(column) = batch.column_by_name(name) else {
            return Ok(Self {
                keys: Vec::new(),
                values: Vec::new(),
            });
        };
        if let DataType::Dictionary(..) = column.data_type() {
            let to = DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8));
            if let Some(cast) = cast(batch, name, &to)? {
                let dictionary = cast.as_dictionary::<Int32Type>();
                let texts = dictionary.values().as_string::<i32>();
                // Only the values rows use are parsed: a polars dictionary holds every
                // category of the string cache, tens of thousands of ids among the words.
                let mut slots = vec![NONE; texts.len()];
                let mut values = Vec::new();
                let keys = (0..batch.num_rows())
                    .map(|i| {
                        let Some(key) = dictionary.key(i) else {
                            return NONE;
                        };
                        let Some(slot) = slots.get_mut(key) else {
                            return NONE;
                        };
                        if *slot == NONE {
                            values.push(value(texts.is_valid(key).then(|| texts.value(key))));
                            *slot = u32::try_from(values.len() - 1).unwrap_or(NONE);
                        }
                        *slot
                    })
                    .collect();
                return Ok(Self { keys, values });
            }
        }
        // Text: a small hash table of the distinct texts (a handful per column).
        let Some(texts) = strings(batch, name)? else {
            return Ok(Self {
                keys: Vec::new(),
                values: Vec::new(),
            });
        };
        let mut seen: rustc_hash::FxHashMap<&str, u32> = rustc_hash::FxHashMap::default();
        let mut values = Vec::new();
        // Neighbouring rows often repeat a text: try the previous row's first.
        let mut last: Option<(&str, u32)> = None;
        let keys = (0..batch.num_rows())
            .map(|i| {
                let Some(text) = texts.get(i) else {
                    return NONE;
                };
                if let Some((previous, key)) = last {
                    if same(previous, text) {
                        return key;
                    }
                }
                let key = *seen.entry(text).or_insert_with(|| {
                    values.push(value(Some(text)));
                    u32::try_from(values.len() - 1).unwrap_or(NONE)
                });
                last = Some((text, key));
                key
            })
            .collect();
        Ok(Self { keys, values })
    }

    /// Row `i`: `None` when absent, null or blank; the failing text on error.
    fn get(&self, i: usize) -> Result<Option<T>, &str> {
        let key = self.keys.get(i).copied().unwrap_or(NONE);
        match self.values.get(key as usize) {
            Some(Ok(value)) => Ok(*value),
            Some(Err(text)) => Err(text),
            None => Ok(None),
        }
    }
}

/// Whether two texts are equal, compared inline when short (most ids and words): a call to
/// `memcmp` per row cost more than the rest of reading the row.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && if a.len() <= 16 {
            a.bytes().zip(b.bytes()).all(|(x, y)| x == y)
        } else {
            a == b
        }
}

/// The comprehensive flag: a boolean column (numbers cast), or text read as the core's
/// readers read it ([`read::flag`]: `true`, `是`, `1` …), where other text is a row error.
enum Flags {
    Absent,
    Booleans(BooleanArray),
    Text(EnumColumn<bool>),
}

impl Flags {
    fn new(batch: &RecordBatch, name: &str) -> Result<Self, ArrowError> {
        let Some(column) = batch.column_by_name(name) else {
            return Ok(Self::Absent);
        };
        let data_type = column.data_type();
        if data_type.is_numeric() || *data_type == DataType::Boolean {
            let flags = cast(batch, name, &DataType::Boolean)?;
            return Ok(flags.map_or(Self::Absent, |a| Self::Booleans(a.as_boolean().clone())));
        }
        Ok(Self::Text(EnumColumn::new(batch, name, read::flag)?))
    }

    /// Row `i`; the failing text on error.
    fn get(&self, i: usize) -> Result<bool, &str> {
        match self {
            Self::Absent => Ok(false),
            Self::Booleans(b) => Ok(b.is_valid(i) && b.value(i)),
            Self::Text(column) => column.get(i).map(|flag| flag.unwrap_or(false)),
        }
    }
}

/// An id column (school, teacher, item, rule) as read: dictionary keys, or strings.
enum Ids {
    Absent,
    Dictionary {
        keys: arrow_array::PrimitiveArray<Int32Type>,
        values: StringArray,
    },
    Strings(Texts),
}

impl Ids {
    fn new(batch: &RecordBatch, name: &str) -> Result<Self, ArrowError> {
        let Some(column) = batch.column_by_name(name) else {
            return Ok(Self::Absent);
        };
        if let DataType::Dictionary(..) = column.data_type() {
            let to = DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8));
            if let Some(cast) = cast(batch, name, &to)? {
                let dictionary = cast.as_dictionary::<Int32Type>();
                return Ok(Self::Dictionary {
                    keys: dictionary.keys().clone(),
                    values: dictionary.values().as_string::<i32>().clone(),
                });
            }
        }
        Ok(strings(batch, name)?.map_or(Self::Absent, Self::Strings))
    }

    /// Row `i`'s text (`None` when absent or null).
    fn text(&self, i: usize) -> Option<&str> {
        match self {
            Self::Absent => None,
            Self::Dictionary { keys, values } => {
                let key = usize::try_from(keys.is_valid(i).then(|| keys.value(i))?).ok()?;
                (key < values.len() && values.is_valid(key)).then(|| values.value(key))
            }
            Self::Strings(strings) => strings.get(i),
        }
    }

    /// The id of every row in `rows`: `resolve` maps a text to an id ([`NONE`] when it has none) and is
    /// called once per distinct dictionary value per table (in order of first use, so ids
    /// number in order of appearance, as with strings), or once per row of strings; a null
    /// row, or one not in `keep` (when given, indexed from `rows.start`), is [`NONE`].
    fn resolve<'a>(
        &'a self,
        rows: Range<usize>,
        keep: Option<&[bool]>,
        memo: &mut Memo,
        mut resolve: impl FnMut(&'a str) -> u32,
    ) -> Vec<u32> {
        let start = rows.start;
        let kept = |i: usize| keep.is_none_or(|k| k.get(i - start).copied().unwrap_or(false));
        match self {
            Self::Absent => vec![NONE; rows.len()],
            Self::Dictionary { keys, values } => {
                memo.prepare(values);
                rows.map(|i| {
                    if !kept(i) {
                        return NONE;
                    }
                    let Some(key) = keys
                        .is_valid(i)
                        .then(|| usize::try_from(keys.value(i)).ok())
                        .flatten()
                    else {
                        return NONE;
                    };
                    match memo.ids.get_mut(key) {
                        Some(Some(id)) => *id,
                        Some(slot) => {
                            let id = if values.is_valid(key) {
                                resolve(values.value(key))
                            } else {
                                NONE
                            };
                            *slot = Some(id);
                            id
                        }
                        None => NONE,
                    }
                })
                .collect()
            }
            Self::Strings(strings) => rows
                .map(|i| match strings.get(i) {
                    Some(text) if kept(i) => resolve(text),
                    _ => NONE,
                })
                .collect(),
        }
    }
}

/// What the values of an id column's dictionary resolved to, kept from batch to batch:
/// pyarrow and polars give every batch the same dictionary or one that extends the last, so
/// each distinct value resolves once per table rather than once per batch.
#[derive(Default)]
struct Memo {
    values: Option<StringArray>,
    ids: Vec<Option<u32>>,
}

impl Memo {
    /// Readies the memo for a batch whose dictionary is `values`: what was resolved is kept
    /// when the last dictionary is a prefix of this one, and forgotten otherwise.
    fn prepare(&mut self, values: &StringArray) {
        if !self
            .values
            .as_ref()
            .is_some_and(|old| is_prefix(old, values))
        {
            self.ids.clear();
        }
        self.ids.resize(values.len(), None);
        self.values = Some(values.clone());
    }
}

/// Whether `new` starts with every value of `old`, nulls included: the value lengths and
/// bytes are compared in bulk (a dictionary of 40 k ids in microseconds).
fn is_prefix(old: &StringArray, new: &StringArray) -> bool {
    let n = old.len();
    if n > new.len() {
        return false;
    }
    // The same buffers (one dictionary shared by every batch): nothing to compare.
    if old.value_data().as_ptr() == new.value_data().as_ptr()
        && old.offsets().inner().inner().as_ptr() == new.offsets().inner().inner().as_ptr()
        && old.nulls() == new.nulls()
    {
        return true;
    }
    if old.null_count() > 0 || new.null_count() > 0 {
        return (0..n).all(|i| {
            old.is_valid(i) == new.is_valid(i) && (old.is_null(i) || old.value(i) == new.value(i))
        });
    }
    let (a, b) = (old.value_offsets(), new.value_offsets());
    let (Some(&a0), Some(&b0), Some(&an)) = (a.first(), b.first(), a.get(n)) else {
        return false;
    };
    let lengths = b.len() > n && a.iter().zip(b).all(|(x, y)| x - a0 == y - b0);
    let range = |start: i32, len: i32| {
        let start = usize::try_from(start).ok()?;
        Some(start..start.checked_add(usize::try_from(len).ok()?)?)
    };
    let bytes = range(a0, an - a0)
        .zip(range(b0, an - a0))
        .and_then(|(ra, rb)| Some(old.value_data().get(ra)? == new.value_data().get(rb)?));
    lengths && bytes == Some(true)
}

/// One [`Memo`] per id column, for the whole table.
#[derive(Default)]
struct Memos {
    school: Memo,
    teacher: Memo,
    item: Memo,
    rule: Memo,
}

/// The columns of one batch, cast to the types read.
struct Columns {
    school: Ids,
    teacher: Ids,
    item: Ids,
    rule: Ids,
    date: arrow_array::PrimitiveArray<Date32Type>,
    /// The date column as text, to quote a date that does not parse.
    date_text: Option<Texts>,
    /// The day numbers chrono can represent.
    days: std::ops::RangeInclusive<i32>,
    kind: EnumColumn<crate::Kind>,
    hours: arrow_array::PrimitiveArray<Float64Type>,
    /// The hours column as text, to quote a number that does not parse.
    hours_text: Option<Texts>,
    issuer: EnumColumn<crate::model::IssuerKind>,
    decision: EnumColumn<crate::Decision>,
    comprehensive: Flags,
}

fn cast(batch: &RecordBatch, name: &str, to: &DataType) -> Result<Option<ArrayRef>, ArrowError> {
    let options = CastOptions {
        safe: true,
        ..CastOptions::default()
    };
    batch
        .column_by_name(name)
        .map(|column| cast_with_options(column, to, &options))
        .transpose()
}

/// A text column as it comes: polars' string views and large strings are read in place
/// (copying them to `Utf8` cost more than reading them); anything else is cast to `Utf8`.
enum Texts {
    Utf8(StringArray),
    Large(arrow_array::LargeStringArray),
    View(arrow_array::StringViewArray),
}

impl Texts {
    /// Row `i`, `None` when null.
    fn get(&self, i: usize) -> Option<&str> {
        match self {
            Self::Utf8(a) => a.is_valid(i).then(|| a.value(i)),
            Self::Large(a) => a.is_valid(i).then(|| a.value(i)),
            Self::View(a) => a.is_valid(i).then(|| a.value(i)),
        }
    }
}

fn strings(batch: &RecordBatch, name: &str) -> Result<Option<Texts>, ArrowError> {
    Ok(
        match batch.column_by_name(name).map(|c| (c.data_type(), c)) {
            None => None,
            Some((DataType::Utf8View, column)) => {
                Some(Texts::View(column.as_string_view().clone()))
            }
            Some((DataType::LargeUtf8, column)) => {
                Some(Texts::Large(column.as_string::<i64>().clone()))
            }
            Some(_) => cast(batch, name, &DataType::Utf8)?
                .map(|a| Texts::Utf8(a.as_string::<i32>().clone())),
        },
    )
}

fn required<T>(value: Option<T>, name: &str) -> Result<T, ArrowError> {
    value.ok_or_else(|| ArrowError::SchemaError(format!("missing column `{name}`")))
}

impl Columns {
    fn new(batch: &RecordBatch) -> Result<Self, ArrowError> {
        let date = required(cast(batch, "date", &DataType::Date32)?, "date")?;
        let date_text = match batch.column_by_name("date").map(|c| c.data_type().clone()) {
            Some(DataType::Date32 | DataType::Date64) | None => None,
            Some(_) => strings(batch, "date")?,
        };
        let hours_text = match batch.column_by_name("hours").map(|c| c.data_type().clone()) {
            Some(t) if !t.is_numeric() => strings(batch, "hours")?,
            _ => None,
        };
        Ok(Self {
            school: Ids::new(batch, "school_id")?,
            teacher: Ids::new(batch, "teacher_id")?,
            item: Ids::new(batch, "item_id")?,
            rule: Ids::new(batch, "rule")?,
            date: date.as_primitive::<Date32Type>().clone(),
            date_text,
            days: NaiveDate::MIN.num_days_from_ce()..=NaiveDate::MAX.num_days_from_ce(),
            kind: EnumColumn::new(batch, "kind", |t| t.parse().ok())?,
            hours: required(cast(batch, "hours", &DataType::Float64)?, "hours")?
                .as_primitive::<Float64Type>()
                .clone(),
            hours_text,
            issuer: EnumColumn::new(batch, "issuer", |t| t.parse().ok())?,
            decision: EnumColumn::new(batch, "decision", |t| t.parse().ok())?,
            comprehensive: Flags::new(batch, "comprehensive")?,
        })
    }
}

/// A row error at `[row].column` of the `events` table.
fn bad(row: usize, column: &str, reason: String) -> Error {
    Error::row(
        Location::source("events").field(format!("[{row}].{column}")),
        reason,
    )
}

/// Row `i` of an enum column, or a row error naming the column.
fn parse<T: Copy>(
    column: &EnumColumn<T>,
    i: usize,
    row: usize,
    name: &str,
    what: &str,
) -> Result<Option<T>, Error> {
    column
        .get(i)
        .map_err(|text| bad(row, name, reason::invalid(text, what)))
}

/// The schools of a batch's `rows` ([`NONE`] for an unknown school; the row reports it).
fn schools_of(c: &Columns, rows: Range<usize>, memo: &mut Memo, schools: &Schools) -> Vec<u32> {
    // Rows usually come grouped by school: try the previous row's school first.
    let mut last: Option<(&str, u32)> = None;
    c.school.resolve(rows, None, memo, |id| match last {
        Some((text, index)) if same(text, id) => index,
        _ => {
            let index = schools.position(id.trim()).unwrap_or(NONE);
            last = Some((id, index));
            index
        }
    })
}

/// Where an id column's id goes in an event.
type Slot = fn(&mut EventIds) -> &mut u32;

/// Interns the teacher, item and rule ids of the rows kept (`Some` in `events`: rows that
/// passed every other check, so a rejected row leaves no name behind), one column at a time
/// (one hash table in cache at a time), and puts them into those rows.
fn intern_ids(
    c: &Columns,
    rows: Range<usize>,
    memos: &mut Memos,
    table: &mut Events,
    events: &mut [Option<EventIds>],
) {
    let keep: Vec<bool> = events.iter().map(Option::is_some).collect();
    let columns: [(&Ids, &mut Memo, &mut Interner, Slot); 3] = [
        (&c.teacher, &mut memos.teacher, &mut table.teachers, |e| {
            &mut e.teacher
        }),
        (&c.item, &mut memos.item, &mut table.items, |e| &mut e.item),
        (&c.rule, &mut memos.rule, &mut table.rules, |e| &mut e.rule),
    ];
    for (column, memo, interner, field) in columns {
        let ids = column.resolve(rows.clone(), Some(&keep), memo, |text| {
            blank(Some(text)).map_or(NONE, |t| interner.intern(t))
        });
        for (event, id) in events.iter_mut().zip(ids) {
            if let Some(event) = event {
                *field(event) = id;
            }
        }
    }
}

/// Row `i` of a batch (table row `row`) with its school resolved and no other ids yet.
fn event(c: &Columns, school: u32, i: usize, row: usize) -> Result<EventIds, Error> {
    // A known school has an id; the text is looked at only for a row without one.
    let school_id = || blank(c.school.text(i));
    if school == NONE && school_id().is_none() {
        return Err(bad(row, "school_id", reason::required("school_id")));
    }
    let day = c
        .date
        .is_valid(i)
        .then(|| c.date.value(i).checked_add(EPOCH_CE))
        .flatten()
        .filter(|d| c.days.contains(d));
    let day = day.ok_or_else(
        || match blank(c.date_text.as_ref().and_then(|t| t.get(i))) {
            Some(text) => bad(row, "date", reason::not_a_date(text)),
            None => bad(row, "date", reason::required("date")),
        },
    )?;
    let kind = parse(&c.kind, i, row, "kind", reason::KIND)?
        .ok_or_else(|| bad(row, "kind", reason::required("kind")))?;
    if !c.hours.is_valid(i) {
        return Err(match blank(c.hours_text.as_ref().and_then(|t| t.get(i))) {
            Some(text) => bad(row, "hours", reason::invalid(text, reason::HOURS)),
            None => bad(row, "hours", reason::required("hours")),
        });
    }
    let issuer = parse(&c.issuer, i, row, "issuer", reason::ISSUER)?;
    let decision = parse(&c.decision, i, row, "decision", reason::DECISION)?;
    let comprehensive = c
        .comprehensive
        .get(i)
        .map_err(|text| bad(row, "comprehensive", reason::not_a_flag(text)))?;
    if school == NONE {
        let id = school_id().unwrap_or_default();
        return Err(bad(row, "school_id", reason::unknown_school(id)));
    }
    Ok(EventIds {
        school,
        teacher: NONE,
        day,
        kind,
        hours: c.hours.value(i),
        issuer,
        item: NONE,
        decision,
        rule: NONE,
        comprehensive,
    })
}

/// What [`read`] gives: the events, the errors, and whether reading stopped at a batch whose
/// columns could not be read (the rows after it are not read).
pub(super) type Outcome = (Events, Vec<Error>, bool);

/// Reads events from record batches whose first row is row `first` of the table. An unknown
/// or missing required column is one error for the whole table (nothing is read), as in the
/// core's readers.
pub(super) fn read(
    schema: &Schema,
    batches: &[RecordBatch],
    schools: &Schools,
    first: usize,
) -> Outcome {
    let mut events = Events::default();
    let header = |field: &str, reason: String| {
        Error::row(Location::source("events").field(field.to_owned()), reason)
    };
    let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
    if let Some(error) = Error::table_schema("events", &names, &COLUMNS, &REQUIRED) {
        return (events, vec![error], true);
    }
    events.reserve(batches.iter().map(RecordBatch::num_rows).sum());
    let mut errors = Vec::new();
    let mut memos = Memos::default();
    let mut first = first;
    let mut rows: Vec<Option<EventIds>> = Vec::new();
    for batch in batches {
        let n = batch.num_rows();
        let columns = match Columns::new(batch) {
            Ok(columns) => columns,
            Err(e) => {
                errors.push(header("", format!("cannot read the events table: {e}")));
                return (events, errors, true);
            }
        };
        // A chunk at a time (a polars frame is often one batch of a million rows): check
        // every row, intern the ids of the rows kept, append them.
        for start in (0..n).step_by(CHUNK) {
            let range = start..n.min(start + CHUNK);
            let school = schools_of(&columns, range.clone(), &mut memos.school, schools);
            rows.clear();
            for (i, school) in range.clone().zip(school) {
                let row = first + i;
                let at = |name: &str| Location::source("events").field(format!("[{row}].{name}"));
                let checked = event(&columns, school, i, row)
                    .and_then(|e| events.check_ids(schools, &e, at).map(|()| e));
                rows.push(checked.map_err(|e| errors.push(e)).ok());
            }
            intern_ids(&columns, range.clone(), &mut memos, &mut events, &mut rows);
            // Checked above, before interning; interned ids are in range.
            for e in rows.iter().flatten() {
                events.push_checked(*e);
            }
        }
        first += n;
    }
    (events, errors, false)
}
