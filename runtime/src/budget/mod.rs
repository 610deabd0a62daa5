//! What the calls on one credential share about the server's rate limit: when one call is
//! answered `429 Too Many Requests`, the others wait out its `Retry-After` instead of each
//! finding the limit again; and, when you know the limit, a pace that keeps a bulk job under
//! it in the first place.
//!
//! Genesys Cloud limits requests per token (300 a minute for a client-credentials token by
//! default, raised per organization), per user and per endpoint, and answers `429` with
//! `Retry-After` when a limit is exceeded, sometimes asking for a minute. Every
//! [`Client`](crate::Client) has a [`RateBudget`] for its credential, on by default: a
//! [`LocalBudget`] that shares each `429`'s `Retry-After` among the calls and, from the
//! first `429` on, paces them at the rate the server sustained (learned from the answers
//! between two `429`s: 10% under it at first, back to it within five seconds, then probing
//! 0.5% a second over it). One more thing in a client's opening wave, its first calls sent
//! together: until they are answered, a call made after the first answer waits for them,
//! 20 ms at most, so that a `429` among them holds it instead of its finding the limit
//! again. Until a `429` arrives it changes nothing else and costs a few atomic operations
//! per call. It is on by default because a client that keeps sending into a
//! limit is one the server throttles harder: in `BENCHMARKS.md` §8, a bulk job of 3,000
//! calls with 64 tasks sends 56% `429`s and loses 39 calls without it (the official Python
//! SDK: 56%, 215 lost); with it, 0.56% `429`s (most in the opening wave, when nothing is
//! known yet), no call lost, and 1.03× the minimum time the limit allows.
//!
//! Give it the limit you know with [`ClientBuilder::rate_limit`](crate::ClientBuilder::rate_limit)
//! (no `429` at all in the same job, 1.017× the minimum time): that one is off by default,
//! since the limit is per organization and per token, and only you know it.
//!
//! Why a rate and not a bound on calls in flight: Genesys limits requests per interval, and
//! the calls in flight allow a rate of their number over the latency, which on a fast
//! network is far above any limit whatever the bound; a learned pace is the adaptive bound
//! that matches the limit (it backs off on a `429`, and recovers while none come).
//!
//! # Several credentials
//!
//! An organization that spreads its load over several OAuth clients gives the client all of
//! them ([`ClientBuilder::add_client_credentials`](crate::ClientBuilder::add_client_credentials)):
//! each has its own token cache and its own budget, calls take them in turn, and a call whose
//! credential a `429` holds goes to the next one that is free, at once.
//! [`Client::rate_budgets`](crate::Client::rate_budgets) reports each.
//!
//! # What was waited
//!
//! A hook sees each attempt's credential and budget wait ([`Outgoing::rate_wait`](crate::Outgoing::rate_wait))
//! and the budget's state ([`Incoming::rate_budget`](crate::Incoming::rate_budget)); the
//! `genesys.request` span records `credential` and `rate_wait_ms`, and each wait is an event
//! with `wait_ms`.
//!
//! # Several processes
//!
//! The limit is the token's, whichever process sends. Processes that share one OAuth client
//! each get their own token, and so their own budget on the server: give each process its
//! own OAuth client (Genesys allows many) rather than sharing a token between processes, or
//! split the known limit between them with [`RateLimit`]. A store shared by several
//! processes (a Redis, say) can stand behind your own [`RateBudget`] implementation, set with
//! [`ClientBuilder::rate_budget`](crate::ClientBuilder::rate_budget): keep `admit` fast (answer
//! from a local copy refreshed in the background), since it runs before every attempt.

mod learned;
mod local;
mod opening;

use std::fmt;
use std::time::{Duration, Instant};

pub use local::LocalBudget;

/// Now, on tokio's clock: the system's monotonic clock, unless a test paused tokio's time,
/// in which case budgets and the waits they ask for move with the test's virtual time.
pub fn now() -> Instant {
    tokio::time::Instant::now().into_std()
}

/// One more request at a pace of one per `interval` (the generic cell rate algorithm):
/// takes the slot at `next` or `earliest`, whichever is later, and returns when to send,
/// unless it is within `tolerance` (the burst) of `earliest`.
fn take_slot(
    next: &mut Instant,
    earliest: Instant,
    interval: Duration,
    tolerance: Duration,
) -> Option<Instant> {
    let theoretical = (*next).max(earliest);
    *next = theoretical.checked_add(interval).unwrap_or(theoretical);
    theoretical
        .checked_sub(tolerance)
        .filter(|at| *at > earliest)
}

