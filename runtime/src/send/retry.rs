//! When a failed attempt is tried again, and how long to wait first: the rules are documented
//! on [`RetryPolicy`], where users read them.

use std::time::{Duration, SystemTime};

use http::{HeaderMap, StatusCode, header};

/// The retry policy of a client. On by default: [`RetryPolicy::default`].
///
/// # What is retried
///
/// - `429 Too Many Requests`, always: the server did not process the request.
/// - `502`, `503`, `504`, a connection that could not be made, and a connection reset or
///   closed before the response, only for requests that are safe to repeat: idempotent
///   methods (GET, HEAD, PUT, DELETE) and the OAuth token request. A POST or PATCH is never
///   repeated after a 5xx or a lost connection: the server may have acted on it.
/// - Nothing else: not a timeout (the attempt used its whole bound), not a `500` or any
///   `4xx`, not a failure while reading a body.
/// - A `401` is not a retry: with a token source that can renew, the token is renewed once
///   and the call replayed once.
///
/// # How long to wait
///
/// `Retry-After` is honoured, in seconds or as an HTTP date. Without it: exponential backoff
/// with full jitter, from [`initial_backoff`](Self::initial_backoff) doubling up to
/// [`max_backoff`](Self::max_backoff). A wait longer than what remains of
/// [`max_total_wait`](Self::max_total_wait) ends the call at once, with the last answer as the
/// error and the wait the server asked for in [`ApiError::retry_after`](crate::ApiError::retry_after).
///
/// ```
/// use std::time::Duration;
/// use genesys_runtime::RetryPolicy;
/// let patient = RetryPolicy::default()
///     .max_attempts(6)
///     .max_total_wait(Duration::from_secs(120));
/// let off = RetryPolicy::disabled();
/// # let _ = (patient, off);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    pub(crate) max_attempts: u32,
    pub(crate) initial_backoff: Duration,
    pub(crate) max_backoff: Duration,
    pub(crate) max_total_wait: Duration,
}

impl Default for RetryPolicy {
    /// 4 attempts in all, backoff from 500 ms doubling up to 8 s, at most 30 s of waiting in
    /// all for one call.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(8),
            max_total_wait: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// For bulk work: waits as long as the server asks (`Retry-After`, Genesys has asked for
    /// 58 s), up to 20 attempts and 30 minutes of waiting per call, with backoff from 1 s
    /// doubling up to 60 s without one. The call's `deadline` still bounds it. Pair it with
    /// a [`RateLimit`](crate::RateLimit) when you know the limit.
    pub fn bulk() -> Self {
        RetryPolicy {
            max_attempts: 20,
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(60),
            max_total_wait: Duration::from_secs(30 * 60),
        }
    }

    /// One attempt, no retries.
    pub fn disabled() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// Attempts in all, the first included (at least 1).
    #[must_use]
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The backoff before the first retry when the server gives no `Retry-After`; it
    /// doubles with each retry.
    #[must_use]
    pub fn initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// The longest single backoff.
    #[must_use]
    pub fn max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// The most time one call may spend waiting between attempts. A `Retry-After` longer
    /// than what remains ends the call at once.
    #[must_use]
    pub fn max_total_wait(mut self, wait: Duration) -> Self {
        self.max_total_wait = wait;
        self
    }

    /// The backoff before retry number `retry` (1 for the first), with full jitter.
    pub(crate) fn backoff(&self, retry: u32) -> Duration {
        let exponent = retry.saturating_sub(1).min(20);
        let ceiling = self
            .initial_backoff
            .saturating_mul(1 << exponent)
            .min(self.max_backoff);
        // Full jitter: uniform in [ceiling / 2, ceiling], so retries from many clients spread.
        let half = ceiling / 2;
        let jitter = Duration::try_from_secs_f64(half.as_secs_f64() * jitter_fraction())
            .map_or(half, |jitter| jitter.min(half));
        half.saturating_add(jitter)
    }
}

/// Whether an answer with this status is worth another attempt, for a request that is
/// (`safe_to_repeat`) or is not safe to send twice.
pub(crate) fn retryable_status(status: StatusCode, safe_to_repeat: bool) -> bool {
    match status.as_u16() {
        429 => true,
        502..=504 => safe_to_repeat,
        _ => false,
    }
}

/// Whether a failed attempt that got no answer is worth another: a connection that could not
/// be made, or one reset or closed before the response, for a request safe to repeat. Timeouts
/// (the attempt used its whole bound), failures while reading a body and requests that could
/// not be built are final.
pub(crate) fn retryable_transport(error: &reqwest::Error, safe_to_repeat: bool) -> bool {
    safe_to_repeat && !error.is_timeout() && (error.is_connect() || error.is_request())
}

/// The wait a `Retry-After` header asks for, in seconds or as an HTTP-date. Any number of
/// seconds is accepted (compared with the budget, never added to an instant).
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(header::RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(
        date.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

/// A number in [0, 1) that differs between calls, without a random-number dependency.
fn jitter_fraction() -> f64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(
        SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos(),
    );
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;
    use http::Method;

    #[test]
    fn which_statuses_are_retried() {
        for method in [Method::GET, Method::HEAD, Method::PUT, Method::DELETE] {
            assert!(method.is_idempotent());
            for status in [429, 502, 503, 504] {
                assert!(retryable_status(
                    StatusCode::from_u16(status).unwrap(),
                    method.is_idempotent()
                ));
            }
        }
        for method in [Method::POST, Method::PATCH] {
            assert!(!method.is_idempotent());
            assert!(retryable_status(StatusCode::TOO_MANY_REQUESTS, false));
            for status in [500, 502, 503, 504] {
                assert!(!retryable_status(
                    StatusCode::from_u16(status).unwrap(),
                    method.is_idempotent()
                ));
            }
        }
        for status in [400, 401, 403, 404, 409, 500, 501] {
            assert!(!retryable_status(
                StatusCode::from_u16(status).unwrap(),
                true
            ));
        }
    }

    #[test]
    fn retry_after_in_seconds_and_as_a_date() {
        let mut headers = HeaderMap::new();
        headers.insert(header::RETRY_AFTER, HeaderValue::from_static("7"));
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(7)));

        let later = SystemTime::now() + Duration::from_secs(120);
        let date = httpdate::fmt_http_date(later);
        headers.insert(header::RETRY_AFTER, HeaderValue::from_str(&date).unwrap());
        let wait = retry_after(&headers).unwrap();
        assert!(
            wait > Duration::from_secs(115) && wait <= Duration::from_secs(120),
            "{wait:?}"
        );

        headers.insert(
            header::RETRY_AFTER,
            HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"),
        );
        assert_eq!(
            retry_after(&headers),
            Some(Duration::ZERO),
            "a past date means now"
        );

        headers.insert(header::RETRY_AFTER, HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&headers), None);
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let policy = RetryPolicy::default()
            .initial_backoff(Duration::from_millis(100))
            .max_backoff(Duration::from_millis(1000));
        for _ in 0..100 {
            let first = policy.backoff(1);
            assert!(first >= Duration::from_millis(50) && first <= Duration::from_millis(100));
            let third = policy.backoff(3);
            assert!(third >= Duration::from_millis(200) && third <= Duration::from_millis(400));
            let tenth = policy.backoff(10);
            assert!(tenth >= Duration::from_millis(500) && tenth <= Duration::from_millis(1000));
        }
        assert_eq!(RetryPolicy::disabled().max_attempts, 1);
        assert_eq!(RetryPolicy::default().max_attempts(0).max_attempts, 1);
    }
}
