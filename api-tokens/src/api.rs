//! The Tokens API group, declared: six endpoints, one line of request description each.

use genesys_runtime::{Api, Result, api, endpoint};

use crate::models::{IdleTokenTimeout, TokenInfo};

/// The Genesys Cloud Tokens API (`/api/v2/tokens`): inspect, verify and revoke tokens, and
/// manage the organization's idle token timeout.
///
/// Implemented for every [`Api`], so a [`Client`](genesys_runtime::Client) has these methods
/// once the trait is in scope. Its route table is [`TOKENS_API`].
#[api]
pub trait TokensApi: Api {
    /// Delete all auth tokens for the specified user.
    ///
    /// Requires the `oauth:token:delete` permission. An empty `user_id` is refused before
    /// anything is sent; any other id is sent as one encoded path segment.
    #[endpoint(method = "DELETE", path = "/api/v2/tokens/{userId}")]
    async fn delete_token(&self, user_id: &str) -> Result<()>;

    /// Delete auth token used to make the request.
    #[endpoint(method = "DELETE", path = "/api/v2/tokens/me")]
    async fn delete_tokens_me(&self) -> Result<()>;

    /// Fetch information about the current token.
    ///
    /// `preserve_idle_ttl`: when `Some(true)`, the token's idle timer is not reset by this
    /// call; when unset or `false`, it is.
    #[endpoint(method = "GET", path = "/api/v2/tokens/me")]
    async fn get_tokens_me(
        &self,
        #[query(name = "preserveIdleTTL")] preserve_idle_ttl: Option<bool>,
    ) -> Result<TokenInfo>;

    /// Get the current Idle Token Timeout Value.
    #[endpoint(method = "GET", path = "/api/v2/tokens/timeout")]
    async fn get_tokens_timeout(&self) -> Result<IdleTokenTimeout>;

    /// Verify user token: succeeds when the token is valid, fails with a 401 API error when
    /// it is not.
    #[endpoint(method = "HEAD", path = "/api/v2/tokens/me")]
    async fn head_tokens_me(&self) -> Result<()>;

    /// Update or Enable/Disable the Idle Token Timeout.
    ///
    /// Requires the `directory:organization:admin` permission. `None` sends no body.
    #[endpoint(method = "PUT", path = "/api/v2/tokens/timeout")]
    async fn put_tokens_timeout(
        &self,
        #[body] body: Option<&IdleTokenTimeout>,
    ) -> Result<IdleTokenTimeout>;
}

impl<T: Api + ?Sized> TokensApi for T {}