/// A credential's share of the server's rate limit, consulted before every attempt of every
/// API call on it (not the OAuth token request, which has its own limit), and told of every
/// answer: `429`s ([`limited`](Self::limited)) and the others ([`answered`](Self::answered)).
///
/// Instants are on tokio's clock ([`now`]). The runtime waits for the moment
/// [`admit`](Self::admit) gives, within the call's bounds:
/// a wait that would end past the call's `deadline`, or take more than what remains of its
/// retry policy's `max_total_wait`, ends the call at once with a
/// [`TimeoutError`](crate::TimeoutError) that says so ([`TimeoutError::is_rate_budget`](crate::TimeoutError::is_rate_budget)).
pub trait RateBudget: Send + Sync + fmt::Debug + 'static {
    /// Before an attempt: `None` to send it now, or the moment to send it at. A moment
    /// given is a slot reserved for this attempt (a pace counts it as sent).
    fn admit(&self) -> Option<Instant>;

    /// An attempt on this credential got an answer other than `429` (what a learned pace
    /// counts). Nothing by default.
    fn answered(&self) {}

    /// An attempt on this credential was answered `429`: nothing should be sent before
    /// `until` (now plus the server's `Retry-After`, or the call's backoff without one).
    fn limited(&self, until: Instant);

    /// What it holds now, for metrics and alerts. The runtime reads it too, so keep it
    /// cheap: after a wait for the budget (a `429` during the wait holds the credential
    /// again, which `blocked_until` tells), and, with several credentials, to pass over one
    /// that a `429` holds.
    fn state(&self) -> BudgetState;
}

/// A known rate limit: `requests` per `per`, with bursts of up to `burst` requests (1 by
/// default: evenly spaced).
///
/// ```
/// use genesys_runtime::RateLimit;
/// // A client-credentials token's default limit, in bursts of up to 10.
/// let limit = RateLimit::per_minute(300).burst(10);
/// assert_eq!(limit.interval(), std::time::Duration::from_millis(200));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimit {
    requests: u32,
    per: Duration,
    burst: u32,
}

impl RateLimit {
    /// `requests` per `per` (at least one request; a zero `per` means no pace).
    pub fn new(requests: u32, per: Duration) -> Self {
        RateLimit {
            requests: requests.max(1),
            per,
            burst: 1,
        }
    }

    /// `requests` a minute, as Genesys states its limits.
    pub fn per_minute(requests: u32) -> Self {
        RateLimit::new(requests, Duration::from_secs(60))
    }

    /// `requests` a second.
    pub fn per_second(requests: u32) -> Self {
        RateLimit::new(requests, Duration::from_secs(1))
    }

    /// Lets up to `burst` requests go at once after a quiet spell (at least 1).
    #[must_use]
    pub fn burst(mut self, burst: u32) -> Self {
        self.burst = burst.max(1);
        self
    }

    /// The time between two requests at this rate.
    pub fn interval(&self) -> Duration {
        self.per / self.requests
    }

    /// The largest burst.
    pub fn burst_size(&self) -> u32 {
        self.burst
    }
}

impl fmt::Display for RateLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} requests per {:?}", self.requests, self.per)?;
        if self.burst > 1 {
            write!(f, " (bursts of {})", self.burst)?;
        }
        Ok(())
    }
}

/// A budget's state, from [`RateBudget::state`] or [`Client::rate_budget`](crate::Client::rate_budget).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct BudgetState {
    /// Until when calls wait because of a `429`, if that is still ahead.
    pub blocked_until: Option<Instant>,
    /// `429` answers on this credential so far.
    pub limited: u64,
    /// Attempts that had to wait for the budget (a `429` another call got, or the pace).
    pub delayed: u64,
    /// The time those attempts were asked to wait, in all.
    pub delay: Duration,
    /// The pace, when one is set.
    pub pace: Option<RateLimit>,
    /// The pace learned from `429`s, now, when one was: the rate of the answers between
    /// two of them (at least a second apart) less 10%, rising back to that rate within five
    /// seconds and then 0.5% a second over it while no `429` comes.
    pub learned: Option<RateLimit>,
}
