//! A pace learned from `429`s, for when nobody told the client the limit: the answers
//! (other than `429`) between two congestion events (at least a second apart) give the rate
//! the server sustains: a token bucket is empty at both events, so that count is its rate.
//! The first event counts the answers since the first one (over one to ten seconds), and is
//! measured when its hold ends, so that the answers still on their way when the first `429`
//! came are counted (nothing is sent during the hold). The client
//! then paces itself 10% under it, rises back to it within five seconds (2% of it a second),
//! and then probes above it slowly (0.5% a second) while no `429` comes, so a bulk job runs
//! at the server's rate instead of bursting into the limit once a second.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use super::RateLimit;

/// Congestion events closer together than this are one event.
const SPACING: Duration = Duration::from_secs(1);
/// The pace after a cut, as a share of the rate measured.
const DECREASE: f64 = 0.9;
/// Each quiet second under the rate measured, the pace rises by this share of it.
const RECOVER: f64 = 0.02;
/// Each quiet second at or over the rate measured, the pace rises by this share of itself.
const PROBE: f64 = 0.005;
/// The pace never goes below this (requests a second).
const MIN_RATE: f64 = 0.1;
/// The first event counts the answers since the first one over at most this long (a
/// client that idled before its burst would otherwise learn too slow a pace).
const FIRST_WINDOW: Duration = Duration::from_secs(10);

#[derive(Debug, Default)]
pub(super) struct Learned {
    /// Whether a pace was learned (read on every call, to skip the rest when not).
    active: AtomicBool,
    /// Whether the first event's measure waits for the answers still on their way.
    pending: AtomicBool,
    /// Answers other than `429` so far.
    answered: AtomicU64,
    /// When the first was.
    first: OnceLock<Instant>,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    /// Requests a second, once learned.
    rate: Option<f64>,
    /// The rate measured at the last cut.
    measured: f64,
    /// The next slot of the pace.
    next: Option<Instant>,
    /// The last congestion event, and the answers counted then.
    cut: Option<(Instant, u64)>,
    /// The first event, measured once its hold has passed.
    first_cut: Option<FirstCut>,
    /// When the pace last rose.
    raised: Option<Instant>,
}

#[derive(Debug)]
struct FirstCut {
    /// From the first answer to the event, one to ten seconds.
    window: Duration,
    /// The end of its hold.
    until: Instant,
}

impl Learned {
    pub(super) fn is_active(&self) -> bool {
        self.active.load(Ordering::Relaxed)
    }

    /// One more answer other than `429`.
    pub(super) fn count(&self) {
        let before = self.answered.fetch_add(1, Ordering::Relaxed);
        if before == 0 {
            let _ = self.first.set(super::now());
        }
        if self.is_pending() {
            self.settle_first(super::now(), before);
        }
    }

    /// The answers so far.
    pub(super) fn answered(&self) -> u64 {
        self.answered.load(Ordering::Relaxed)
    }

    /// Whether the first event waits to be measured.
    pub(super) fn is_pending(&self) -> bool {
        self.pending.load(Ordering::Relaxed)
    }

