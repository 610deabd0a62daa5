//! Credentials for every call: a [`TokenSource`] supplies access tokens, and the client's
//! [`TokenCache`] keeps the current one, renews it before it expires (one token request at a
//! time, whatever the number of callers) and once more when the API answers `401`.
//!
//! The fixed [`AccessToken`], [`ClientCredentials`] and [`RefreshTokenGrant`] are token
//! sources like any a user writes; the OAuth ones send their token request through
//! [`Login`], which goes through the same send loop as every API call.

mod cache;
mod flight;
mod grants;
mod oauth;
mod pool;
mod secret;
mod source;

use std::sync::Arc;

use http::HeaderValue;

pub use grants::{ClientCredentials, RefreshTokenGrant};
pub use oauth::{IssuedToken, Login, TOKEN_PATH, TokenRequest};
pub use secret::{AccessToken, ClientSecret, RefreshToken};
pub use source::{Token, TokenFuture, TokenSource};

pub(crate) use cache::TokenCache;
pub(crate) use pool::{Member, Pool};
pub(crate) use source::type_label;

use crate::client::ClientInner;
use crate::error::Result;

/// The `Authorization` value used for one attempt, whether it can be renewed, and which of
/// the client's credentials it is.
pub(crate) struct Credential {
    pub(crate) header: Option<HeaderValue>,
    pub(crate) renewable: bool,
    /// Its index in the client's [`Pool`].
    pub(crate) member: usize,
}

impl Credential {
    /// No `Authorization` header from the client (no credentials, or a request that carries
    /// its own).
    pub(crate) const NONE: Credential = Credential {
        header: None,
        renewable: false,
        member: 0,
    };
}

impl ClientInner {
    /// Credential `member`'s next attempt's credential when it is at hand (no token to fetch
    /// or wait for).
    pub(crate) fn cached_credential(&self, member: usize) -> Option<Credential> {
        let Some(cache) = &self.credentials.get(member).auth else {
            return Some(Credential::NONE);
        };
        cache.fresh().map(|header| Credential {
            header: Some(header),
            renewable: cache.renewable(),
            member,
        })
    }

    /// Credential `member`'s next attempt's credential, waiting for a token (another call's
    /// fetch, or one started for everyone) when none is fresh.
    pub(crate) async fn credential(inner: &Arc<ClientInner>, member: usize) -> Result<Credential> {
        let Some(cache) = &inner.credentials.get(member).auth else {
            return Ok(Credential::NONE);
        };
        Ok(Credential {
            header: Some(cache.bearer(inner, member).await?),
            renewable: cache.renewable(),
            member,
        })
    }

    /// The type of credential `member`'s token source, as messages name it.
    pub(crate) fn token_source_name(&self, member: usize) -> Option<&'static str> {
        self.credentials
            .get(member)
            .auth
            .as_ref()
            .map(TokenCache::name)
    }

    /// Forgets `used` after the server refused it, so the next credential is a new token.
    pub(crate) fn invalidate(&self, used: &Credential) {
        if let (Some(cache), Some(header)) = (&self.credentials.get(used.member).auth, &used.header)
        {
            cache.invalidate(header);
        }
    }
}
