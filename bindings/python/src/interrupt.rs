//! Ctrl-C inside long calls: the core reads a draft through a reader, and this reader runs
//! Python's signal handlers (taking the GIL for a moment) each time another part is read.

use std::io::{BufRead, Read};

use pyo3::prelude::*;

/// Bytes read between two looks at Python's signals.
const EVERY: usize = 1 << 20;

/// A byte slice read through `BufRead` that stops with the pending `KeyboardInterrupt`.
pub struct Interruptible<'a> {
    bytes: &'a [u8],
    pos: usize,
    next_check: usize,
    /// The Python exception a signal handler raised, to re-raise once the core returns.
    pub raised: Option<PyErr>,
}

impl<'a> Interruptible<'a> {
    /// Reads `bytes`.
    pub fn new(bytes: &'a [u8]) -> Self {
        Self {
            bytes,
            pos: 0,
            next_check: EVERY,
            raised: None,
        }
    }
}

impl Read for Interruptible<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(buf.len());
        if let (Some(to), Some(from)) = (buf.get_mut(..n), available.get(..n)) {
            to.copy_from_slice(from);
        }
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for Interruptible<'_> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        if self.pos >= self.next_check {
            self.next_check = self.pos + EVERY;
            if let Err(e) = Python::attach(|py| py.check_signals()) {
                self.raised = Some(e);
                return Err(std::io::Error::other("interrupted"));
            }
        }
        Ok(self.bytes.get(self.pos..).unwrap_or_default())
    }

    fn consume(&mut self, amount: usize) {
        self.pos = (self.pos + amount).min(self.bytes.len());
    }
}
