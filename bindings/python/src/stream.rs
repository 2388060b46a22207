//! `Engine.iter_check`: verdicts for an iterable of items, pulled and checked a chunk at a
//! time, so a generator over a file of any size is checked in bounded memory.

use std::collections::VecDeque;
use std::sync::Arc;

use jianfu::Register;
use pyo3::prelude::*;
use pyo3::types::PyIterator;

use crate::engine::{CHUNK, check, item_arg};
use crate::verdict::Verdict;

/// An iterator of `Verdict`s, one per item of the source, in order. A bad item raises when
/// its turn comes, naming its index; the verdicts before it have been yielded.
#[pyclass(module = "jianfu._jianfu")]
pub struct VerdictIter {
    engine: Arc<jianfu::Engine>,
    source: Py<PyIterator>,
    as_of: chrono::NaiveDate,
    register: Option<Register>,
    ready: VecDeque<Verdict>,
    next_index: usize,
    done: bool,
    /// A bad item's error, raised once the verdicts before it are yielded.
    pending: Option<PyErr>,
}

impl VerdictIter {
    pub(crate) fn new(
        engine: Arc<jianfu::Engine>,
        source: Bound<'_, PyIterator>,
        as_of: chrono::NaiveDate,
        register: Option<Register>,
    ) -> Self {
        Self {
            engine,
            source: source.unbind(),
            as_of,
            register,
            ready: VecDeque::new(),
            next_index: 0,
            done: false,
            pending: None,
        }
    }

    /// Pulls and checks the next chunk of items.
    fn refill(&mut self, py: Python<'_>) -> PyResult<()> {
        let mut chunk = Vec::with_capacity(CHUNK);
        let source = self.source.bind(py);
        while chunk.len() < CHUNK {
            let Some(item) = source.clone().next() else {
                self.done = true;
                break;
            };
            let prefix = format!("[{}]", self.next_index);
            self.next_index += 1;
            match item.and_then(|item| item_arg(py, &item, &prefix)) {
                Ok(item) => chunk.push(item),
                Err(error) => {
                    self.pending = Some(error);
                    self.done = true;
                    break;
                }
            }
        }
        let (engine, as_of, register) = (&self.engine, self.as_of, self.register.as_ref());
        let verdicts: Vec<Verdict> = py.detach(|| {
            chunk
                .iter()
                .map(|item| Verdict::checked(engine, |e| check(e, item, as_of, register, |v| v)))
                .collect()
        });
        self.ready.extend(verdicts);
        py.check_signals()
    }
}

#[pymethods]
impl VerdictIter {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&mut self, py: Python<'_>) -> PyResult<Option<Verdict>> {
        if self.ready.is_empty() && !self.done {
            self.refill(py)?;
        }
        match (self.ready.pop_front(), self.pending.take()) {
            (Some(verdict), pending) => {
                self.pending = pending;
                Ok(Some(verdict))
            }
            (None, Some(error)) => Err(error),
            (None, None) => Ok(None),
        }
    }
}
