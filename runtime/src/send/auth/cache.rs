//! The client's current token: renewed before it expires, one fetch at a time for all
//! callers (its outcome, a failure too, shared with every caller waiting for it), forgotten
//! when the API refuses it.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError, RwLock, Weak};
use std::time::{Duration, Instant};

use http::HeaderValue;

use super::flight::Flight;
use super::oauth::Login;
use super::source::{Token, TokenSource};
use crate::client::ClientInner;
use crate::error::{Error, Result, TokenSourceError};
use crate::send::wait::tokio_after;

/// The shortest lifetime a token is given (a server saying less would make every call fetch
/// a token).
const MIN_LIFETIME: Duration = Duration::from_secs(1);

/// How long a failed fetch answers for the source: calls in that time get its error without
/// asking again, so that a burst of calls against a failing source or token server sends one
/// request, not one each.
pub(crate) const FAILURE_HOLD: Duration = Duration::from_secs(1);

/// A token is renewed when less than a tenth of its lifetime remains (between 1 second and
/// 5 minutes before expiry, and never earlier than half-way).
fn renewal_margin(lifetime: Duration) -> Duration {
    (lifetime / 10)
        .clamp(Duration::from_secs(1), Duration::from_secs(300))
        .min(lifetime / 2)
}

/// Fetches tokens from a [`TokenSource`] and keeps the current one.
pub(crate) struct TokenCache {
    source: Arc<dyn TokenSource>,
    /// The source's type, for messages: never its `Debug`, which may hold secrets.
    name: &'static str,
    renewable: bool,
    cached: RwLock<Option<Cached>>,
    fetching: Mutex<Fetching>,
}

struct Cached {
    header: HeaderValue,
    /// Renew from this moment on (before expiry, so calls never carry a dying token); `None`
    /// for a token with no known expiry.
    renew_at: Option<Instant>,
    /// The token stops working here (`None`: not known).
    expires_at: Option<Instant>,
}

/// The fetch in flight, and what the last one taught.
#[derive(Default)]
struct Fetching {
    /// The fetch callers join, by number.
    flight: Option<(u64, Weak<Flight>)>,
    next: u64,
    /// The last fetch's failure, the answer until the instant given.
    failure: Option<(tokio::time::Instant, Error)>,
}

impl fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenCache")
            .field("token_source", &self.name)
            .finish_non_exhaustive()
    }
}

impl TokenCache {
    /// A cache for `source`, named `name` in messages.
    pub(crate) fn new(source: Arc<dyn TokenSource>, name: &'static str) -> Self {
        TokenCache {
            renewable: source.can_renew(),
            source,
            name,
            cached: RwLock::new(None),
            fetching: Mutex::new(Fetching::default()),
        }
    }

    /// A cache holding `token` already (a fixed token: checked when the client is built, and
    /// the first call does not wait).
    pub(crate) fn with_token(self, token: Token) -> Result<Self> {
        self.store(token)?;
        Ok(self)
    }

    pub(crate) fn renewable(&self) -> bool {
        self.renewable
    }

