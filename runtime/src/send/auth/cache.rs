//! The client's current token: renewed before it expires, one fetch at a time for all
//! callers, forgotten when the API refuses it.

use std::fmt;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use http::HeaderValue;

use super::oauth::Login;
use super::source::{Token, TokenSource};
use crate::client::ClientInner;
use crate::error::{Error, Result};

/// The shortest lifetime a token is given (a server saying less would make every call fetch
/// a token).
const MIN_LIFETIME: Duration = Duration::from_secs(1);

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
    renewable: bool,
    cached: RwLock<Option<Cached>>,
    /// Held while a token is fetched, so that concurrent callers wait for that one request.
    refresh: tokio::sync::Mutex<()>,
}

#[derive(Clone)]
struct Cached {
    header: HeaderValue,
    /// Renew from this moment on (before expiry, so calls never carry a dying token); `None`
    /// for a token with no known expiry.
    renew_at: Option<Instant>,
    /// The token stops working here (`None`: not known).
    expires_at: Option<Instant>,
    /// Counts fetches, so a caller that waited for another's fetch can use its result.
    generation: u64,
}

impl fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.source.fmt(f)
    }
}

impl TokenCache {
    pub(crate) fn new(source: Arc<dyn TokenSource>) -> Self {
        TokenCache {
            renewable: source.can_renew(),
            source,
            cached: RwLock::new(None),
            refresh: tokio::sync::Mutex::new(()),
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

    /// The cached token's header and generation, if it is not due for renewal.
    pub(crate) fn fresh(&self) -> (Option<HeaderValue>, u64) {
        let cached = self.cached.read().unwrap_or_else(|e| e.into_inner());
        let generation = cached.as_ref().map_or(0, |token| token.generation);
        let header = cached
            .as_ref()
            .filter(|token| token.renew_at.is_none_or(|at| Instant::now() < at))
            .map(|token| token.header.clone());
        (header, generation)
    }

    /// A token fetched after `seen` that has not expired: another caller's fresh renewal.
    fn renewed_since(&self, seen: u64) -> Option<HeaderValue> {
        let cached = self.cached.read().unwrap_or_else(|e| e.into_inner());
        cached
            .as_ref()
            .filter(|token| {
                token.generation > seen && token.expires_at.is_none_or(|at| Instant::now() < at)
            })
            .map(|token| token.header.clone())
    }

    /// A fresh token's header value; fetches one (once, for all waiting callers) if needed.
    pub(crate) async fn bearer(&self, inner: &ClientInner) -> Result<HeaderValue> {
        let (header, seen) = self.fresh();
        if let Some(header) = header {
            return Ok(header);
        }
        let _only_one_fetch = self.refresh.lock().await;
        if let Some(header) = self.renewed_since(seen) {
            return Ok(header);
        }
        let token = self.source.token(Login { inner }).await?;
        tracing::info!(
            target: "genesys_runtime::auth",
            expires_in_s = token.lifetime.map(|l| l.as_secs()),
            "access token renewed"
        );
        self.store(token)
    }

    /// Keeps `token` as the current one, with its renewal time, and returns its header.
    fn store(&self, token: Token) -> Result<HeaderValue> {
        let header = token.access_token.bearer_header().ok_or_else(|| {
            Error::config(format!(
                "the token from {:?} is empty or contains characters that cannot be sent in a header",
                self.source
            ))
        })?;
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
        let mut cached = self.cached.write().unwrap_or_else(|e| e.into_inner());
        let generation = cached.as_ref().map_or(0, |t| t.generation) + 1;
        *cached = Some(Cached {
            header: header.clone(),
            renew_at,
            expires_at,
            generation,
        });
        Ok(header)
    }

    /// Forgets `used` after the server refused it.
    pub(crate) fn invalidate(&self, used: &HeaderValue) {
        let mut cached = self.cached.write().unwrap_or_else(|e| e.into_inner());
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
        let cache = TokenCache::new(Arc::new(super::super::AccessToken::new("t")));
        cache
            .store(Token::new("tok").expires_in(Duration::MAX))
            .unwrap();
        assert!(cache.fresh().0.is_some());
        cache
            .store(Token::new("tok").expires_in(Duration::ZERO))
            .unwrap();
        assert!(cache.fresh().0.is_some(), "a zero lifetime counts as 1 s");
    }
}
