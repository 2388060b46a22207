//! Reading schools and events from CSV and JSON text. A bad row is reported with its file,
//! line, column and column name, and every other row is still read: nothing is dropped in
//! silence.

use chrono::NaiveDate;

use super::reason;
use super::table::{Event, EventRef, Events, School, Schools};
use crate::error::{Error, Location};
use crate::model::terms::trim;
use crate::parallel::Threads;

/// The columns of a schools table, in order.
pub const SCHOOL_COLUMNS: [&str; 8] = [
    "school_id",
    "name",
    "county",
    "urban_rural",
    "stage",
    "ownership",
    "teachers",
    "sample_point",
];
const SCHOOL_REQUIRED: [&str; 7] = [
    "school_id",
    "name",
    "county",
    "urban_rural",
    "stage",
    "ownership",
    "teachers",
];
/// The columns of an events table, in order.
pub const EVENT_COLUMNS: [&str; 10] = [
    "school_id",
    "teacher_id",
    "date",
    "kind",
    "hours",
    "issuer",
    "item_id",
    "decision",
    "rule",
    "comprehensive",
];
/// The columns an events table must have.
pub const EVENT_REQUIRED: [&str; 4] = ["school_id", "date", "kind", "hours"];

/// What a table read produced: the rows that parsed and an error for each that did not.
#[derive(Debug)]
pub struct Read<T> {
    /// The table.
    pub table: T,
    /// One error per bad row (or one for a bad header, with an empty table).
    pub errors: Vec<Error>,
}

/// Column positions of a CSV header.
struct Header {
    positions: Vec<Option<usize>>,
    /// Columns in the header: every row must have as many cells.
    width: usize,
}

impl Header {
    fn new(
        header: &csv::StringRecord,
        known: &[&str],
        required: &[&str],
        source: &str,
    ) -> crate::Result<Self> {
        // Chinese headers (学校编号, 时长（小时）…) name the same columns as the codes.
        let names: Vec<&str> = header
            .iter()
            .map(|h| crate::model::terms::column_code(h).unwrap_or(h))
            .collect();
        if let Some(mut error) = Error::table_schema(source, &names, known, required) {
            if let Error::TableSchema { location, .. } = &mut error {
                let column = location
                    .field
                    .as_deref()
                    .and_then(|f| names.iter().position(|n| n.trim() == f));
                location.line = Some(1);
                location.column = column.map(|c| c + 1);
            }
            return Err(error);
        }
        let positions: Vec<Option<usize>> = known
            .iter()
            .map(|k| names.iter().position(|h| h.trim() == *k))
            .collect();
        Ok(Self {
            positions,
            width: header.len(),
        })
    }

    fn get<'r>(&self, record: Fields<'r>, column: usize) -> Option<&'r str> {
        let position = self.positions.get(column).copied().flatten()?;
        record.get(position).map(trim).filter(|s| !s.is_empty())
    }

    fn column_of(&self, column: usize) -> Option<usize> {
        self.positions.get(column).copied().flatten()
    }
}

/// A cell parser's failure: which logical column and why.
struct Bad {
    column: usize,
    reason: String,
}

fn parse<T: std::str::FromStr>(
    value: Option<&str>,
    column: usize,
    what: &str,
) -> Result<Option<T>, Bad> {
    match value {
        None => Ok(None),
        Some(text) => text.parse().map(Some).map_err(|_| Bad {
            column,
            reason: reason::invalid(text, what),
        }),
    }
}

fn required<T>(value: Option<T>, column: usize, name: &str) -> Result<T, Bad> {
    value.ok_or_else(|| Bad {
        column,
        reason: reason::required(name),
    })
}

fn parse_date(value: Option<&str>, column: usize) -> Result<Option<NaiveDate>, Bad> {
    match value {
        None => Ok(None),
        Some(text) => crate::model::date::parse_iso(text)
            .map(Some)
            .ok_or_else(|| Bad {
                column,
                reason: reason::not_a_date(text),
            }),
    }
}

/// A yes/no cell: `true`, `1`, `yes`, `y`, `是` or `false`, `0`, `no`, `n`, `否`, in any
/// case; anything else is `None`. The CSV reader and the bindings' Arrow columns read text
/// flags through this one function (JSON events carry real booleans).
pub fn flag(text: &str) -> Option<bool> {
    match text.to_ascii_lowercase().as_str() {
        "false" | "0" | "no" | "n" | "否" => Some(false),
        "true" | "1" | "yes" | "y" | "是" => Some(true),
        _ => None,
    }
}

fn parse_bool(value: Option<&str>, column: usize) -> Result<bool, Bad> {
    match value {
        None => Ok(false),
        Some(text) => flag(text).ok_or_else(|| Bad {
            column,
            reason: reason::not_a_flag(text),
        }),
    }
}

fn reader(text: &str) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(text.as_bytes())
}