    /// The source's type, as messages name it.
    pub(crate) fn name(&self) -> &'static str {
        self.name
    }

    /// The cached token's header, if it is not due for renewal.
    pub(crate) fn fresh(&self) -> Option<HeaderValue> {
        let cached = self.cached.read().unwrap_or_else(PoisonError::into_inner);
        cached
            .as_ref()
            .filter(|token| token.renew_at.is_none_or(|at| Instant::now() < at))
            .map(|token| token.header.clone())
    }

    /// The cached token's header, if it has not expired (it may be due for renewal).
    fn unexpired(&self) -> Option<HeaderValue> {
        let cached = self.cached.read().unwrap_or_else(PoisonError::into_inner);
        cached
            .as_ref()
            .filter(|token| token.expires_at.is_none_or(|at| Instant::now() < at))
            .map(|token| token.header.clone())
    }

    /// A fresh token's header value: the cached one, or the outcome of the fetch in flight
    /// (joined, or started for everyone). A failed renewal while the current token is still
    /// valid keeps using it. `member`: this cache's index in the client's credentials.
    pub(crate) async fn bearer(
        &self,
        inner: &Arc<ClientInner>,
        member: usize,
    ) -> Result<HeaderValue> {
        let (id, flight) = {
            let mut fetching = self.fetching.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some(header) = self.fresh() {
                return Ok(header);
            }
            match &fetching.failure {
                Some((until, error)) if tokio::time::Instant::now() < *until => {
                    return self.unexpired().ok_or_else(|| error.clone());
                }
                _ => fetching.failure = None,
            }
            let joined = fetching
                .flight
                .as_ref()
                .and_then(|(id, flight)| Some((*id, flight.upgrade()?)));
            match joined {
                Some(joined) => joined,
                None => {
                    let id = fetching.next;
                    fetching.next += 1;
                    let flight = Flight::start(inner, member, id)?;
                    fetching.flight = Some((id, Arc::downgrade(&flight)));
                    (id, flight)
                }
            }
        };
        let outcome = flight.outcome(self.name).await;
        if let Err(error @ Error::TokenSource(e)) = &outcome {
            if e.is_panic() {
                // The task could not record it: the first caller to learn of it does.
                self.finish(id, Err(error.clone()));
            }
        }
        match outcome {
            Err(error) => self.unexpired().ok_or(error),
            ok => ok,
        }
    }

    /// Fetch number `id`, run by its [`Flight`]: asks the source, keeps the token or the
    /// failure, and returns it for the callers waiting.
    pub(super) async fn fetch(&self, inner: &Arc<ClientInner>, id: u64) -> Result<HeaderValue> {
        let result = match self.source.token(Login { inner }).await {
            Ok(token) => self.store(token),
            Err(Error::TokenSource(mut error)) => {
                error.token_source.get_or_insert(self.name);
                Err(Error::TokenSource(error))
            }
            Err(error) => Err(error),
        };
        match &result {
            Ok(_) => {
                tracing::info!(target: "genesys_runtime::auth", source = self.name, "access token renewed")
            }
            Err(error) => tracing::warn!(
                target: "genesys_runtime::auth",
                source = self.name,
                hold_ms = FAILURE_HOLD.as_millis() as u64,
                %error,
                "access token fetch failed; every call waiting for it gets this error"
            ),
        }
        self.finish(id, result.as_ref().map(|_| ()).map_err(Clone::clone));
        result
    }

    /// Records how fetch `id` ended: it is no longer in flight, and a failure answers for
    /// [`FAILURE_HOLD`].
    fn finish(&self, id: u64, outcome: Result<()>) {
        let mut fetching = self.fetching.lock().unwrap_or_else(PoisonError::into_inner);
        let current = fetching
            .flight
            .as_ref()
            .is_some_and(|(flight, _)| *flight == id);
        if current {
            fetching.flight = None;
        }
        // A later fetch (this one was abandoned, then finished anyway) has the last word.
        if current || fetching.flight.is_none() {
            fetching.failure = outcome
                .err()
                .map(|error| (tokio_after(FAILURE_HOLD), error));
        }
    }

    /// Keeps `token` as the current one, with its renewal time, and returns its header.
    fn store(&self, token: Token) -> Result<HeaderValue> {
        let header = token
            .access_token
            .bearer_header()
            .ok_or_else(|| TokenSourceError::unusable(self.name))?;
        let now = Instant::now();
        let (renew_at, expires_at) = match token.lifetime {
            None => (None, None),
            Some(lifetime) => {
                let lifetime = lifetime.max(MIN_LIFETIME);
                let renew_in = lifetime - renewal_margin(lifetime);
                // Too far to represent: as good as never.
                (now.checked_add(renew_in), now.checked_add(lifetime))
            }
        };
        *self.cached.write().unwrap_or_else(PoisonError::into_inner) = Some(Cached {
            header: header.clone(),
            renew_at,
            expires_at,
        });
        Ok(header)
    }

    /// Forgets `used` after the server refused it.
    pub(crate) fn invalidate(&self, used: &HeaderValue) {
        let mut cached = self.cached.write().unwrap_or_else(PoisonError::into_inner);
        if let Some(token) = cached.as_mut().filter(|token| token.header == *used) {
            let now = Some(Instant::now());
            token.renew_at = now;
            token.expires_at = now;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renewal_margin_is_a_tenth_within_bounds() {
        let secs = Duration::from_secs;
        assert_eq!(renewal_margin(secs(86400)), secs(300));
        assert_eq!(renewal_margin(secs(600)), secs(60));
        assert_eq!(renewal_margin(secs(2)), secs(1));
        assert_eq!(renewal_margin(secs(1)), Duration::from_millis(500));
    }

    #[test]
    fn a_lifetime_too_large_for_an_instant_never_expires_and_never_panics() {
        let cache = TokenCache::new(Arc::new(super::super::AccessToken::new("t")), "AccessToken");
        cache
            .store(Token::new("tok").expires_in(Duration::MAX))
            .unwrap();
        assert!(cache.fresh().is_some());
        cache
            .store(Token::new("tok").expires_in(Duration::ZERO))
            .unwrap();
        assert!(cache.fresh().is_some(), "a zero lifetime counts as 1 s");
    }

    #[test]
    fn an_unusable_token_is_the_sources_error_named_by_its_type() {
        let cache = TokenCache::new(Arc::new(super::super::AccessToken::new("t")), "Vault");
        let error = cache.store(Token::new("bad\ntoken")).unwrap_err();
        let Error::TokenSource(error) = error else {
            panic!("{error:?}")
        };
        assert!(error.is_unusable_token());
        assert_eq!(error.token_source(), Some("Vault"));
        assert!(!error.to_string().contains("bad"), "{error}");
    }
}
