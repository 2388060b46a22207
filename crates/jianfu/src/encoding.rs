//! Text as people have it (文本编码): UTF-8 with or without a byte-order mark, UTF-16 with one
//! (Excel's "Unicode text"), and GBK / GB18030 (what WPS, older Excel and many county systems
//! save), told apart by looking at the bytes. Everything inside jianfu is UTF-8; this is the
//! one place other encodings are turned into it, with encoding_rs (Firefox's decoders) doing the
//! decoding.
//!
//! A text that is valid UTF-8 is read as UTF-8. One that is not, but decodes as GB18030 without
//! a single malformed sequence, is read as GB18030 (GBK is its two-byte subset). Anything else
//! is an error naming the line and byte of the first sequence that is neither.

use std::io::{BufRead, Read};

use encoding_rs::{DecoderResult, Encoding as Decoding, GB18030, UTF_16BE, UTF_16LE};

use crate::error::Error;

/// How much of a stream is looked at to tell its encoding.
const SNIFF_BYTES: usize = 64 * 1024;

/// An encoding jianfu reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    /// UTF-8, with or without a byte-order mark.
    Utf8,
    /// UTF-16, little-endian, with a byte-order mark.
    Utf16Le,
    /// UTF-16, big-endian, with a byte-order mark.
    Utf16Be,
    /// GB18030, which includes GBK and GB2312.
    Gb18030,
}

impl TextEncoding {
    /// The encoding's usual name (`UTF-8`, `GB18030`).
    pub fn name(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Utf16Le => "UTF-16LE",
            TextEncoding::Utf16Be => "UTF-16BE",
            TextEncoding::Gb18030 => "GB18030",
        }
    }

    fn decoding(self) -> Option<&'static Decoding> {
        match self {
            TextEncoding::Utf8 => None,
            TextEncoding::Utf16Le => Some(UTF_16LE),
            TextEncoding::Utf16Be => Some(UTF_16BE),
            TextEncoding::Gb18030 => Some(GB18030),
        }
    }
}

/// The encoding of a text from its first bytes (`head`); `whole` says whether `head` is all of
/// it (otherwise a sequence cut at its end is not held against it). A byte-order mark decides;
/// then UTF-8 if the bytes are UTF-8, GB18030 if they decode as that, UTF-8 (and its error)
/// otherwise.
pub fn sniff(head: &[u8], whole: bool) -> TextEncoding {
    if head.starts_with(&[0xFF, 0xFE]) {
        return TextEncoding::Utf16Le;
    }
    if head.starts_with(&[0xFE, 0xFF]) {
        return TextEncoding::Utf16Be;
    }
    match std::str::from_utf8(head) {
        Ok(_) => return TextEncoding::Utf8,
        // A character cut by the end of a partial head.
        Err(e) if e.error_len().is_none() && !whole => return TextEncoding::Utf8,
        Err(_) => {}
    }
    // UTF-8 with a few bad bytes (one broken line in a JSON Lines file) stays UTF-8, so the bad
    // line alone is refused: GBK read as UTF-8 is mostly bad bytes with a few chance
    // characters, while GB18030 happily reads most UTF-8 as (wrong) characters.
    let (mut good, mut bad) = (0usize, 0usize);
    for chunk in head.utf8_chunks() {
        good += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        bad += usize::from(!chunk.invalid().is_empty());
    }
    if good > bad {
        return TextEncoding::Utf8;
    }
    let mut decoder = GB18030.new_decoder_without_bom_handling();
    match decode_all(&mut decoder, head, whole) {
        (DecoderResult::InputEmpty, _) => TextEncoding::Gb18030,
        // Neither reads cleanly: the one that reads further is the text's, so its error names
        // the place that is really broken.
        (DecoderResult::Malformed(bad, after), read)
            if read.saturating_sub(usize::from(bad) + usize::from(after))
                > head.utf8_chunks().next().map_or(0, |c| c.valid().len()) =>
        {
            TextEncoding::Gb18030
        }
        _ => TextEncoding::Utf8,
    }
}