    /// The first event's measure, at the first answer or attempt after its hold, with the
    /// `answered` before it: all to requests sent before the event (nothing is sent during
    /// the hold), the late ones of the burst that found the limit included, which the event
    /// itself, coming before them, could not count. The next window starts here.
    pub(super) fn settle_first(&self, now: Instant, answered: u64) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let window = match &state.first_cut {
            Some(first) if now >= first.until => first.window,
            _ => return,
        };
        state.first_cut = None;
        self.pending.store(false, Ordering::Relaxed);
        state.cut = Some((now, answered));
        state.learn(answered, window, now);
        self.active.store(state.rate.is_some(), Ordering::Relaxed);
    }

    /// A `429` at `now`, holding the credential until `until`.
    pub(super) fn cut(&self, now: Instant, until: Instant) {
        let answered = self.answered.load(Ordering::Relaxed);
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        match state.cut {
            None => {
                // Measured once the hold has passed (`settle_first`).
                let first = self.first.get().copied().unwrap_or(now);
                let window = now
                    .saturating_duration_since(first)
                    .clamp(SPACING, FIRST_WINDOW);
                state.cut = Some((now, answered));
                state.first_cut = Some(FirstCut { window, until });
                self.pending.store(true, Ordering::Relaxed);
            }
            Some((at, before)) if now.saturating_duration_since(at) >= SPACING => {
                state.cut = Some((now, answered));
                if state.first_cut.take().is_some() {
                    // A second event before the first was measured: measure from here on.
                    self.pending.store(false, Ordering::Relaxed);
                    return;
                }
                let succeeded = answered.saturating_sub(before);
                if succeeded > 0 {
                    state.learn(succeeded, now.saturating_duration_since(at), now);
                    self.active.store(true, Ordering::Relaxed);
                }
            }
            // The same congestion event.
            Some(_) => {}
        }
    }

    /// The slot for one more request from `earliest` on, when the pace asks to wait.
    pub(super) fn slot(&self, earliest: Instant) -> Option<Instant> {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let mut rate = state.rate?;
        // Additive increase for each whole second without a cut: back to the rate measured,
        // then slowly past it.
        if let Some(raised) = state.raised {
            let quiet = earliest.saturating_duration_since(raised).as_secs();
            for _ in 0..quiet.min(3600) {
                // (Under it by more than rounding: sums of steps land a hair short.)
                rate = if rate < state.measured * (1.0 - 1e-9) {
                    state.measured.mul_add(RECOVER, rate).min(state.measured)
                } else {
                    rate * (1.0 + PROBE)
                };
            }
            if quiet >= 1 {
                state.rate = Some(rate);
                state.raised = raised.checked_add(Duration::from_secs(quiet));
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

impl State {
    /// `succeeded` answers over `window`: the server's rate; the pace goes 10% under it.
    fn learn(&mut self, succeeded: u64, window: Duration, now: Instant) {
        if succeeded == 0 {
            // Nothing got through: no measure of the rate (the gate holds the calls).
            return;
        }
        let measured = succeeded as f64 / window.as_secs_f64().max(f64::MIN_POSITIVE);
        self.measured = measured;
        self.rate = Some((measured * DECREASE).max(MIN_RATE));
        self.raised = Some(now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pace_is_what_was_answered_between_two_429s_and_then_rises() {
        let learned = Learned::default();
        let start = learned_start(&learned);
        for _ in 1..20 {
            learned.count();
        }
        // The first 429 half a second after the first answer, holding for a second: it is
        // measured when the first answer after the hold comes, with the answers that came
        // late (30 more) counted.
        let first = start + Duration::from_millis(500);
        learned.cut(first, first + Duration::from_secs(1));
        assert!(!learned.is_active(), "not measured yet");
        for _ in 0..30 {
            learned.count();
        }
        learned.settle_first(first + Duration::from_millis(900), learned.answered());
        assert!(!learned.is_active(), "still held");
        learned.settle_first(first + Duration::from_secs(1), learned.answered());
        assert!(learned.is_active());
        assert_eq!(
            learned.pace(),
            Some(RateLimit::per_minute(2700)),
            "0.9 x 50 over 1 s at least"
        );
        // A 429 just after the hold (its burst): the same event, not a second of few answers.
        let settled = first + Duration::from_secs(1);
        for _ in 0..20 {
            learned.count();
        }
        learned.cut(
            settled + Duration::from_millis(20),
            settled + Duration::from_secs(1),
        );
        assert_eq!(learned.pace(), Some(RateLimit::per_minute(2700)));
        for _ in 0..29 {
            learned.count();
        }
        // Two seconds after the measure, 49 more answers: 24.5 a second.
        let at = settled + Duration::from_secs(2);
        learned.cut(at, at + Duration::from_secs(1));
        assert_eq!(
            learned.pace(),
            Some(RateLimit::per_minute(1323)),
            "0.9 x 24.5 a second"
        );
        assert_eq!(learned.slot(at), None, "the first request goes");
        let second = learned.slot(at).unwrap();
        assert!(second > at && second < at + Duration::from_millis(50));
        // A quiet second raises it by 2% of the rate measured.
        let _ = learned.slot(at + Duration::from_secs(1));
        let raised = learned.pace().unwrap();
        assert_eq!(raised, RateLimit::per_minute(1352), "22.05 + 0.49");
        // A 429 within a second of the last is the same event.
        learned.cut(at + Duration::from_millis(500), at + Duration::from_secs(2));
        assert_eq!(learned.pace().unwrap(), raised);
        // Four more seconds: back at the rate measured; then 0.5% a second over it.
        let _ = learned.slot(at + Duration::from_millis(5_500));
        assert_eq!(learned.pace().unwrap(), RateLimit::per_minute(1470), "24.5");
        let _ = learned.slot(at + Duration::from_millis(7_500));
        assert_eq!(
            learned.pace().unwrap(),
            RateLimit::per_minute(1485),
            "24.5 x 1.005^2"
        );
    }

    #[test]
    fn a_client_that_idled_before_its_burst_counts_ten_seconds_at_most() {
        let learned = Learned::default();
        let start = learned_start(&learned);
        for _ in 1..100 {
            learned.count();
        }
        let at = start + Duration::from_secs(3600);
        learned.cut(at, at + Duration::from_secs(1));
        learned.settle_first(at + Duration::from_secs(1), learned.answered());
        assert_eq!(
            learned.pace(),
            Some(RateLimit::per_minute(540)),
            "0.9 x 100 / 10 s"
        );
    }

    #[test]
    fn a_second_429_before_the_first_is_measured_starts_the_measure_over() {
        let learned = Learned::default();
        let start = learned_start(&learned);
        learned.cut(start, start + Duration::from_secs(5));
        let second = start + Duration::from_secs(2);
        learned.cut(second, second + Duration::from_secs(1));
        assert!(!learned.is_active());
        learned.settle_first(start + Duration::from_secs(9), learned.answered());
        assert!(!learned.is_active(), "no longer pending");
        for _ in 0..20 {
            learned.count();
        }
        let third = second + Duration::from_secs(2);
        learned.cut(third, third + Duration::from_secs(1));
        assert_eq!(
            learned.pace(),
            Some(RateLimit::per_minute(540)),
            "0.9 x 20 / 2 s"
        );
    }

    #[test]
    fn a_429_before_any_answer_teaches_nothing() {
        let learned = Learned::default();
        let now = super::super::now();
        learned.cut(now, now);
        learned.settle_first(now, 0);
        assert!(!learned.is_active());
        assert_eq!(learned.pace(), None);
    }

    #[test]
    fn a_long_quiet_spell_does_not_overflow() {
        let learned = Learned::default();
        let start = learned_start(&learned);
        let at = start + Duration::from_secs(1);
        learned.cut(at, at);
        learned.settle_first(at, learned.answered());
        let far = start + Duration::from_secs(100 * 365 * 86_400);
        let _ = learned.slot(far);
        let _ = learned.slot(far);
        assert!(learned.pace().is_some());
    }

    /// Counts the first answer and returns when it was.
    fn learned_start(learned: &Learned) -> Instant {
        learned.count();
        *learned.first.get().unwrap()
    }
}
