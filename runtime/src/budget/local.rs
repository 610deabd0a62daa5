//! The in-process budget: a gate closed until the latest `Retry-After`, an optional pace
//! (the generic cell rate algorithm: each request takes the next slot of the rate, up to a
//! burst ahead), the pace learned from `429`s (`learned.rs`) and the opening wave's hold
//! (`opening.rs`).

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use super::learned::Learned;
use super::opening::Opening;
use super::{BudgetState, RateBudget, RateLimit};

/// The in-process [`RateBudget`], one per credential of a client: what a `429` taught one
/// call holds for every call on the credential, a pace learned from the `429`s keeps them
/// at the server's rate, and an optional [`RateLimit`] paces them from the start.
#[derive(Debug)]
pub struct LocalBudget {
    /// Instants are kept as nanoseconds after this one.
    epoch: Instant,
    /// Calls wait until this many nanoseconds after `epoch`; 0 when no `429` came (so the
    /// common case reads no clock).
    blocked_until: AtomicU64,
    limited: AtomicU64,
    pace: Option<Pace>,
    learned: Learned,
    opening: Opening,
    delays: Mutex<(u64, Duration)>,
}

#[derive(Debug)]
struct Pace {
    limit: RateLimit,
    interval: Duration,
    /// How far ahead of now the next slot may be and still be sent at once (the burst).
    tolerance: Duration,
    /// The theoretical time of the next request.
    next: Mutex<Instant>,
}

impl Default for LocalBudget {
    fn default() -> Self {
        LocalBudget::new(None)
    }
}

impl LocalBudget {
    /// A budget with the given pace, or none.
    pub fn new(pace: Option<RateLimit>) -> Self {
        let epoch = super::now();
        LocalBudget {
            epoch,
            blocked_until: AtomicU64::new(0),
            limited: AtomicU64::new(0),
            pace: pace.filter(|p| !p.interval().is_zero()).map(|limit| {
                let interval = limit.interval();
                Pace {
                    limit,
                    interval,
                    tolerance: interval.saturating_mul(limit.burst_size() - 1),
                    next: Mutex::new(epoch),
                }
            }),
            learned: Learned::default(),
            opening: Opening::default(),
            delays: Mutex::new((0, Duration::ZERO)),
        }
    }

    /// `at` as nanoseconds after the epoch, at least 1 (0 means "open"), saturating.
    fn nanos(&self, at: Instant) -> u64 {
        let nanos = at.saturating_duration_since(self.epoch).as_nanos();
        u64::try_from(nanos).unwrap_or(u64::MAX).max(1)
    }

    fn instant(&self, nanos: u64) -> Instant {
        self.epoch
            .checked_add(Duration::from_nanos(nanos))
            .unwrap_or(self.epoch)
    }

    /// The gate's end, when a `429` closed it and it is still ahead of `now`.
    fn gate(&self, now: Instant) -> Option<Instant> {
        match self.blocked_until.load(Ordering::Acquire) {
            0 => None,
            nanos => Some(self.instant(nanos)).filter(|until| *until > now),
        }
    }

    /// The pace's slot for one more request, from `earliest` on.
    fn slot(pace: &Pace, earliest: Instant) -> Option<Instant> {
        let mut next = pace.next.lock().unwrap_or_else(|e| e.into_inner());
        super::take_slot(&mut next, earliest, pace.interval, pace.tolerance)
    }

    fn count_delay(&self, until: Instant, now: Instant) {
        let mut delays = self.delays.lock().unwrap_or_else(|e| e.into_inner());
        delays.0 = delays.0.saturating_add(1);
        delays.1 = delays
            .1
            .saturating_add(until.saturating_duration_since(now));
    }
}

