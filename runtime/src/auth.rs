//! Authentication: a fixed access token, or the OAuth client-credentials grant with a cached
//! token renewed before it expires, one token request at a time.

use std::fmt;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use http::{HeaderValue, Method, StatusCode, header};
use serde::Deserialize;

use crate::error::{self, AuthError, Error, Result, Route, TransportError};
use crate::secret::{AccessToken, ClientSecret};

/// The route template the token request is reported under.
const TOKEN_ROUTE: &str = "/oauth/token";

/// A token is renewed when less than this share of its lifetime remains (at most 5 minutes
/// before expiry, at least 1 second).
fn renewal_margin(lifetime: Duration) -> Duration {
    (lifetime / 10).clamp(Duration::from_secs(1), Duration::from_secs(300))
}

/// How requests authenticate.
#[derive(Clone)]
pub(crate) enum Auth {
    /// No `Authorization` header (for servers that need none).
    None,
    /// A fixed token: a 401 is final.
    Fixed(HeaderValue),
    /// Client credentials: tokens are fetched, cached and renewed.
    ClientCredentials(Arc<TokenSource>),
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Auth::None => f.write_str("None"),
            Auth::Fixed(_) => f.write_str("AccessToken(<redacted>)"),
            Auth::ClientCredentials(source) => source.fmt(f),
        }
    }
}

/// The `Authorization` value used for one attempt, and whether it can be renewed.
pub(crate) struct Credential {
    pub(crate) header: Option<HeaderValue>,
    pub(crate) renewable: bool,
}

impl Auth {
    /// The credential for the next attempt when it is at hand (no token to fetch or wait for).
    pub(crate) fn cached_credential(&self) -> Option<Credential> {
        match self {
            Auth::None => Some(Credential {
                header: None,
                renewable: false,
            }),
            Auth::Fixed(header) => Some(Credential {
                header: Some(header.clone()),
                renewable: false,
            }),
            Auth::ClientCredentials(source) => source.fresh().0.map(|header| Credential {
                header: Some(header),
                renewable: true,
            }),
        }
    }

    /// The credential for the next attempt, waiting for or fetching a token when none is
    /// fresh. Only client credentials ever need to wait: the other kinds are always at hand.
    pub(crate) async fn credential(&self, http: &reqwest::Client) -> Result<Credential> {
        if let Some(credential) = self.cached_credential() {
            return Ok(credential);
        }
        let Auth::ClientCredentials(source) = self else {
            return Ok(Credential {
                header: None,
                renewable: false,
            });
        };
        Ok(Credential {
            header: Some(source.bearer(http).await?),
            renewable: true,
        })
    }

    /// Forgets `used` after the server refused it, so the next credential is a new token.
    pub(crate) fn invalidate(&self, used: &Credential) {
        if let (Auth::ClientCredentials(source), Some(header)) = (self, &used.header) {
            source.invalidate(header);
        }
    }
}

/// Fetches and caches client-credentials tokens.
pub(crate) struct TokenSource {
    token_url: String,
    client_id: String,
    secret: ClientSecret,
    cached: RwLock<Option<CachedToken>>,
    /// Held while a token is fetched, so that concurrent callers wait for that one request.
    refresh: tokio::sync::Mutex<()>,
}

#[derive(Clone)]
struct CachedToken {
    header: HeaderValue,
    /// Renew from this moment on (before expiry, so calls never carry a dying token).
    renew_at: Instant,
    /// The token stops working here.
    expires_at: Instant,
    /// Counts fetches, so a caller that waited for another's fetch can use its result.
    generation: u64,
}

impl fmt::Debug for TokenSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("token_url", &self.token_url)
            .field("client_id", &self.client_id)
            .field("secret", &self.secret)
            .finish_non_exhaustive()
    }
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    #[serde(default)]
    expires_in: Option<u64>,
}

#[derive(Deserialize, Default)]
struct TokenErrorBody {
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    error_description: Option<String>,
    #[serde(default)]
    description: Option<String>,
}

impl TokenSource {
    pub(crate) fn new(login_base_url: &str, client_id: String, secret: ClientSecret) -> Self {
        TokenSource {
            token_url: format!("{login_base_url}{TOKEN_ROUTE}"),
            client_id,
            secret,
            cached: RwLock::new(None),
            refresh: tokio::sync::Mutex::new(()),
        }
    }

