//! Credentials for every call: a [`TokenSource`] supplies access tokens, and the client's
//! [`TokenCache`] keeps the current one, renews it before it expires (one token request at a
//! time, whatever the number of callers) and once more when the API answers `401`.
//!
//! The fixed [`AccessToken`], [`ClientCredentials`] and [`RefreshTokenGrant`] are token
//! sources like any a user writes; the OAuth ones send their token request through
//! [`Login`], which goes through the same send loop as every API call.

mod cache;
mod grants;
mod oauth;
mod secret;
mod source;

use http::HeaderValue;

pub use grants::{ClientCredentials, RefreshTokenGrant};
pub use oauth::{IssuedToken, Login, TOKEN_PATH, TokenRequest};
pub use secret::{AccessToken, ClientSecret, RefreshToken};
pub use source::{Token, TokenFuture, TokenSource};

pub(crate) use cache::TokenCache;

use crate::client::ClientInner;
use crate::error::Result;

/// The `Authorization` value used for one attempt, and whether it can be renewed.
pub(crate) struct Credential {
    pub(crate) header: Option<HeaderValue>,
    pub(crate) renewable: bool,
}

impl Credential {
    /// No `Authorization` header from the client (no credentials, or a request that carries
    /// its own).
    pub(crate) const NONE: Credential = Credential {
        header: None,
        renewable: false,
    };
}

impl ClientInner {
    /// The credential for the next attempt when it is at hand (no token to fetch or wait for).
    pub(crate) fn cached_credential(&self) -> Option<Credential> {
        let Some(cache) = &self.auth else {
            return Some(Credential::NONE);
        };
        cache.fresh().0.map(|header| Credential {
            header: Some(header),
            renewable: cache.renewable(),
        })
    }

    /// The credential for the next attempt, waiting for or fetching a token when none is
    /// fresh.
    pub(crate) async fn credential(&self) -> Result<Credential> {
        let Some(cache) = &self.auth else {
            return Ok(Credential::NONE);
        };
        Ok(Credential {
            header: Some(cache.bearer(self).await?),
            renewable: cache.renewable(),
        })
    }

    /// Forgets `used` after the server refused it, so the next credential is a new token.
    pub(crate) fn invalidate(&self, used: &Credential) {
        if let (Some(cache), Some(header)) = (&self.auth, &used.header) {
            cache.invalidate(header);
        }
    }
}