/// A whole text's bytes as UTF-8 (without a byte-order mark), from any encoding [`sniff`] tells.
/// `source` names the text in the error.
pub fn decode(bytes: Vec<u8>, source: &str) -> crate::Result<String> {
    match sniff(&bytes, true) {
        TextEncoding::Utf8 => {
            let mut bytes = bytes;
            if bytes.starts_with(b"\xEF\xBB\xBF") {
                bytes.drain(..3);
            }
            String::from_utf8(bytes).map_err(|e| {
                let at = e.utf8_error().valid_up_to();
                not_text(source, e.as_bytes(), at)
            })
        }
        encoding => {
            let decoding = encoding.decoding().unwrap_or(GB18030);
            let (text, _, malformed) = decoding.decode(&bytes);
            if malformed {
                // Sniffing saw a clean head; the text goes bad further on.
                return Err(not_text(source, &bytes, first_malformed(decoding, &bytes)));
            }
            Ok(text.into_owned())
        }
    }
}

/// Decodes `bytes` in one go, without replacement: how it ended and how many bytes it read.
fn decode_all(
    decoder: &mut encoding_rs::Decoder,
    bytes: &[u8],
    last: bool,
) -> (DecoderResult, usize) {
    let room = decoder.max_utf8_buffer_length_without_replacement(bytes.len());
    let mut out = vec![0; room.unwrap_or(0)];
    let (result, read, _) = decoder.decode_to_utf8_without_replacement(bytes, &mut out, last);
    (result, read)
}

/// Where the first malformed sequence of `bytes` starts, in `decoding`.
fn first_malformed(decoding: &'static Decoding, bytes: &[u8]) -> usize {
    let mut decoder = decoding.new_decoder_with_bom_removal();
    match decode_all(&mut decoder, bytes, true) {
        (DecoderResult::Malformed(bad, after), read) => {
            read.saturating_sub(usize::from(bad) + usize::from(after))
        }
        _ => bytes.len(),
    }
}

/// A reader of `inner` that yields UTF-8 (without a byte-order mark) whatever encoding the
/// stream is in, told from its first 64 KiB. UTF-8 passes through untouched, so a bad byte
/// later on is still found, by line, by the reader that parses it.
pub fn reader<'a, R: BufRead + 'a>(
    mut inner: R,
    source: &str,
) -> crate::Result<Box<dyn BufRead + 'a>> {
    let mut head = Vec::with_capacity(SNIFF_BYTES);
    (&mut inner)
        .take(SNIFF_BYTES as u64)
        .read_to_end(&mut head)
        .map_err(|e| Error::read_failed(source, e))?;
    let whole = head.len() < SNIFF_BYTES;
    let encoding = sniff(&head, whole);
    let Some(decoding) = encoding.decoding() else {
        let bom = if head.starts_with(b"\xEF\xBB\xBF") {
            3
        } else {
            0
        };
        head.drain(..bom);
        return Ok(Box::new(std::io::Cursor::new(head).chain(inner)));
    };
    let head = std::io::Cursor::new(head);
    Ok(Box::new(std::io::BufReader::with_capacity(
        SNIFF_BYTES,
        Transcode {
            inner: head.chain(inner),
            decoder: decoding.new_decoder_with_bom_removal(),
            pending: Vec::new(),
            at: 0,
            done: false,
            encoding,
            spill: Vec::new(),
            finished: false,
            lines: 0,
        },
    )))
}

/// Decodes a stream into UTF-8 as it is read.
struct Transcode<R> {
    inner: R,
    decoder: encoding_rs::Decoder,
    /// Input read but not yet decoded.
    pending: Vec<u8>,
    /// How much of `pending` is decoded.
    at: usize,
    done: bool,
    encoding: TextEncoding,
    /// Decoded bytes a read too small for a whole character left over.
    spill: Vec<u8>,
    /// The end was decoded.
    finished: bool,
    /// Line breaks decoded so far, for the error.
    lines: usize,
}

impl<R: BufRead> Read for Transcode<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if !self.spill.is_empty() {
            let n = self.spill.len().min(out.len());
            for (o, b) in out.iter_mut().zip(self.spill.drain(..n)) {
                *o = b;
            }
            return Ok(n);
        }
        if self.finished {
            return Ok(0);
        }
        // encoding_rs writes whole characters only; four bytes is room for any.
        if out.len() < 4 {
            let mut one = [0u8; 4];
            let n = self.read(&mut one)?;
            self.spill
                .extend_from_slice(one.get(..n).unwrap_or_default());
            return self.read(out);
        }
        loop {
            if self.at == self.pending.len() && !self.done {
                self.pending.clear();
                self.at = 0;
                let buf = self.inner.fill_buf()?;
                self.pending.extend_from_slice(buf);
                let n = buf.len();
                self.inner.consume(n);
                self.done = n == 0;
            }
            let input = self.pending.get(self.at..).unwrap_or_default();
            let (result, read, written) = self
                .decoder
                .decode_to_utf8_without_replacement(input, out, self.done);
            self.at += read;
            let decoded = out.get(..written).unwrap_or_default();
            self.lines += decoded.iter().filter(|&&b| b == b'\n').count();
            match result {
                DecoderResult::Malformed(..) => {
                    let (line, name) = (self.lines + 1, self.encoding.name());
                    return Err(std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        format!(
                            "第 {line} 行不是有效的 {name} 文本，请另存为 UTF-8 \
                             / line {line} is not valid {name} text; save the file as UTF-8"
                        ),
                    ));
                }
                DecoderResult::OutputFull => return Ok(written),
                DecoderResult::InputEmpty if self.done => {
                    // The decoder has seen the end; it may not be called again.
                    self.finished = true;
                    return Ok(written);
                }
                DecoderResult::InputEmpty if written > 0 => return Ok(written),
                DecoderResult::InputEmpty => {}
            }
        }
    }
}

