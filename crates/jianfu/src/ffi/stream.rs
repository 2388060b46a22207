//! Items read from a stream as they arrive (逐行读取): the reader behind `jianfu check` on
//! large JSON Lines files and pipes.

use std::collections::VecDeque;
use std::io::BufRead;

use super::array::{ArraySplit, Element, opens_array};
use super::{Record, blank, is_json_lines, line_record, parse_items_bytes};
use crate::Threads;
use crate::error::Error;

/// Items read from `reader` one record at a time. JSON Lines are read line by line and a JSON
/// array element by element, so memory stays bounded by the longest line or element and the
/// first verdict can be written before the input ends. An input that is one object spread
/// over several lines is read whole (it is one record). The records are those
/// [`parse_items_bytes`] gives for the same bytes; an `Err` is a failure to read the stream.
///
/// ```
/// let input = "{\"id\":\"a\",\"kind\":\"meeting\",\"title\":\"会议\",\"issuer\":{\"name\":\"县局\",\"kind\":\"other_department\",\"level\":\"county\"}}\nnot json\n";
/// let records: Vec<_> = jianfu::ffi::ItemStream::new(input.as_bytes(), "items.jsonl")
///     .collect::<Result<_, _>>()
///     .unwrap();
/// assert!(records[0].item.is_ok());
/// assert_eq!(records[1].line, Some(2));
/// assert!(records[1].item.is_err());
/// ```
pub struct ItemStream<R> {
    reader: R,
    source: String,
    /// `None` until the first record's line is seen; then whether the input is JSON Lines.
    lines: Option<bool>,
    /// The splitter of an input that is a JSON array (then `lines` is `Some(false)`).
    array: Option<ArraySplit>,
    /// Array elements split off and not yet handed out.
    elements: VecDeque<Element>,
    /// Records of an input read whole (or an array's closing error), handed out one by one.
    queued: VecDeque<Record>,
    line_no: usize,
    index: usize,
    buffer: Vec<u8>,
    /// Whether the line in `buffer` ended with a line break (the last line may not).
    broke: bool,
    /// The blank lines read before the first record, as read (for an input read whole).
    lead: Vec<u8>,
}

impl<R: BufRead> ItemStream<R> {
    /// Reads items from `reader`; `source` names it in errors (a path, or `-`).
    pub fn new(reader: R, source: &str) -> Self {
        Self {
            reader,
            source: source.to_string(),
            lines: None,
            array: None,
            elements: VecDeque::new(),
            queued: VecDeque::new(),
            line_no: 0,
            index: 0,
            buffer: Vec::new(),
            broke: false,
            lead: Vec::new(),
        }
    }

    /// The next line into `buffer` (without its `\n`); `false` at the end of the input.
    fn next_line(&mut self) -> Result<bool, Error> {
        self.buffer.clear();
        let read = self
            .reader
            .read_until(b'\n', &mut self.buffer)
            .map_err(|e| Error::read_failed(self.source.as_str(), e))?;
        self.broke = self.buffer.last() == Some(&b'\n');
        if self.broke {
            self.buffer.pop();
        }
        self.line_no += usize::from(read > 0);
        Ok(read > 0)
    }

    /// Starts reading an array: the blank lines and the line read so far go to the splitter.
    fn start_array(&mut self) {
        let mut split = ArraySplit::new();
        let elements = &mut self.elements;
        let mut out = |e| elements.push_back(e);
        split.feed(&std::mem::take(&mut self.lead), &mut out);
        split.feed(&self.buffer, &mut out);
        if self.broke {
            split.feed(b"\n", &mut out);
        }
        self.array = Some(split);
    }

    /// Feeds the reader's next chunk to the array splitter; at the end of the input, the
    /// element left open and any error of the array's end.
    fn read_array(&mut self) -> Result<(), Error> {
        let Self {
            reader,
            array,
            elements,
            queued,
            source,
            ..
        } = self;
        let Some(split) = array.as_mut() else {
            return Ok(());
        };
        let mut out = |e| elements.push_back(e);
        let chunk = reader
            .fill_buf()
            .map_err(|e| Error::read_failed(source.as_str(), e))?;
        let read = chunk.len();
        if read == 0 {
            queued.extend(split.finish(source, &mut out));
            *array = None;
            return Ok(());
        }
        split.feed(chunk, &mut out);
        reader.consume(read);
        Ok(())
    }

    /// The next element or record of an array input; `None` at its end.
    fn array_step(&mut self) -> Option<Result<Step, Error>> {
        loop {
            if let Some(element) = self.elements.pop_front() {
                return Some(Ok(Step::Element(element)));
            }
            if self.array.is_none() {
                return self
                    .queued
                    .pop_front()
                    .map(|r| Ok(Step::Queued(Box::new(r))));
            }
            if let Err(e) = self.read_array() {
                return Some(Err(e));
            }
        }
    }

