//! Waiting, bounded: how long to wait before the next attempt and whether the call may still
//! wait that long, in checked arithmetic, so that no number a server sends (`Retry-After:
//! 18446744073709551615`) or a user sets (`Duration::MAX`) can overflow an instant.

use std::time::{Duration, Instant};

use super::retry::RetryPolicy;

/// How far ahead "never" is on tokio's clock (as tokio itself does for `sleep(Duration::MAX)`).
const FAR_FUTURE: Duration = Duration::from_secs(86_400 * 365 * 30);

/// What a call may still wait between attempts: the rest of its retry policy's
/// `max_total_wait`, and its deadline.
#[derive(Clone, Copy, Debug)]
pub(crate) struct WaitBudget {
    max_total_wait: Duration,
    waited: Duration,
    deadline: Option<Instant>,
}

impl WaitBudget {
    /// A budget of `max_total_wait` in all, for a call that must end by `deadline`.
    pub(crate) fn new(max_total_wait: Duration, deadline: Option<Instant>) -> Self {
        WaitBudget {
            max_total_wait,
            waited: Duration::ZERO,
            deadline,
        }
    }

    /// Whether a wait of `wait` starting at `now` fits: within what remains of the total,
    /// and ending before the deadline. A wait whose end cannot be represented does not fit
    /// a deadline.
    pub(crate) fn allows(&self, wait: Duration, now: Instant) -> bool {
        self.waited.saturating_add(wait) <= self.max_total_wait
            && self
                .deadline
                .is_none_or(|deadline| now.checked_add(wait).is_some_and(|end| end < deadline))
    }

    /// Counts a wait that was taken.
    /// Whether `wait` fits in what remains of `max_total_wait` (the deadline aside).
    pub(crate) fn total_allows(&self, wait: Duration) -> bool {
        self.waited.saturating_add(wait) <= self.max_total_wait
    }

    pub(crate) fn spend(&mut self, wait: Duration) {
        self.waited = self.waited.saturating_add(wait);
    }
}

/// The wait before retry number `retry` (1 for the first): what the server asked for with
/// `Retry-After`, or the policy's backoff.
pub(crate) fn next_wait(asked: Option<Duration>, policy: &RetryPolicy, retry: u32) -> Duration {
    asked.unwrap_or_else(|| policy.backoff(retry))
}

/// `after` from now, as an instant: `None` when it cannot be represented (as good as never).
pub(crate) fn deadline_after(after: Duration) -> Option<Instant> {
    Instant::now().checked_add(after)
}

/// `after` from now on tokio's clock (virtual under a paused test runtime), or as far ahead
/// as tokio's timers reach.
pub(crate) fn tokio_after(after: Duration) -> tokio::time::Instant {
    let now = tokio::time::Instant::now();
    now.checked_add(after)
        .or_else(|| now.checked_add(FAR_FUTURE))
        .unwrap_or(now)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The extremes a server or a setting can produce.
    fn durations() -> Vec<Duration> {
        let mut all = vec![
            Duration::ZERO,
            Duration::from_nanos(1),
            Duration::from_millis(1),
            Duration::from_millis(500),
            Duration::from_secs(1),
            Duration::from_secs(58),
            Duration::from_secs(30 * 24 * 3600),
            Duration::from_secs(u64::from(u32::MAX)),
            Duration::from_secs(u64::MAX / 2),
            Duration::from_secs(u64::MAX),
            Duration::MAX / 2,
            Duration::MAX - Duration::from_nanos(1),
            Duration::MAX,
        ];
        // And some from anywhere in the range, the same on every run.
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..24 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            all.push(Duration::new(
                state >> (state % 64),
                (state % 1_000_000_000) as u32,
            ));
        }
        all
    }

    #[test]
    fn no_retry_after_backoff_total_or_deadline_makes_the_wait_computation_panic() {
        let durations = durations();
        let now = Instant::now();
        let attempts = [0, 1, 2, 3, 20, 64, u32::MAX];
        let mut checked = 0u64;
        for &backoff in &durations {
            for &max_backoff in &[Duration::ZERO, Duration::from_secs(8), Duration::MAX] {
                let policy = RetryPolicy::default()
                    .initial_backoff(backoff)
                    .max_backoff(max_backoff)
                    .max_total_wait(backoff);
                for &attempt in &attempts {
                    let wait = policy.backoff(attempt);
                    assert!(wait <= max_backoff.min(backoff.saturating_mul(1 << 20)));
                }
            }
            for &total in &durations {
                for deadline in [
                    None,
                    Some(Duration::ZERO),
                    Some(backoff),
                    Some(Duration::MAX),
                ] {
                    let deadline = deadline.and_then(|d| now.checked_add(d));
                    let policy = RetryPolicy::default()
                        .initial_backoff(backoff)
                        .max_total_wait(total);
                    for &asked in &durations {
                        let mut budget = WaitBudget::new(total, deadline);
                        for &attempt in &attempts {
                            let wait = next_wait(Some(asked), &policy, attempt);
                            if budget.allows(wait, now) {
                                assert!(wait <= total);
                                budget.spend(wait);
                            }
                            let wait = next_wait(None, &policy, attempt);
                            if budget.allows(wait, now) {
                                budget.spend(wait);
                            }
                            checked += 2;
                        }
                    }
                }
            }
        }
        assert!(checked > 100_000, "{checked} combinations");
        for &after in &durations {
            let _ = deadline_after(after);
        }
    }

    #[test]
    fn a_wait_must_end_before_the_deadline_and_fit_the_total() {
        let now = Instant::now();
        let deadline = now + Duration::from_secs(10);
        let budget = WaitBudget::new(Duration::from_secs(30), Some(deadline));
        assert!(budget.allows(Duration::from_secs(9), now));
        assert!(!budget.allows(Duration::from_secs(10), now));
        assert!(
            !budget.allows(Duration::MAX, now),
            "no end: past any deadline"
        );

        let mut budget = WaitBudget::new(Duration::from_secs(30), None);
        assert!(budget.allows(Duration::from_secs(30), now));
        budget.spend(Duration::from_secs(20));
        assert!(!budget.allows(Duration::from_secs(11), now));
        budget.spend(Duration::MAX);
        assert!(!budget.allows(Duration::from_nanos(1), now));
        assert!(!budget.allows(Duration::ZERO, now), "nothing left");

        let unbounded = WaitBudget::new(Duration::MAX, None);
        assert!(unbounded.allows(Duration::MAX, now));
    }

    #[tokio::test]
    async fn tokio_instants_saturate_far_ahead() {
        let now = tokio::time::Instant::now();
        let soon = tokio_after(Duration::from_secs(5)) - now;
        assert!(soon >= Duration::from_secs(5) && soon < Duration::from_secs(6));
        assert!(tokio_after(Duration::MAX) >= now + FAR_FUTURE);
    }
}
