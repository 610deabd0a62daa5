//! A pace learned from `429`s, for when nobody told the client the limit: the calls that
//! succeeded between two congestion events (at least a second apart; for the first, since
//! the first call, counted over one to ten seconds) give the rate the server sustains; the
//! client then paces itself 10% under it, and creeps back up (1% a second) while no `429`
//! comes (additive increase, multiplicative decrease), so a bulk job runs at the server's
//! rate instead of bursting into the limit once a second.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use super::RateLimit;

/// Congestion events closer together than this are one event.
const SPACING: Duration = Duration::from_secs(1);
/// The pace after a cut, as a share of the rate measured.
const DECREASE: f64 = 0.9;
/// The pace never goes below this (requests a second).
const MIN_RATE: f64 = 0.1;
/// The first event counts the successes since the first call over at most this long (a
/// client that idled before its burst would otherwise learn too slow a pace).
const FIRST_WINDOW: Duration = Duration::from_secs(10);

#[derive(Debug, Default)]
pub(super) struct Learned {
    /// Whether a pace was learned (read on every call, to skip the rest when not).
    active: AtomicBool,
    /// Attempts admitted so far.
    admitted: AtomicU64,
    /// When the first was.
    first: OnceLock<Instant>,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    /// Requests a second, once learned.
    rate: Option<f64>,
    /// The next slot of the pace.
    next: Option<Instant>,
    /// The last congestion event, and the successes counted then.
    cut: Option<(Instant, u64)>,
    /// When the pace last rose.
    raised: Option<Instant>,
}

impl Learned {
    pub(super) fn is_active(&self) -> bool {
        self.active.load(Ordering::Relaxed)
    }

    /// One more attempt admitted.
    pub(super) fn count(&self) {
        if self.admitted.fetch_add(1, Ordering::Relaxed) == 0 {
            let _ = self.first.set(super::now());
        }
    }

    /// A `429` at `now`, with `limited` of them so far on this credential.
    pub(super) fn cut(&self, now: Instant, limited: u64) {
        let successes = self
            .admitted
            .load(Ordering::Relaxed)
            .saturating_sub(limited);
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let (since, before) = match state.cut {
            None => {
                let first = self.first.get().copied().unwrap_or(now);
                let since = now
                    .saturating_duration_since(first)
                    .clamp(SPACING, FIRST_WINDOW);
                (since, 0)
            }
            Some((at, before)) if now.saturating_duration_since(at) >= SPACING => {
                (now.saturating_duration_since(at), before)
            }
            // The same congestion event.
            Some(_) => return,
        };
        state.cut = Some((now, successes));
        let succeeded = successes.saturating_sub(before);
        if succeeded == 0 {
            // Nothing got through: no measure of the rate (the gate holds the calls).
            return;
        }
        let measured = succeeded as f64 / since.as_secs_f64();
        state.rate = Some((measured * DECREASE).max(MIN_RATE));
        state.raised = Some(now);
        self.active.store(true, Ordering::Relaxed);
    }

    /// The slot for one more request from `earliest` on, when the pace asks to wait.
    pub(super) fn slot(&self, earliest: Instant) -> Option<Instant> {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let mut rate = state.rate?;
        // Additive increase: 1% (and 0.1 a second) for each second without a cut.
        if let Some(raised) = state.raised {
            let quiet = earliest.saturating_duration_since(raised).as_secs();
            if quiet >= 1 {
                rate += rate.mul_add(0.01, 0.1) * quiet as f64;
                state.rate = Some(rate);
                state.raised = Some(earliest);
            }
        }
        let interval = Duration::try_from_secs_f64(1.0 / rate).unwrap_or(Duration::ZERO);
        let next = state.next.get_or_insert(earliest);
        super::take_slot(next, earliest, interval, Duration::ZERO)
    }

    /// The learned pace, as requests a minute.
    pub(super) fn pace(&self) -> Option<RateLimit> {
        let state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.rate.map(|rate| {
            RateLimit::per_minute((rate * 60.0).round().clamp(1.0, f64::from(u32::MAX)) as u32)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pace_is_what_succeeded_between_two_429s_and_then_creeps_up() {
        let learned = Learned::default();
        let start = learned_start(&learned);
        for _ in 1..60 {
            learned.count();
        }
        // The first 429 half a second after the first call: 50 successes, over 1 s at least.
        learned.cut(start + Duration::from_millis(500), 10);
        assert!(learned.is_active());
        assert_eq!(
            learned.pace(),
            Some(RateLimit::per_minute(2700)),
            "0.9 x 50 a second"
        );
        for _ in 0..50 {
            learned.count();
        }
        // Two seconds later, 49 more successes (50 admitted, one more 429): 24.5 a second.
        let at = start + Duration::from_millis(2500);
        learned.cut(at, 11);
        assert_eq!(
            learned.pace(),
            Some(RateLimit::per_minute(1323)),
            "0.9 x 24.5 a second"
        );
        assert_eq!(learned.slot(at), None, "the first request goes");
        let second = learned.slot(at).unwrap();
        assert!(second > at && second < at + Duration::from_millis(50));
        // A quiet second raises it by 0.1 + 1%.
        let _ = learned.slot(at + Duration::from_secs(1));
        let raised = learned.pace().unwrap();
        assert_eq!(raised, RateLimit::per_minute(1342), "22.05 + 0.1 + 1%");
        // A 429 within a second of the last is the same event.
        learned.cut(at + Duration::from_millis(500), 12);
        assert_eq!(learned.pace().unwrap(), raised);
    }

    #[test]
    fn a_client_that_idled_before_its_burst_counts_ten_seconds_at_most() {
        let learned = Learned::default();
        let start = learned_start(&learned);
        for _ in 1..100 {
            learned.count();
        }
        learned.cut(start + Duration::from_secs(3600), 0);
        assert_eq!(
            learned.pace(),
            Some(RateLimit::per_minute(540)),
            "0.9 x 100 / 10 s"
        );
    }

    #[test]
    fn a_429_before_any_success_teaches_nothing() {
        let learned = Learned::default();
        let start = learned_start(&learned);
        learned.cut(start, 1);
        assert!(!learned.is_active());
        assert_eq!(learned.pace(), None);
    }

    /// Counts the first call and returns when it was.
    fn learned_start(learned: &Learned) -> Instant {
        learned.count();
        *learned.first.get().unwrap()
    }
}
