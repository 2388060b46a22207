//! Threads (线程): batch work spread over a thread pool, with results in input order, so the
//! output is the same, byte for byte, on one thread or many.
//!
//! The pool is rayon's (the `parallel` feature, on by default). Without the feature, and on
//! WebAssembly, every call runs on the calling thread.

/// How many threads a batch call may use. `Threads::ALL` (the default) is every core.
///
/// ```
/// use jianfu::Threads;
/// assert_eq!(Threads::new(1).count(), 1);
/// assert!(Threads::ALL.count() >= 1);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Threads(usize);

impl Threads {
    /// Every core the machine offers.
    pub const ALL: Threads = Threads(0);
    /// The calling thread only.
    pub const ONE: Threads = Threads(1);

    /// `n` threads; 0 means every core.
    pub fn new(n: usize) -> Threads {
        Threads(n)
    }

    /// The number of threads calls will use (at least 1).
    pub fn count(self) -> usize {
        if !cfg!(feature = "parallel") || cfg!(target_arch = "wasm32") {
            return 1;
        }
        // Asked of the system once: on Linux it reads the cgroup's CPU quota from files,
        // tens of microseconds that a short review or check would pay on every call.
        static CORES: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
        match self.0 {
            0 => *CORES.get_or_init(|| {
                std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
            }),
            n => n,
        }
    }

    /// `f` of every input, in input order, computed on up to [`Threads::count`] threads.
    pub fn map<T: Sync, O: Send>(self, inputs: &[T], f: impl Fn(&T) -> O + Sync + Send) -> Vec<O> {
        if self.count() == 1 || inputs.len() < 2 {
            return inputs.iter().map(f).collect();
        }
        pool::map(self.count(), inputs, f)
    }
}

#[cfg(all(feature = "parallel", not(target_arch = "wasm32")))]
mod pool {
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex, OnceLock};

    use rayon::prelude::*;

    /// One pool per thread count, built on first use and kept: building one starts threads.
    fn pool(threads: usize) -> Option<Arc<rayon::ThreadPool>> {
        static POOLS: OnceLock<Mutex<HashMap<usize, Arc<rayon::ThreadPool>>>> = OnceLock::new();
        let mut pools = POOLS.get_or_init(Mutex::default).lock().ok()?;
        if let Some(pool) = pools.get(&threads) {
            return Some(Arc::clone(pool));
        }
        let pool = Arc::new(
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .thread_name(|i| format!("jianfu-{i}"))
                .build()
                .ok()?,
        );
        pools.insert(threads, Arc::clone(&pool));
        Some(pool)
    }

    pub(super) fn map<T: Sync, O: Send>(
        threads: usize,
        inputs: &[T],
        f: impl Fn(&T) -> O + Sync + Send,
    ) -> Vec<O> {
        match pool(threads) {
            Some(pool) => pool.install(|| inputs.par_iter().map(f).collect()),
            // A pool that cannot start (no threads allowed here) leaves the work to this one.
            None => inputs.iter().map(f).collect(),
        }
    }
}

#[cfg(not(all(feature = "parallel", not(target_arch = "wasm32"))))]
mod pool {
    pub(super) fn map<T: Sync, O: Send>(
        _threads: usize,
        inputs: &[T],
        f: impl Fn(&T) -> O + Sync + Send,
    ) -> Vec<O> {
        inputs.iter().map(f).collect()
    }
}

/// Rows a thread's share of a table needs before a table is split at all: below it, the
/// per-share set-up (accumulators, interners) costs more than the second thread gains.
pub(crate) const ROWS_PER_SHARE_MIN: usize = 65_536;

/// `0..len` cut into at most `parts` contiguous ranges of at least `min` rows each.
pub(crate) fn ranges(len: usize, parts: usize, min: usize) -> Vec<std::ops::Range<usize>> {
    let parts = parts.min(len / min.max(1)).max(1);
    let step = len.div_ceil(parts).max(1);
    (0..parts)
        .map(|p| (p * step).min(len)..((p + 1) * step).min(len))
        .filter(|r| !r.is_empty() || len == 0)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn map_keeps_input_order_on_any_number_of_threads() {
        let inputs: Vec<u64> = (0..10_000).collect();
        let one = Threads::ONE.map(&inputs, |x| x * x);
        for n in [2, 3, 8] {
            assert_eq!(Threads::new(n).map(&inputs, |x| x * x), one);
        }
    }

    #[test]
    fn ranges_cover_every_row_once() {
        for (len, parts, min) in [(0, 4, 10), (5, 4, 10), (100, 3, 10), (101, 4, 1), (7, 7, 1)] {
            let r = ranges(len, parts, min);
            let rows: Vec<usize> = r.iter().flat_map(Clone::clone).collect();
            assert_eq!(rows, (0..len).collect::<Vec<_>>(), "{len} {parts} {min}");
            assert!(r.len() <= parts.max(1));
        }
    }
}
