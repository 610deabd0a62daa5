//! The opening wave: a client's first calls on a credential go out together, before anything
//! is known of the limit. When a bulk job starts with more calls in flight than the server
//! lets through at once, the calls whose first answer came back send their next request
//! before the `429`s of the same wave arrive (a server answers in order), and each of those
//! finds the limit again. So, until the opening wave is answered, a call made after its first
//! answer waits, at most [`HOLD`] after that answer: a `429` in the wave then holds it with
//! the others. Once the wave is answered (or the hold has passed), the opening is over for
//! good and costs one atomic load per call.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// The longest a call waits for the opening wave's answers.
pub(super) const HOLD: Duration = Duration::from_millis(20);

#[derive(Debug, Default)]
pub(super) struct Opening {
    /// Set once the opening wave is answered or its hold has passed.
    over: AtomicBool,
    /// Attempts admitted while the opening is on.
    admitted: AtomicU64,
    /// Answers (`429`s too) while the opening is on.
    answers: AtomicU64,
    /// The first answer: when, and the attempts admitted by then (the wave).
    first: OnceLock<(Instant, u64)>,
}

impl Opening {
    /// Whether the opening is over.
    pub(super) fn is_over(&self) -> bool {
        self.over.load(Ordering::Relaxed)
    }

    /// An attempt at `now`: when to send it, if it must wait for the wave's answers.
    pub(super) fn admit(&self, now: Instant) -> Option<Instant> {
        self.admitted.fetch_add(1, Ordering::Relaxed);
        // No answer yet: the wave is still forming.
        let (first, wave) = *self.first.get()?;
        let until = first.checked_add(HOLD).unwrap_or(first);
        if self.answers.load(Ordering::Relaxed) >= wave || now >= until {
            self.over.store(true, Ordering::Relaxed);
            return None;
        }
        Some(until)
    }

    /// An answer at `now` (any status).
    pub(super) fn answer(&self, now: Instant) {
        self.answers.fetch_add(1, Ordering::Relaxed);
        let _ = self
            .first
            .get_or_init(|| (now, self.admitted.load(Ordering::Relaxed)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_after_the_first_answer_wait_for_the_rest_of_the_wave() {
        let opening = Opening::default();
        let start = Instant::now();
        for _ in 0..4 {
            assert_eq!(opening.admit(start), None, "the wave goes at once");
        }
        opening.answer(start);
        let hold = opening.admit(start).expect("waits for the wave");
        assert_eq!(hold, start + HOLD);
        for _ in 0..3 {
            opening.answer(start);
        }
        assert_eq!(opening.admit(start), None, "the wave is answered");
        assert!(opening.is_over());
    }

    #[test]
    fn the_hold_ends_the_opening_even_without_every_answer() {
        let opening = Opening::default();
        let start = Instant::now();
        for _ in 0..4 {
            let _ = opening.admit(start);
        }
        opening.answer(start);
        assert!(opening.admit(start + HOLD / 2).is_some());
        assert_eq!(opening.admit(start + HOLD), None);
        assert!(opening.is_over());
    }

    #[test]
    fn one_call_at_a_time_never_waits() {
        let opening = Opening::default();
        let start = Instant::now();
        assert_eq!(opening.admit(start), None);
        opening.answer(start);
        assert_eq!(opening.admit(start), None);
        assert!(opening.is_over());
    }
}