impl RateBudget for LocalBudget {
    fn admit(&self) -> Option<Instant> {
        let opening = if self.opening.is_over() {
            None
        } else {
            self.opening.admit(super::now())
        };
        if opening.is_none()
            && self.pace.is_none()
            && self.blocked_until.load(Ordering::Relaxed) == 0
            && !self.learned.is_active()
        {
            return None;
        }
        let now = super::now();
        if self.learned.is_pending() {
            self.learned.settle_first(now, self.learned.answered());
        }
        let gate = self.gate(now);
        // A request held by the gate takes the paces' first slots after it.
        let earliest = gate.unwrap_or(now);
        let paced = self
            .pace
            .as_ref()
            .and_then(|pace| Self::slot(pace, earliest));
        let learned = if self.learned.is_active() {
            self.learned.slot(earliest)
        } else {
            None
        };
        let at = [gate, paced, learned, opening].into_iter().flatten().max();
        if let Some(at) = at {
            self.count_delay(at, now);
        }
        at
    }

    fn answered(&self) {
        self.learned.count();
        if !self.opening.is_over() {
            self.opening.answer(super::now());
        }
    }

    fn limited(&self, until: Instant) {
        self.limited.fetch_add(1, Ordering::Relaxed);
        if !self.opening.is_over() {
            self.opening.answer(super::now());
        }
        self.learned.cut(super::now(), until);
        self.blocked_until
            .fetch_max(self.nanos(until), Ordering::AcqRel);
    }

    fn state(&self) -> BudgetState {
        let (delayed, delay) = *self.delays.lock().unwrap_or_else(|e| e.into_inner());
        BudgetState {
            blocked_until: self.gate(super::now()),
            limited: self.limited.load(Ordering::Relaxed),
            delayed,
            delay,
            pace: self.pace.as_ref().map(|p| p.limit),
            learned: self.learned.pace(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_a_429_or_a_pace_nothing_waits() {
        let budget = LocalBudget::default();
        assert_eq!(budget.admit(), None);
        assert_eq!(budget.state(), BudgetState::default());
    }

    #[test]
    fn a_429_holds_every_call_until_the_latest_end_asked() {
        let budget = LocalBudget::default();
        let later = Instant::now() + Duration::from_secs(30);
        budget.limited(later);
        budget.limited(later - Duration::from_secs(20));
        assert_eq!(budget.admit(), Some(later));
        assert_eq!(budget.admit(), Some(later));
        let state = budget.state();
        assert_eq!((state.limited, state.delayed), (2, 2));
        assert_eq!(state.blocked_until, Some(later));
        budget.limited(Instant::now() - Duration::from_secs(1));
        assert_eq!(
            budget.admit(),
            Some(later),
            "an earlier end does not reopen it"
        );
    }

    #[test]
    fn a_pace_spaces_requests_after_the_burst() {
        let budget = LocalBudget::new(Some(RateLimit::per_second(10).burst(3)));
        let start = Instant::now();
        let waits: Vec<Option<Duration>> = (0..6)
            .map(|_| budget.admit().map(|at| at.saturating_duration_since(start)))
            .collect();
        assert_eq!(&waits[..3], &[None, None, None], "the burst goes at once");
        for (n, wait) in waits[3..].iter().enumerate() {
            let wait = wait.expect("paced");
            let expected = Duration::from_millis(100 * (n as u64 + 1));
            assert!(
                wait >= expected && wait < expected + Duration::from_millis(50),
                "request {}: {wait:?}, expected about {expected:?}",
                n + 3
            );
        }
    }

    #[test]
    fn no_limit_or_instant_makes_the_budget_panic() {
        for limit in [
            RateLimit::new(0, Duration::ZERO),
            RateLimit::new(u32::MAX, Duration::from_nanos(1)),
            RateLimit::new(1, Duration::MAX).burst(u32::MAX),
            RateLimit::per_minute(300).burst(u32::MAX),
        ] {
            let budget = LocalBudget::new(Some(limit));
            for _ in 0..4 {
                let _ = budget.admit();
            }
            budget.limited(Instant::now() + Duration::from_secs(100 * 365 * 86_400));
            let _ = budget.admit();
            let _ = budget.state();
        }
    }
}