/// The error for a text that is neither UTF-8 nor GB18030, at byte `at` of `bytes`.
fn not_text(source: &str, bytes: &[u8], at: usize) -> Error {
    let before = bytes.get(..at).unwrap_or(bytes);
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let byte = at
        - before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |n| n + 1)
        + 1;
    Error::read_failed(
        source,
        format!(
            "第 {line} 行第 {byte} 字节起既不是 UTF-8 也不是 GBK/GB18030 编码，请另存为 UTF-8 \
             / line {line}, byte {byte}: neither UTF-8 nor GBK/GB18030; save the file as UTF-8"
        ),
    )
}

#[cfg(test)]
#[expect(clippy::unwrap_used, reason = "test harness")]
mod tests {
    use super::*;

    const TEXT: &str = "school_id,name\nS1,三门峡市实验小学\nS2,渑池县第一初级中学\n";

    fn gbk(text: &str) -> Vec<u8> {
        GB18030.encode(text).0.into_owned()
    }

    fn read_all(bytes: &[u8], chunk: usize) -> crate::Result<String> {
        // A reader that hands out `chunk` bytes at a time, to cut characters at every place.
        let inner = std::io::BufReader::with_capacity(chunk, bytes);
        let mut out = String::new();
        reader(inner, "t.csv")?
            .read_to_string(&mut out)
            .map_err(|e| Error::read_failed("t.csv", e))?;
        Ok(out)
    }

    #[test]
    fn utf8_with_or_without_a_bom_gbk_and_utf16_all_read_as_the_same_text() {
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(TEXT.as_bytes());
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend(TEXT.encode_utf16().flat_map(u16::to_le_bytes));
        for bytes in [TEXT.as_bytes().to_vec(), bom, gbk(TEXT), utf16] {
            assert_eq!(decode(bytes.clone(), "t.csv").unwrap(), TEXT);
            for chunk in [1, 2, 3, 7, 64] {
                assert_eq!(read_all(&bytes, chunk).unwrap(), TEXT, "chunk {chunk}");
            }
        }
        assert_eq!(sniff(&gbk(TEXT), true), TextEncoding::Gb18030);
        assert_eq!(sniff(TEXT.as_bytes(), true), TextEncoding::Utf8);
        // One broken line in UTF-8 text does not make the text GBK.
        let mut broken = TEXT.as_bytes().to_vec();
        broken.extend_from_slice(b"S3,\xE4\xB8\n");
        assert_eq!(sniff(&broken, true), TextEncoding::Utf8);
    }

    #[test]
    fn a_text_that_is_neither_names_the_line_and_byte() {
        let mut bytes = gbk("a,b\n甲,乙\n");
        bytes.extend_from_slice(&[0x81, 0x20, b'\n']); // a lead byte GB18030 cannot end like this
        let err = decode(bytes, "t.csv").unwrap_err();
        assert_eq!(err.code(), "io");
        assert!(err.to_string().contains("t.csv"), "{err}");
        let mut bytes = b"a,b\nok,".to_vec();
        bytes.extend_from_slice(&[0xFF, 0x00, b'\n']);
        let err = decode(bytes, "t.csv").unwrap_err().to_string();
        assert!(err.contains("line 2, byte 4"), "{err}");
    }

    #[test]
    fn a_stream_that_goes_bad_after_its_head_is_an_error_not_a_replacement() {
        let mut bytes = gbk(&"甲乙丙,".repeat(SNIFF_BYTES / 6));
        bytes.extend_from_slice(&[0x81, 0x20]);
        assert!(read_all(&bytes, 4096).is_err());
    }
}
