//! Progress on the terminal for long runs (进度): items checked, or bytes of a draft or events
//! table read. Drawn on stderr only when stderr is a terminal and `--quiet` is not given, so
//! pipes, files and scripts see exactly the output they saw before.

use std::io::{BufRead, IsTerminal};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A progress display, or nothing.
pub struct Progress(Option<ProgressBar>);

impl Progress {
    /// A bar that is drawn only for a person at a terminal.
    fn new(quiet: bool, bar: impl FnOnce() -> ProgressBar) -> Self {
        if quiet || !std::io::stderr().is_terminal() {
            return Progress(None);
        }
        let bar = bar();
        bar.set_draw_target(ProgressDrawTarget::stderr_with_hz(4));
        Progress(Some(bar))
    }

    /// Counts items as they are checked.
    pub fn items(quiet: bool) -> Self {
        Progress::new(quiet, || {
            let bar = ProgressBar::no_length();
            if let Ok(style) = ProgressStyle::with_template(
                "{spinner} 已核查 {human_pos} 项 items checked ({elapsed})",
            ) {
                bar.set_style(style);
            }
            bar
        })
    }

    /// Counts drafts as they are reviewed, of `total`.
    pub fn drafts(quiet: bool, total: usize) -> Self {
        Progress::new(quiet, || {
            let bar = ProgressBar::new(u64::try_from(total).unwrap_or(u64::MAX));
            if let Ok(style) = ProgressStyle::with_template(
                "审核文稿 reviewing drafts [{bar:30}] {pos}/{len} ({elapsed}, 约 eta {eta})",
            ) {
                bar.set_style(style.progress_chars("=> "));
            }
            bar
        })
    }

    /// Counts the bytes of a file as they are read; `len` is its size when known.
    pub fn bytes(quiet: bool, what: &'static str, len: Option<u64>) -> Self {
        Progress::new(quiet, || {
            let bar = len.map_or_else(ProgressBar::no_length, ProgressBar::new);
            let template = match len {
                Some(_) => "{msg} [{bar:30}] {bytes}/{total_bytes} ({bytes_per_sec}, 约 eta {eta})",
                None => "{spinner} {msg} {bytes} ({bytes_per_sec})",
            };
            if let Ok(style) = ProgressStyle::with_template(template) {
                bar.set_style(style.progress_chars("=> "));
            }
            bar.set_message(what);
            bar
        })
    }

    /// Adds `n` to the count.
    pub fn inc(&self, n: usize) {
        if let Some(bar) = &self.0 {
            bar.inc(u64::try_from(n).unwrap_or(u64::MAX));
        }
    }

    /// `reader`, counting what is read through it.
    pub fn wrap<'a>(&self, reader: Box<dyn BufRead + 'a>) -> Box<dyn BufRead + 'a> {
        match &self.0 {
            Some(bar) => Box::new(bar.wrap_read(reader)),
            None => reader,
        }
    }

    /// Clears the display, leaving the terminal as it was.
    pub fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}

/// The size of a file, for a bar's length (`-` has none).
pub fn file_len(path: &std::path::Path) -> Option<u64> {
    (path != std::path::Path::new("-"))
        .then(|| std::fs::metadata(path).ok().map(|m| m.len()))
        .flatten()
}