/// The cells of one CSV record: byte ranges into its text (unquoted, as the reader gave them).
#[derive(Clone, Copy)]
struct Fields<'r> {
    text: &'r str,
    ranges: &'r [std::ops::Range<usize>],
}

impl<'r> Fields<'r> {
    fn get(self, i: usize) -> Option<&'r str> {
        self.text.get(self.ranges.get(i)?.clone())
    }

    fn len(self) -> usize {
        self.ranges.len()
    }
}

/// One CSV record with its header, line and source, for the row parsers.
struct Cells<'r> {
    header: &'r Header,
    record: Fields<'r>,
    line: u64,
    source: &'r str,
    columns: &'r [&'r str],
}

impl Cells<'_> {
    fn get(&self, column: usize) -> Option<&str> {
        self.header.get(self.record, column)
    }

    /// The location of a logical column of this record.
    fn at(&self, column: Option<usize>) -> Location {
        let name = column.and_then(|c| self.columns.get(c)).copied();
        let position = column.and_then(|c| self.header.column_of(c)).map(|c| c + 1);
        let location = Location::source(self.source).line(self.line as usize, position);
        match name {
            Some(name) => location.field(name.to_string()),
            None => location,
        }
    }

    fn error(&self, bad: Bad) -> Error {
        Error::row(self.at(Some(bad.column)), bad.reason)
    }
}

fn csv_error(source: &str, error: &csv::Error) -> Error {
    let line = error.position().map_or(0, |p| p.line() as usize);
    Error::row(Location::source(source).line(line, None), error.to_string())
}

/// The header of a CSV text, where its body starts (byte) and the lines before that.
fn header_of(
    text: &str,
    source: &str,
    columns: &[&str],
    required: &[&str],
) -> Result<(Header, usize, u64), Error> {
    let mut rdr = reader(text);
    let header = rdr
        .headers()
        .map_err(|e| csv_error(source, &e))
        .and_then(|h| Header::new(h, columns, required, source))?;
    let body = (rdr.position().byte() as usize).min(text.len());
    let lines = text.get(..body).unwrap_or_default().matches('\n').count() as u64;
    Ok((header, body, lines))
}

/// Reads every record of a CSV text, calling `row` for each; returns the errors of the
/// header, of unreadable records, and those `row` gave back.
fn each_record(
    text: &str,
    source: &str,
    columns: &[&str],
    required: &[&str],
    row: impl FnMut(&Cells<'_>) -> Result<(), Error>,
) -> Vec<Error> {
    let (header, body, lines) = match header_of(text, source, columns, required) {
        Ok(found) => found,
        Err(e) => return vec![e],
    };
    let mut errors = Vec::new();
    let body = text.get(body..).unwrap_or_default();
    let layout = Layout {
        header: &header,
        source,
        columns,
    };
    body_records(body, lines, &layout, &mut errors, row);
    errors
}

/// What every record of a CSV body is read against: its header, the source to name in errors
/// and the table's logical columns.
#[derive(Clone, Copy)]
struct Layout<'a> {
    header: &'a Header,
    source: &'a str,
    columns: &'a [&'a str],
}

