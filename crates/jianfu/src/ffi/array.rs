//! The top-level elements of a JSON array (JSON 数组), found by brackets and strings alone as
//! the bytes arrive. The whole-input reader and the stream share it, so both give the same
//! records: one element that does not parse, or is not UTF-8, costs that element only, and
//! an array of any length is read in memory bounded by its longest element.

use serde_json::Value;

use super::{Record, item_from_value, with_line};
use crate::error::{Error, Location};

/// One top-level element: its bytes without the whitespace around them, and the line it
/// starts on.
#[derive(Debug)]
pub(crate) struct Element {
    pub index: usize,
    pub line: usize,
    pub bytes: Vec<u8>,
}

impl Element {
    /// The element read as an item, or the error that names its line, column and index.
    pub fn record(&self, source: &str) -> Record {
        let field = format!("[{}]", self.index);
        let item = match std::str::from_utf8(&self.bytes) {
            Err(e) => Err(Error::item(
                Location::source(source)
                    .line(self.line, None)
                    .field(field.as_str()),
                format!(
                    "the element is not valid UTF-8 (bad byte after {} bytes); save the file as UTF-8",
                    e.valid_up_to()
                ),
            )),
            Ok(text) => match serde_json::from_str::<Value>(text) {
                Ok(value) => {
                    item_from_value(value, source, &field).map_err(|e| with_line(e, self.line))
                }
                Err(e) => {
                    // The element's own position is in the location; drop serde's, which
                    // counts from the element.
                    let reason = e.to_string();
                    let reason = reason
                        .rsplit_once(" at line ")
                        .map_or(reason.as_str(), |(r, _)| r)
                        .to_string();
                    Err(Error::item(
                        Location::source(source)
                            .line(self.line + e.line().saturating_sub(1), Some(e.column()))
                            .field(field.as_str()),
                        reason,
                    ))
                }
            },
        };
        Record {
            index: self.index,
            line: Some(self.line),
            item,
        }
    }
}

/// Where the reading stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Before the opening `[`.
    Before,
    /// Inside the array.
    Inside,
    /// After the closing `]`; the line of any text found there.
    Closed(Option<usize>),
}

/// Splits a JSON array into its top-level elements as its bytes are fed in.
#[derive(Debug)]
pub(crate) struct ArraySplit {
    state: State,
    depth: usize,
    in_string: bool,
    escaped: bool,
    line: usize,
    element: Vec<u8>,
    start_line: usize,
    index: usize,
}

impl ArraySplit {
    /// A splitter for an input whose first byte fed is on line 1.
    pub fn new() -> Self {
        Self {
            state: State::Before,
            depth: 0,
            in_string: false,
            escaped: false,
            line: 1,
            element: Vec::new(),
            start_line: 1,
            index: 0,
        }
    }

    /// Reads `bytes`, handing each element completed in them to `out`.
    pub fn feed(&mut self, bytes: &[u8], out: &mut impl FnMut(Element)) {
        for &b in bytes {
            match self.state {
                State::Before => {
                    self.state = if b == b'[' {
                        State::Inside
                    } else {
                        State::Before
                    }
                }
                State::Closed(None) if !b.is_ascii_whitespace() => {
                    self.state = State::Closed(Some(self.line));
                }
                State::Closed(_) => {}
                State::Inside => self.inside(b, out),
            }
            if b == b'\n' {
                self.line += 1;
            }
        }
    }

    fn inside(&mut self, b: u8, out: &mut impl FnMut(Element)) {
        if self.in_string {
            match (self.escaped, b) {
                (true, _) => self.escaped = false,
                (false, b'\\') => self.escaped = true,
                (false, b'"') => self.in_string = false,
                _ => {}
            }
            self.element.push(b);
            return;
        }
        match b {
            b',' | b']' if self.depth == 0 => {
                self.emit(out);
                if b == b']' {
                    self.state = State::Closed(None);
                }
                return;
            }
            b'"' => self.in_string = true,
            b'[' | b'{' => self.depth += 1,
            b']' | b'}' if self.depth > 0 => self.depth -= 1,
            _ => {}
        }
        if self.element.is_empty() {
            if b.is_ascii_whitespace() {
                return;
            }
            self.start_line = self.line;
        }
        self.element.push(b);
    }

    fn emit(&mut self, out: &mut impl FnMut(Element)) {
        let end = self
            .element
            .iter()
            .rposition(|b| !b.is_ascii_whitespace())
            .map_or(0, |at| at + 1);
        self.element.truncate(end);
        if !self.element.is_empty() {
            out(Element {
                index: self.index,
                line: self.start_line,
                bytes: std::mem::take(&mut self.element),
            });
            self.index += 1;
        }
    }

    /// The end of the input: an element left open is handed to `out` (its parse error names
    /// it), and a missing `]` or text after it is an error record of its own, so nothing past
    /// the last element goes unreported.
    pub fn finish(&mut self, source: &str, out: &mut impl FnMut(Element)) -> Option<Record> {
        let reason = match self.state {
            State::Closed(None) => return None,
            State::Closed(Some(line)) => {
                self.line = line;
                "text after the array's closing `]` is not read; give one \
                 JSON array, or one item per line (JSON Lines)"
            }
            State::Before | State::Inside => {
                self.emit(out);
                "the JSON array is not closed: `]` is missing at the end; \
                 the file may be cut short"
            }
        };
        let record = Record {
            index: self.index,
            line: Some(self.line),
            item: Err(Error::item(
                Location::source(source).line(self.line, None),
                reason,
            )),
        };
        self.index += 1;
        self.state = State::Closed(None);
        Some(record)
    }
}

/// Whether bytes open a JSON array: `[` after any byte-order mark and whitespace.
pub(crate) fn opens_array(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    bytes
        .utf8_chunks()
        .next()
        .is_some_and(|c| c.valid().trim_start().starts_with('['))
}

/// The elements of a whole array input, each read on up to `threads` threads, then any
/// error of its end: the records the stream gives for the same bytes.
pub(crate) fn records(bytes: &[u8], source: &str, threads: crate::Threads) -> Vec<Record> {
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    let mut split = ArraySplit::new();
    let mut elements = Vec::new();
    split.feed(bytes, &mut |e| elements.push(e));
    let end = split.finish(source, &mut |e| elements.push(e));
    let mut records = threads.map(&elements, |e| e.record(source));
    records.extend(end);
    records
}
