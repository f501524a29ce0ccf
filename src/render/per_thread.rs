//! State that rendering threads add to as they go: a part for each thread of the pool, so that no
//! thread waits for another in the loop over releases, merged once rendering is done.

use std::sync::{Mutex, MutexGuard};

/// One `T` per rayon thread, and one more for any thread outside the pool.
pub struct PerThread<T> {
    parts: Box<[Mutex<T>]>,
}

impl<T: Default> PerThread<T> {
    /// Parts for the threads of the pool the caller would render on.
    pub fn new() -> Self {
        PerThread {
            parts: (0..=rayon::current_num_threads())
                .map(|_| Mutex::default())
                .collect(),
        }
    }
}

impl<T> PerThread<T> {
    /// Runs `f` on the calling thread's part. Each part has a lock, but only its own thread
    /// takes it while rendering goes on, so the lock is never contended; a pool larger than
    /// the one the parts were made for shares them, which is slower but still correct.
    pub fn with<R>(&self, f: impl FnOnce(&mut T) -> R) -> R {
        let pool = self.parts.len() - 1;
        let part = rayon::current_thread_index().map_or(pool, |i| i % pool);
        f(&mut lock(&self.parts[part]))
    }

    /// Every part, for reading across threads once rendering is done.
    pub fn each(&self) -> impl Iterator<Item = MutexGuard<'_, T>> {
        self.parts.iter().map(lock)
    }

    pub fn into_parts(self) -> impl Iterator<Item = T> {
        self.parts
            .into_iter()
            .map(|part| part.into_inner().unwrap_or_else(|e| e.into_inner()))
    }
}

fn lock<T>(part: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic elsewhere leaves the data as consistent as any partial render; the panic itself
    // fails the build.
    part.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rayon::prelude::*;

    #[test]
    fn every_thread_adds_to_a_part_and_nothing_is_lost() {
        let counts: PerThread<Vec<usize>> = PerThread::new();
        (0..10_000)
            .into_par_iter()
            .for_each(|i| counts.with(|c| c.push(i)));
        counts.with(|c| c.push(10_000));
        let mut all: Vec<usize> = counts.into_parts().flatten().collect();
        all.sort_unstable();
        assert_eq!(all, (0..=10_000).collect::<Vec<_>>());
    }

    #[test]
    fn a_larger_pool_shares_the_parts() {
        let counts: PerThread<usize> = PerThread::new();
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(rayon::current_num_threads() * 2 + 3)
            .build()
            .unwrap();
        pool.install(|| {
            (0..1_000)
                .into_par_iter()
                .for_each(|_| counts.with(|c| *c += 1))
        });
        assert_eq!(counts.each().map(|c| *c).sum::<usize>(), 1_000);
    }
}
