//! The credentials a builder is given: the first, and more to use in turn with it.

use std::sync::Arc;

use super::builder::ClientBuilder;
use crate::error::{Error, Result};
use crate::send::auth::{
    AccessToken, ClientCredentials, ClientSecret, Token, TokenCache, TokenSource, type_label,
};

/// The credentials a builder was given.
#[derive(Clone)]
pub(crate) enum Credentials {
    None,
    /// A fixed token, known now: checked at `build()` and cached before the first call.
    Fixed(AccessToken),
    /// A token source, and its type's name for messages.
    Source(Arc<dyn TokenSource>, &'static str),
}

impl std::fmt::Debug for Credentials {
    /// A source by its type's name: its own `Debug` may hold secrets.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Credentials::None => f.write_str("None"),
            Credentials::Fixed(token) => f.debug_tuple("Fixed").field(token).finish(),
            Credentials::Source(_, name) => f.debug_tuple("Source").field(name).finish(),
        }
    }
}

/// The token cache for credentials a builder was given (`None`: no `Authorization`).
pub(crate) fn token_cache(credentials: Credentials) -> Result<Option<TokenCache>> {
    Ok(match credentials {
        Credentials::None => None,
        Credentials::Fixed(token) => {
            let cache = TokenCache::new(Arc::new(token.clone()), "AccessToken");
            Some(cache.with_token(Token::new(token)).map_err(|_| {
                Error::config(
                    "an access token is empty or contains characters that cannot be sent in a header",
                )
            })?)
        }
        Credentials::Source(source, name) => Some(TokenCache::new(source, name)),
    })
}

impl ClientBuilder {
    /// Adds an OAuth client (client-credentials grant) to use in turn with the others, for
    /// an organization that spreads its load over several OAuth clients: each token has its
    /// own rate limit, so each credential has its own rate budget. Calls take the
    /// credentials in turn, and skip one whose calls a `429` holds while another is free.
    ///
    /// ```
    /// use genesys_runtime::Client;
    /// let pool = Client::builder()
    ///     .client_credentials("first-client-id", "first-secret")
    ///     .add_client_credentials("second-client-id", "second-secret")
    ///     .build()?;
    /// assert_eq!(pool.rate_budgets().len(), 2);
    /// # Ok::<(), genesys_runtime::Error>(())
    /// ```
    pub fn add_client_credentials(
        self,
        client_id: impl Into<String>,
        secret: impl Into<ClientSecret>,
    ) -> Self {
        self.add_token_source(ClientCredentials::new(client_id, secret))
    }

    /// Adds a token source to use in turn with the other credentials: see
    /// [`add_client_credentials`](Self::add_client_credentials).
    pub fn add_token_source<S: TokenSource>(mut self, source: S) -> Self {
        self.more_credentials
            .push(Credentials::Source(Arc::new(source), type_label::<S>()));
        self
    }

    /// Adds an access token to use in turn with the other credentials: see
    /// [`add_client_credentials`](Self::add_client_credentials). A `401` on it is final.
    pub fn add_access_token(mut self, token: impl Into<AccessToken>) -> Self {
        self.more_credentials.push(Credentials::Fixed(token.into()));
        self
    }
}