/// Reads the records of a CSV body (no header; `lines` before it in the file), calling `row`
/// for each and adding errors to `errors`.
///
/// A record is one line: a quotation mark left open (a stray `"`) would make the CSV reader
/// run on into the following lines and merge them, so such a record is an error for its own
/// line and reading starts again at the next line. No other row is merged or dropped. That
/// also lets a large body be cut at line breaks and read in parts, on several threads.
fn body_records(
    text: &str,
    lines: u64,
    layout: &Layout<'_>,
    errors: &mut Vec<Error>,
    row: impl FnMut(&Cells<'_>) -> Result<(), Error>,
) {
    if is_plain(text.as_bytes()) {
        plain_records(text, lines, layout, errors, row);
    } else {
        quoted_records(text, lines, layout, errors, row);
    }
}

/// Whether a CSV text has no quotation mark and no line break but `\n` and `\r\n`: then a
/// record is a line and its cells lie between commas, which [`plain_records`] reads without
/// the general reader (most tables written by programs look so; it is about twice as fast).
fn is_plain(text: &[u8]) -> bool {
    memchr::memchr(b'"', text).is_none()
        && memchr::memchr_iter(b'\r', text).all(|at| text.get(at + 1) == Some(&b'\n'))
}

/// [`quoted_records`] for a text that [`is_plain`]: the same records, errors and line numbers.
fn plain_records(
    text: &str,
    lines: u64,
    layout: &Layout<'_>,
    errors: &mut Vec<Error>,
    mut row: impl FnMut(&Cells<'_>) -> Result<(), Error>,
) {
    // The general reader drops a byte-order mark at the start of its input.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut ranges = Vec::with_capacity(layout.header.width);
    let mut line = lines;
    let mut start = 0;
    let ends = memchr::memchr_iter(b'\n', text.as_bytes()).chain([text.len()]);
    for end in ends {
        line += 1;
        let record = text.get(start..end).unwrap_or_default();
        start = end + 1;
        let record = record.strip_suffix('\r').unwrap_or(record);
        // The general reader skips empty lines too.
        if record.is_empty() {
            continue;
        }
        ranges.clear();
        let mut start = 0;
        // A byte loop: cells are short, and a memchr call per comma costs more than it saves.
        for (at, &b) in record.as_bytes().iter().enumerate() {
            if b == b',' {
                ranges.push(start..at);
                start = at + 1;
            }
        }
        ranges.push(start..record.len());
        let fields = Fields {
            text: record,
            ranges: &ranges,
        };
        emit(fields, line, layout, errors, &mut row);
    }
}

/// Checks a record's width and hands it to `row`, adding what fails to `errors`.
fn emit(
    record: Fields<'_>,
    line: u64,
    layout: &Layout<'_>,
    errors: &mut Vec<Error>,
    row: &mut impl FnMut(&Cells<'_>) -> Result<(), Error>,
) {
    let Layout {
        header,
        source,
        columns,
    } = *layout;
    if record.len() != header.width {
        errors.push(Error::row(
            Location::source(source).line(line as usize, None),
            reason::cell_count(record.len(), header.width),
        ));
        return;
    }
    let cells = Cells {
        header,
        record,
        line,
        source,
        columns,
    };
    if let Err(e) = row(&cells) {
        errors.push(e);
    }
}

/// [`body_records`] by the general CSV reader, for text with quoted cells or lone `\r`.
fn quoted_records(
    text: &str,
    lines: u64,
    layout: &Layout<'_>,
    errors: &mut Vec<Error>,
    mut row: impl FnMut(&Cells<'_>) -> Result<(), Error>,
) {
    let mut rdr = body_reader(text);
    let mut record = csv::StringRecord::new();
    let mut ranges = Vec::new();
    // Where the current reader starts in `text`: (byte, lines before it).
    let mut base = (0usize, lines);
    loop {
        let start = rdr.position().clone();
        let read = rdr.read_record(&mut record);
        if matches!(read, Ok(false)) {
            break;
        }
        let end = rdr.position().byte();
        // The record's own text, without the blank lines the reader skipped before it or the
        // line break after it: a line break inside means a quotation mark ran on into the
        // next lines.
        let raw = text
            .get(base.0 + start.byte() as usize..base.0 + end as usize)
            .unwrap_or_default();
        let span = raw.trim_start_matches(['\n', '\r']);
        let lead = raw.len() - span.len();
        let skipped = raw.get(..lead).unwrap_or_default().matches('\n').count() as u64;
        let line = start.line() + base.1 + skipped;
        // Without its one line ending: a line break left means the record ran on, even into
        // blank lines only (where the text, or a piece of it, ends).
        let span = span
            .strip_suffix("\r\n")
            .or_else(|| span.strip_suffix(['\n', '\r']))
            .unwrap_or(span);
        if span.contains(['\n', '\r']) {
            errors.push(Error::row(
                Location::source(layout.source).line(line as usize, None),
                reason::unclosed_quote(),
            ));
            // Start again on the line after this record's first line.
            let first = base.0 + start.byte() as usize + lead;
            let Some(next) = text
                .get(first..)
                .and_then(|rest| rest.find('\n'))
                .map(|at| first + at + 1)
            else {
                break;
            };
            base = (next, line);
            rdr = body_reader(text.get(next..).unwrap_or_default());
            continue;
        }
        if let Err(e) = read {
            let mut e = csv_error(layout.source, &e);
            if let Error::RowInvalid { location, .. } = &mut e {
                location.line = Some(line as usize);
            }
            errors.push(e);
            continue;
        }
        ranges.clear();
        ranges.extend((0..record.len()).filter_map(|i| record.range(i)));
        let fields = Fields {
            text: record.as_slice(),
            ranges: &ranges,
        };
        emit(fields, line, layout, errors, &mut row);
    }
}

/// A reader of CSV records without a header. Rows are checked against the header's width
/// here, not by the reader (which would compare each row with the first one it read).
fn body_reader(text: &str) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .from_reader(text.as_bytes())
}

/// Whether the last line of `text` (which ends with its line break) has an odd number of
/// quotation marks: a quote left open, so the text must not be cut after it.
fn ends_in_open_quote(text: &[u8]) -> bool {
    let start = text
        .get(..text.len().saturating_sub(1))
        .and_then(|before| before.iter().rposition(|&b| b == b'\n'))
        .map_or(0, |at| at + 1);
    let quotes = text
        .get(start..)
        .map_or(0, |line| line.iter().filter(|&&b| b == b'"').count());
    quotes % 2 == 1
}

/// Cuts a CSV body into about `parts` pieces at line breaks, none under `min` bytes. A cut
/// never follows a line with an odd number of quotation marks (a quote left open), so each
/// piece reads as it would in the whole body.
fn pieces(text: &str, parts: usize, min: usize) -> Vec<std::ops::Range<usize>> {
    let size = (text.len() / parts.max(1)).max(min.max(1));
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    while start < text.len() {
        let mut cut = (start + size).min(text.len());
        loop {
            // The end of the line the cut falls in.
            cut = match bytes
                .get(cut..)
                .and_then(|rest| rest.iter().position(|&b| b == b'\n'))
            {
                Some(at) => cut + at + 1,
                None => text.len(),
            };
            if cut >= text.len() {
                break;
            }
            if !ends_in_open_quote(bytes.get(..cut).unwrap_or_default()) {
                break;
            }
        }
        out.push(start..cut);
        start = cut;
    }
    out
}

fn school_row(c: &Cells<'_>) -> Result<School, Bad> {
    Ok(School {
        school_id: required(c.get(0), 0, "school_id")?.to_string(),
        name: c.get(1).unwrap_or_default().to_string(),
        county: required(c.get(2), 2, "county")?.to_string(),
        urban_rural: required(
            parse(c.get(3), 3, "urban_rural (urban, rural)")?,
            3,
            "urban_rural",
        )?,
        stage: required(
            parse(
                c.get(4),
                4,
                "stage (primary, junior, senior, nine_year, complete)",
            )?,
            4,
            "stage",
        )?,
        ownership: required(
            parse(c.get(5), 5, "ownership (public, private)")?,
            5,
            "ownership",
        )?,
        teachers: required(parse(c.get(6), 6, "teacher count")?, 6, "teachers")?,
        sample_point: parse_bool(c.get(7), 7)?,
    })
}

fn event_row<'r>(c: &'r Cells<'_>) -> Result<EventRef<'r>, Bad> {
    Ok(EventRef {
        school_id: required(c.get(0), 0, "school_id")?,
        teacher_id: c.get(1),
        date: required(parse_date(c.get(2), 2)?, 2, "date")?,
        kind: required(parse(c.get(3), 3, reason::KIND)?, 3, "kind")?,
        hours: required(parse(c.get(4), 4, reason::HOURS)?, 4, "hours")?,
        issuer: parse(c.get(5), 5, reason::ISSUER)?,
        item_id: c.get(6),
        decision: parse(c.get(7), 7, reason::DECISION)?,
        rule: c.get(8),
        comprehensive: parse_bool(c.get(9), 9)?,
    })
}

/// Reads the schools table from CSV (columns: `school_id, name, county, urban_rural, stage,
/// ownership, teachers, sample_point`).
pub fn schools_csv(text: &str, source: &str) -> Read<Schools> {
    let mut schools = Schools::new();
    let errors = each_record(text, source, &SCHOOL_COLUMNS, &SCHOOL_REQUIRED, |cells| {
        let school = school_row(cells).map_err(|bad| cells.error(bad))?;
        schools.push(school, cells.at(None))
    });
    Read {
        table: schools,
        errors,
    }
}

/// [`schools_csv`] over a stream (a file, stdin): its bytes decoded as UTF-8 (with or without a
/// BOM), UTF-16 with a BOM or GBK/GB18030, told apart from the bytes ([`crate::encoding`]). A
/// failing read, or bytes that are none of these, is an error naming `source`.
///
/// ```
/// let csv = "school_id,name,county,urban_rural,stage,ownership,teachers\nS1,一小,湖滨区,城镇,小学,公办,40\n";
/// let gbk = encoding_rs::GBK.encode(csv).0.into_owned();
/// let read = jianfu::score::read::schools_csv_reader(gbk.as_slice(), "schools.csv")?;
/// assert!(read.errors.is_empty());
/// assert_eq!(read.table.rows()[0].name, "一小");
/// # Ok::<(), jianfu::Error>(())
/// ```
pub fn schools_csv_reader(
    mut reader: impl std::io::Read,
    source: &str,
) -> crate::Result<Read<Schools>> {
    let mut bytes = Vec::new();
    reader
        .read_to_end(&mut bytes)
        .map_err(|e| Error::read_failed(source, e))?;
    let text = crate::encoding::decode(bytes, source)?;
    Ok(schools_csv(&text, source))
}

/// Reads events from CSV (columns: `school_id, teacher_id, date, kind, hours, issuer, item_id,
/// decision, rule, comprehensive`; the first four are required).
pub fn events_csv(text: &str, source: &str, schools: &Schools) -> Read<Events> {
    events_csv_on(text, source, schools, Threads::ONE)
}

/// [`events_csv`] on up to `threads` threads: the body is cut at line breaks and the pieces
/// are read at once, then joined in order. The table and the errors are those one thread
/// gives, ids and line numbers included.
pub fn events_csv_on(
    text: &str,
    source: &str,
    schools: &Schools,
    threads: Threads,
) -> Read<Events> {
    events_csv_in_pieces(text, source, schools, threads, PIECE_MIN)
}

/// Bytes below which a CSV body is read in one piece.
const PIECE_MIN: usize = 1 << 20;

fn events_csv_in_pieces(
    text: &str,
    source: &str,
    schools: &Schools,
    threads: Threads,
    min: usize,
) -> Read<Events> {
    let (header, body_at, lines) = match header_of(text, source, &EVENT_COLUMNS, &EVENT_REQUIRED) {
        Ok(found) => found,
        Err(e) => {
            return Read {
                table: Events::default(),
                errors: vec![e],
            };
        }
    };
    let body = text.get(body_at..).unwrap_or_default();
    let (table, errors, _) = body_events(body, lines, &header, source, schools, threads, min);
    Read { table, errors }
}

/// The events of a CSV body (`lines` before it in the file), read in pieces on the threads
/// and joined in order; also the line breaks in it.
fn body_events(
    body: &str,
    lines: u64,
    header: &Header,
    source: &str,
    schools: &Schools,
    threads: Threads,
    min: usize,
) -> (Events, Vec<Error>, u64) {
    // Four pieces a thread even out pieces that read slower (more bad rows, longer ids).
    let ranges = pieces(body, threads.count() * 4, min);
    let parts = threads.map(&ranges, |range| {
        let piece = body.get(range.clone()).unwrap_or_default();
        let breaks = memchr::memchr_iter(b'\n', piece.as_bytes()).count();
        let mut events = Events::default();
        // One allocation a column: a row a line, at most.
        events.reserve(breaks + 1);
        let mut ids = RawIds::default();
        let mut errors = Vec::new();
        let layout = Layout {
            header,
            source,
            columns: &EVENT_COLUMNS,
        };
        body_records(piece, 0, &layout, &mut errors, |cells| {
            let event = event_row(cells).map_err(|bad| cells.error(bad))?;
            let column = |name: &str| EVENT_COLUMNS.iter().position(|c| *c == name);
            events.push_uninterned(schools, event, |name| cells.at(column(name)))?;
            ids.push(piece, [event.teacher_id, event.item_id, event.rule]);
            Ok(())
        });
        ids.intern_into(piece, &mut events);
        (events, errors, breaks as u64)
    });
    let mut tables = Vec::with_capacity(parts.len());
    let mut errors = Vec::new();
    let mut before = lines;
    for (events, piece_errors, breaks) in parts {
        tables.push(events);
        // Each piece counted its lines from 0; its errors move to the file's lines.
        errors.extend(piece_errors.into_iter().map(|mut e| {
            if let Error::RowInvalid { location, .. } = &mut e {
                location.line = location.line.map(|l| l + before as usize);
            }
            e
        }));
        before += breaks;
    }
    (Events::concat(tables, threads), errors, before - lines)
}

/// The teacher, item and rule ids of the rows kept, not yet interned: where each lies in the
/// piece being read, or in `copied` for a cell the CSV reader unquoted into its own buffer.
#[derive(Default)]
struct RawIds {
    columns: [Vec<IdAt>; 3],
    copied: String,
}

/// Where one id's text lies.
#[derive(Clone)]
enum IdAt {
    Blank,
    Piece(std::ops::Range<usize>),
    Copied(std::ops::Range<usize>),
}

impl RawIds {
    /// Records a kept row's ids (teacher, item, rule), as `Cells::get` gives them.
    fn push(&mut self, piece: &str, ids: [Option<&str>; 3]) {
        let piece_at = piece.as_ptr() as usize;
        for (column, id) in self.columns.iter_mut().zip(ids) {
            // Cells come trimmed, and blank ones as `None` (`Cells::get`).
            let at = match id {
                None => IdAt::Blank,
                Some(id) => {
                    // A cell of the piece itself, or one the reader copied out to unquote it.
                    let start = (id.as_ptr() as usize).wrapping_sub(piece_at);
                    let end = start
                        .checked_add(id.len())
                        .filter(|&end| end <= piece.len());
                    if let Some(end) = end {
                        IdAt::Piece(start..end)
                    } else {
                        let start = self.copied.len();
                        self.copied.push_str(id);
                        IdAt::Copied(start..self.copied.len())
                    }
                }
            };
            column.push(at);
        }
    }

    /// Interns the ids a column at a time and sets them in `events`, whose rows are the
    /// rows recorded, in order.
    fn intern_into(&self, piece: &str, events: &mut Events) {
        let [teachers, items, rules] = &self.columns;
        let targets = [
            (teachers, &mut events.teacher, &mut events.teachers),
            (items, &mut events.item, &mut events.items),
            (rules, &mut events.rule, &mut events.rules),
        ];
        for (raw, column, interner) in targets {
            for (slot, at) in column.iter_mut().zip(raw) {
                let text = match at {
                    IdAt::Blank => continue,
                    IdAt::Piece(range) => piece.get(range.clone()),
                    IdAt::Copied(range) => self.copied.get(range.clone()),
                };
                *slot = interner.intern(text.unwrap_or_default());
            }
        }
    }
}

/// Bytes of CSV read from a stream at a time by [`events_csv_reader`].
const BLOCK_BYTES: usize = 64 << 20;

/// [`events_csv_on`] over a stream (a file, stdin), read a block of about 64 MiB at a time,
/// so memory holds the events and one block, not the whole text. The table and errors are
/// those of [`events_csv`] over the same text. Bytes that are not UTF-8, or a failing read,
/// are an error naming `source`.
pub fn events_csv_reader(
    reader: impl std::io::BufRead,
    source: &str,
    schools: &Schools,
    threads: Threads,
) -> crate::Result<Read<Events>> {
    events_csv_blocks(reader, source, schools, threads, BLOCK_BYTES, PIECE_MIN)
}

fn events_csv_blocks(
    mut reader: impl std::io::BufRead,
    source: &str,
    schools: &Schools,
    threads: Threads,
    block: usize,
    min: usize,
) -> crate::Result<Read<Events>> {
    use std::io::Read as _;
    let mut text: Vec<u8> = Vec::new();
    let line = |reader: &mut dyn std::io::BufRead, text: &mut Vec<u8>| -> crate::Result<bool> {
        let read = reader
            .read_until(b'\n', text)
            .map_err(|e| Error::read_failed(source, e))?;
        Ok(read > 0)
    };
    let utf8 = |bytes: Vec<u8>, at: u64| -> crate::Result<String> {
        String::from_utf8(bytes).map_err(|e| {
            Error::read_failed(
                source,
                format!(
                    "not valid UTF-8 (bad byte at byte {}); save the table as UTF-8",
                    at + e.utf8_error().valid_up_to() as u64
                ),
            )
        })
    };
    // The header: the lines up to the first that is not blank.
    loop {
        let start = text.len();
        if !line(&mut reader, &mut text)? {
            break;
        }
        let current = text.get(start..).unwrap_or_default();
        if !current.iter().all(u8::is_ascii_whitespace) {
            break;
        }
    }
    let head = utf8(std::mem::take(&mut text), 0)?;
    let (header, body_at, mut lines) =
        match header_of(&head, source, &EVENT_COLUMNS, &EVENT_REQUIRED) {
            Ok(found) => found,
            Err(e) => {
                return Ok(Read {
                    table: Events::default(),
                    errors: vec![e],
                });
            }
        };
    // What the header's reading left of those lines starts the body.
    text.extend_from_slice(head.get(body_at..).unwrap_or_default().as_bytes());
    // This thread reads the next block while another reads the events of the one before
    // (on the pool): reading the text and parsing it overlap.
    std::thread::scope(|scope| {
        let (blocks, received) = std::sync::mpsc::sync_channel::<String>(1);
        let header = &header;
        let parser = scope.spawn(move || {
            let mut table = Events::default();
            let mut errors = Vec::new();
            for body in received {
                let (events, block_errors, breaks) =
                    body_events(&body, lines, header, source, schools, threads, min);
                table.append(events);
                errors.extend(block_errors);
                lines += breaks;
            }
            (table, errors)
        });
        let mut offset = body_at as u64;
        let mut read_blocks = || -> crate::Result<()> {
            loop {
                // A block of whole lines, never cut after a line with an open quote (as
                // `pieces`): read in one go up to the block's size, then to the line's end.
                let want = block.saturating_sub(text.len()) as u64;
                let got = (&mut reader)
                    .take(want)
                    .read_to_end(&mut text)
                    .map_err(|e| Error::read_failed(source, e))?;
                let mut more = want == 0 || got as u64 == want;
                if more && text.last() != Some(&b'\n') {
                    more = line(&mut reader, &mut text)?;
                }
                while more && ends_in_open_quote(&text) {
                    more = line(&mut reader, &mut text)?;
                }
                if !text.is_empty() {
                    let length = text.len() as u64;
                    let body = utf8(std::mem::take(&mut text), offset)?;
                    offset += length;
                    if blocks.send(body).is_err() {
                        break;
                    }
                }
                if !more {
                    break;
                }
            }
            Ok(())
        };
        let read = read_blocks();
        drop(blocks);
        let (table, errors) = parser
            .join()
            .map_err(|_| Error::read_failed(source, "reading the events stopped"))?;
        read.map(|()| Read { table, errors })
    })
}

/// The first error among `errors` that refuses a whole table (`table.schema`), as an `Err`:
/// a table whose columns do not match is not scored as if it were empty.
pub fn refuse_schema(errors: &[Error]) -> crate::Result<()> {
    match errors.iter().find(|e| e.is_table_schema()) {
        Some(error) => Err(error.clone()),
        None => Ok(()),
    }
}

/// Parses a JSON array of rows; each row that does not match `T` becomes an error naming its
/// index, and `keep` receives the others with their index. Keys no row may have, or required
/// keys no row has, refuse the whole table (`table.schema`), as a CSV header would.
fn json_rows<T: serde::de::DeserializeOwned>(
    text: &str,
    source: &str,
    (known, required): (&[&str], &[&str]),
    mut keep: impl FnMut(usize, T) -> Result<(), Error>,
) -> Vec<Error> {
    let rows: Vec<serde_json::Value> = match serde_json::from_str(text) {
        Ok(rows) => rows,
        Err(e) => {
            let at = Location::source(source).line(e.line(), Some(e.column()));
            return vec![Error::row(at, e.to_string())];
        }
    };
    // An empty table (or one of non-objects, each a row error below) has no keys to check.
    if rows.iter().any(serde_json::Value::is_object) {
        let mut keys: Vec<&str> = Vec::new();
        for key in rows
            .iter()
            .filter_map(|r| r.as_object())
            .flat_map(|o| o.keys())
        {
            if !keys.contains(&key.as_str()) {
                keys.push(key);
            }
        }
        if let Some(error) = Error::table_schema(source, &keys, known, required) {
            return vec![error];
        }
    }
    let mut errors = Vec::new();
    for (i, value) in rows.into_iter().enumerate() {
        let row = serde_json::from_value::<T>(value)
            .map_err(|e| {
                Error::row(
                    Location::source(source).field(format!("[{i}]")),
                    e.to_string(),
                )
            })
            .and_then(|row| keep(i, row));
        if let Err(e) = row {
            errors.push(e);
        }
    }
    errors
}

/// Reads schools from a JSON array of school objects.
pub fn schools_json(text: &str, source: &str) -> Read<Schools> {
    let mut schools = Schools::new();
    let columns = (&SCHOOL_COLUMNS[..], &SCHOOL_REQUIRED[..]);
    let errors = json_rows(text, source, columns, |i, school: School| {
        schools.push(school, Location::source(source).field(format!("[{i}]")))
    });
    Read {
        table: schools,
        errors,
    }
}

/// Reads events from a JSON array of event objects; errors come in row order.
pub fn events_json(text: &str, source: &str, schools: &Schools) -> Read<Events> {
    let mut events = Events::default();
    let columns = (&EVENT_COLUMNS[..], &EVENT_REQUIRED[..]);
    let errors = json_rows(text, source, columns, |i, event: Event| {
        let at = |field: &str| Location::source(source).field(format!("[{i}].{field}"));
        events.push(schools, event.as_ref(), at)
    });
    Read {
        table: events,
        errors,
    }
}

#[cfg(test)]
#[expect(clippy::unwrap_used, reason = "test harness")]
mod tests {
    use super::*;

    fn schools() -> Schools {
        let text = "school_id,name,county,urban_rural,stage,ownership,teachers\n\
                    S1,一小,湖滨区,urban,primary,public,10\n\
                    S2,二中,陕州区,rural,junior,public,20\n";
        schools_csv(text, "schools.csv").table
    }

    /// The columns and names of a table, as plain values.
    fn columns(e: &Events) -> String {
        let names = |i: &super::super::table::Interner| -> Vec<String> {
            (0..i.len() as u32)
                .map(|id| i.name(id).unwrap_or_default().to_owned())
                .collect()
        };
        format!(
            "{:?}",
            (
                (&e.school, &e.teacher, &e.day, &e.kind, &e.hours),
                (&e.issuer, &e.item, &e.decision, &e.rule, &e.comprehensive),
                (names(&e.teachers), names(&e.items), names(&e.rules)),
            )
        )
    }

    #[test]
    fn reading_in_pieces_gives_what_one_reader_gives() {
        let rows = [
            "S1,T1,2026-03-03,meeting,2,education,I-1,allowed,,",
            "",
            "S2,T2,2026-03-04,training,1.5,,\"I-2, \"\"quoted\"\"\",,,",
            "S1,T1,2026-03-05,meeting,x,,,,,",
            "S1,\"T3,2026-03-05,meeting,1,,,,,",
            "S9,T4,2026-03-06,meeting,1,,,,,",
            "S2,T5,2026-03-07,duty,3,,,prohibited,SMX2024-D1,false\r",
            "S1,T2,2026-03-08,meeting,1,,,,,,extra",
            "S2,T6,2026-03-09,inspection,2,,I-3,,NAT2025-2.3,true",
        ];
        let mut text = String::from(
            "school_id,teacher_id,date,kind,hours,issuer,item_id,decision,rule,comprehensive\n",
        );
        for round in 0..7 {
            for (i, row) in rows.iter().enumerate() {
                if (i + round) % 3 != 0 || row.is_empty() {
                    text.push_str(&row.replace("T", &format!("T{round}-")));
                }
                text.push('\n');
            }
        }
        let schools = schools();
        let one = events_csv(&text, "events.csv", &schools);
        assert!(!one.errors.is_empty() && one.table.len() > 10);
        // Ids interned a column at a time are those row by row interning gives.
        let rows = one.table.to_rows(&schools);
        let (row_by_row, _) = Events::from_rows(&schools, &rows, "events");
        assert_eq!(columns(&row_by_row), columns(&one.table));
        // Read from a stream, a block at a time (blocks of 1 byte to the whole text).
        for (block, threads) in [(1, 1), (9, 2), (100, 3), (1 << 20, 2)] {
            let blocks = events_csv_blocks(
                text.as_bytes(),
                "events.csv",
                &schools,
                Threads::new(threads),
                block,
                16,
            )
            .unwrap();
            assert_eq!(
                columns(&blocks.table),
                columns(&one.table),
                "blocks of {block} B"
            );
            assert_eq!(blocks.errors, one.errors, "blocks of {block} B");
        }
        for (threads, min) in [(1, 1), (2, 1), (3, 7), (4, 64), (2, 1 << 20)] {
            let pieces =
                events_csv_in_pieces(&text, "events.csv", &schools, Threads::new(threads), min);
            assert_eq!(
                columns(&pieces.table),
                columns(&one.table),
                "{threads} threads, {min} B"
            );
            assert_eq!(pieces.errors, one.errors, "{threads} threads, {min} B");
        }
    }

    #[test]
    fn a_stream_reads_as_its_text_with_a_bom_blank_lines_or_a_bad_header() {
        let schools = schools();
        for text in [
            "\u{feff}school_id,date,kind,hours\nS1,2026-03-02,meeting,1\n",
            "\n\nschool_id,date,kind,hours\r\nS1,2026-03-02,meeting,1",
            "  \nschool_id,date,kind,hours\nS1,2026-03-02,meeting,1\n",
            "school_id,date,kind\nS1,2026-03-02,meeting\n",
            "",
        ] {
            let whole = events_csv(text, "e.csv", &schools);
            let stream =
                events_csv_reader(text.as_bytes(), "e.csv", &schools, Threads::ONE).unwrap();
            assert_eq!(columns(&stream.table), columns(&whole.table), "{text:?}");
            assert_eq!(stream.errors, whole.errors, "{text:?}");
        }
        let bad = events_csv_reader(
            &b"school_id,date,kind,hours\nS1,\xff\n"[..],
            "e.csv",
            &schools,
            Threads::ONE,
        );
        let error = bad.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(
            error.contains("e.csv") && error.contains("UTF-8"),
            "{error}"
        );
    }

    #[test]
    fn the_plain_reader_gives_what_the_general_reader_gives() {
        let header = Header {
            positions: (0..3).map(Some).collect(),
            width: 3,
        };
        let columns = ["a", "b", "c"];
        let layout = Layout {
            header: &header,
            source: "t.csv",
            columns: &columns,
        };
        let read = |text: &str, plain: bool| {
            let mut rows = Vec::new();
            let mut errors = Vec::new();
            let row = |cells: &Cells<'_>| {
                rows.push((
                    cells.line,
                    (0..3)
                        .map(|c| cells.get(c).map(str::to_owned))
                        .collect::<Vec<_>>(),
                ));
                Ok(())
            };
            if plain {
                plain_records(text, 4, &layout, &mut errors, row);
            } else {
                quoted_records(text, 4, &layout, &mut errors, row);
            }
            (rows, errors)
        };
        for text in [
            "",
            "\n",
            "x,y,z",
            "x,y,z\n",
            "x, y ,z\r\n\r\n\nu,,w\n",
            "一,二,三\n\u{3000}四 ,五,\n",
            "x,y\nx,y,z,w\n,,\n",
            "\n\nx,y,z\r\nlast,line,here",
            "\u{feff}x,y,z\n",
            "x,y,z\n\u{feff}a,b,c\n",
        ] {
            assert!(is_plain(text.as_bytes()), "{text:?}");
            let general = read(text, false);
            assert_eq!(read(text, true), general, "{text:?}");
        }
        // A line of only a byte-order mark is skipped as the empty line it is (the general
        // reader, whose positions the mark shifts, reports it as a stray quote).
        let (rows, errors) = read("\u{feff}\nx,y,z\n", true);
        assert_eq!(rows.len(), 1);
        assert!(errors.is_empty(), "{errors:?}");
        assert!(!is_plain(b"a,\"b\",c\n"));
        assert!(!is_plain(b"a,b\rc\n"));
    }

    #[test]
    fn a_cut_never_follows_an_open_quote() {
        let text = "a\n\"b\nc\nd\n";
        for min in 1..text.len() {
            let cuts = pieces(text, 8, min);
            assert_eq!(cuts.first().map(|r| r.start), Some(0));
            assert_eq!(cuts.last().map(|r| r.end), Some(text.len()));
            assert!(cuts.iter().all(|r| r.start != 4), "{cuts:?}");
        }
    }
}