    /// The cached token's header and generation, if it is not due for renewal.
    fn fresh(&self) -> (Option<HeaderValue>, u64) {
        let cached = self.cached.read().unwrap_or_else(|e| e.into_inner());
        let generation = cached.as_ref().map_or(0, |token| token.generation);
        let header = cached
            .as_ref()
            .filter(|token| Instant::now() < token.renew_at)
            .map(|token| token.header.clone());
        (header, generation)
    }

    /// A token fetched after `seen` that has not expired: another caller's fresh renewal.
    fn renewed_since(&self, seen: u64) -> Option<HeaderValue> {
        let cached = self.cached.read().unwrap_or_else(|e| e.into_inner());
        cached
            .as_ref()
            .filter(|token| token.generation > seen && Instant::now() < token.expires_at)
            .map(|token| token.header.clone())
    }

    /// A fresh token's header value; fetches one (once, for all waiting callers) if needed.
    async fn bearer(&self, http: &reqwest::Client) -> Result<HeaderValue> {
        let (header, seen) = self.fresh();
        if let Some(header) = header {
            return Ok(header);
        }
        let _only_one_fetch = self.refresh.lock().await;
        if let Some(header) = self.renewed_since(seen) {
            return Ok(header);
        }
        // Boxed: a token fetch is rare, and its large future would otherwise enlarge every call.
        let mut token = Box::pin(self.fetch(http)).await?;
        let mut cached = self.cached.write().unwrap_or_else(|e| e.into_inner());
        token.generation = cached.as_ref().map_or(0, |t| t.generation) + 1;
        *cached = Some(token.clone());
        Ok(token.header)
    }

    fn invalidate(&self, used: &HeaderValue) {
        let mut cached = self.cached.write().unwrap_or_else(|e| e.into_inner());
        if let Some(token) = cached.as_mut().filter(|token| token.header == *used) {
            let now = Instant::now();
            token.renew_at = now;
            token.expires_at = now;
        }
    }

    async fn fetch(&self, http: &reqwest::Client) -> Result<CachedToken> {
        let route = Route {
            method: Method::POST,
            template: TOKEN_ROUTE,
        };
        let response = http
            .post(&self.token_url)
            .basic_auth(&self.client_id, Some(self.secret.expose_secret()))
            .header(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/x-www-form-urlencoded"),
            )
            .body("grant_type=client_credentials")
            .send()
            .await
            .map_err(|source| {
                Error::Transport(Box::new(TransportError {
                    route: route.clone(),
                    source: source.without_url(),
                }))
            })?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(|source| {
            Error::Transport(Box::new(TransportError {
                route: route.clone(),
                source: source.without_url(),
            }))
        })?;
        if !status.is_success() {
            let parsed: TokenErrorBody = serde_json::from_slice(&body).unwrap_or_default();
            return Err(auth_error(
                status,
                parsed.error,
                parsed.error_description.or(parsed.description),
                error::correlation_id(&headers).map(str::to_owned),
                (!body.is_empty()).then(|| error::snippet(&body)),
            ));
        }
        let token: TokenResponse = serde_json::from_slice(&body).map_err(|_| {
            auth_error(
                status,
                None,
                Some("the token response has no `access_token`".to_owned()),
                error::correlation_id(&headers).map(str::to_owned),
                None,
            )
        })?;
        let header = AccessToken::new(token.access_token)
            .bearer_header()
            .ok_or_else(|| {
                auth_error(
                    status,
                    None,
                    Some("the issued token cannot be sent in a header".to_owned()),
                    None,
                    None,
                )
            })?;
        let lifetime = Duration::from_secs(token.expires_in.unwrap_or(3600));
        tracing::info!(
            target: "genesys_runtime::auth",
            expires_in_s = lifetime.as_secs(),
            "access token renewed (client credentials)"
        );
        let now = Instant::now();
        Ok(CachedToken {
            header,
            renew_at: now + lifetime.saturating_sub(renewal_margin(lifetime)),
            expires_at: now + lifetime,
            generation: 0,
        })
    }
}

fn auth_error(
    status: StatusCode,
    error: Option<String>,
    description: Option<String>,
    correlation_id: Option<String>,
    snippet: Option<String>,
) -> Error {
    Error::Auth(Box::new(AuthError {
        status,
        error,
        description,
        correlation_id,
        snippet,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renewal_margin_is_a_tenth_within_bounds() {
        assert_eq!(
            renewal_margin(Duration::from_secs(86400)),
            Duration::from_secs(300)
        );
        assert_eq!(
            renewal_margin(Duration::from_secs(600)),
            Duration::from_secs(60)
        );
        assert_eq!(
            renewal_margin(Duration::from_secs(2)),
            Duration::from_secs(1)
        );
    }
}