    /// Reads the rest of the input and queues the records of the whole of it.
    fn read_whole(&mut self) -> Result<(), Error> {
        // The blank lines read so far, as they were, keep the reading identical.
        let mut all = std::mem::take(&mut self.lead);
        all.extend_from_slice(&self.buffer);
        if self.broke {
            all.push(b'\n');
        }
        self.reader
            .read_to_end(&mut all)
            .map_err(|e| Error::read_failed(self.source.as_str(), e))?;
        self.queued = parse_items_bytes(&all, &self.source).into();
        Ok(())
    }
}

/// What the stream found next: a JSON Lines record's line (in `buffer`, its `\n` removed and
/// a leading byte-order mark still on line 1), or a record of an input read whole.
enum Step {
    Line,
    Element(Element),
    Queued(Box<Record>),
}

/// A batch entry: a record ready, or a JSON Lines line to parse (bytes, line, index).
enum Pending {
    Ready(Box<Record>),
    Element(Element),
    Line(Vec<u8>, usize, usize),
}

impl<R: BufRead> ItemStream<R> {
    fn step(&mut self) -> Option<Result<Step, Error>> {
        if self.lines == Some(false) {
            return self.array_step();
        }
        // An array is seen from the reader's buffer before any line is read: a minified
        // array is one line, which must not be read whole first.
        if self.lines.is_none() && self.line_no == 0 {
            match self.reader.fill_buf() {
                Err(e) => return Some(Err(Error::read_failed(self.source.as_str(), e))),
                Ok(buffer) if opens_array(buffer) => {
                    self.lines = Some(false);
                    self.start_array();
                    return self.array_step();
                }
                Ok(_) => {}
            }
        }
        loop {
            match self.next_line() {
                Err(e) => return Some(Err(e)),
                Ok(false) => return None,
                Ok(true) if blank(&self.buffer) => {
                    if self.lines.is_none() {
                        self.lead.extend_from_slice(&self.buffer);
                        self.lead.push(b'\n');
                    }
                    continue;
                }
                Ok(true) => {}
            }
            if self.lines.is_none() {
                let lines = is_json_lines(&self.buffer);
                self.lines = Some(lines);
                if opens_array(&self.buffer) {
                    self.start_array();
                    return self.array_step();
                }
                if !lines {
                    if let Err(e) = self.read_whole() {
                        return Some(Err(e));
                    }
                    return self
                        .queued
                        .pop_front()
                        .map(|r| Ok(Step::Queued(Box::new(r))));
                }
            }
            return Some(Ok(Step::Line));
        }
    }

    /// The line in `buffer` without the byte-order mark that can only open the input.
    fn line(&self) -> &[u8] {
        match self.line_no {
            1 => self
                .buffer
                .strip_prefix("\u{feff}".as_bytes())
                .unwrap_or(&self.buffer),
            _ => &self.buffer,
        }
    }

    /// Up to `max` records at once, their JSON parsed on up to `threads` threads: the records
    /// the iterator would give, in the same order. `None` at the end of the input.
    pub fn next_batch(
        &mut self,
        max: usize,
        threads: Threads,
    ) -> Option<Result<Vec<Record>, Error>> {
        // Lines are copied out and parsed together; queued records are ready already.
        let mut pending: Vec<Pending> = Vec::new();
        while pending.len() < max.max(1) {
            match self.step() {
                None => break,
                Some(Err(e)) => return Some(Err(e)),
                Some(Ok(Step::Queued(record))) => pending.push(Pending::Ready(record)),
                Some(Ok(Step::Element(element))) => pending.push(Pending::Element(element)),
                Some(Ok(Step::Line)) => {
                    pending.push(Pending::Line(
                        self.line().to_vec(),
                        self.line_no,
                        self.index,
                    ));
                    self.index += 1;
                }
            }
        }
        if pending.is_empty() {
            return None;
        }
        let source = self.source.as_str();
        let parsed = threads.map(&pending, |p| match p {
            Pending::Ready(_) => None,
            Pending::Element(element) => Some(element.record(source)),
            Pending::Line(line, line_no, index) => {
                Some(line_record(line, *line_no, *index, source))
            }
        });
        Some(Ok(pending
            .into_iter()
            .zip(parsed)
            .filter_map(|(p, parsed)| match p {
                Pending::Ready(record) => Some(*record),
                Pending::Element(_) | Pending::Line(..) => parsed,
            })
            .collect()))
    }
}

impl<R: BufRead> Iterator for ItemStream<R> {
    type Item = Result<Record, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.step()? {
            Err(e) => Some(Err(e)),
            Ok(Step::Queued(record)) => Some(Ok(*record)),
            Ok(Step::Element(element)) => Some(Ok(element.record(&self.source))),
            Ok(Step::Line) => {
                let record = line_record(self.line(), self.line_no, self.index, &self.source);
                self.index += 1;
                Some(Ok(record))
            }
        }
    }
}
