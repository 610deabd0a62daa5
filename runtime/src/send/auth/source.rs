//! The public way to supply access tokens: [`TokenSource`], and the [`Token`] it returns.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use super::oauth::Login;
use super::secret::AccessToken;
use crate::error::Result;

/// The future a [`TokenSource`] returns.
pub type TokenFuture<'a> = Pin<Box<dyn Future<Output = Result<Token>> + Send + 'a>>;

/// Where a client's access tokens come from.
///
/// The client calls [`token`](Self::token) when it has no token yet, when the current one is
/// about to expire, and once after the API answered `401` (then it replays the call once). It
/// never calls it twice at the same time: concurrent calls wait for the one fetch and share
/// its token. Implement it to get tokens from a vault, another process, or an OAuth grant this
/// crate does not ship; [`Login::request`] sends a token request through the client's
/// retries, timeouts and body cap.
///
/// Built in: [`AccessToken`] (a fixed token), [`ClientCredentials`](super::ClientCredentials)
/// and [`RefreshTokenGrant`](super::RefreshTokenGrant).
///
/// ```
/// use genesys_runtime::auth::{Login, Token, TokenFuture, TokenSource};
/// use std::time::Duration;
///
/// /// Tokens handed out by another part of the program.
/// #[derive(Debug)]
/// struct FromVault;
///
/// impl TokenSource for FromVault {
///     fn token<'a>(&'a self, _login: Login<'a>) -> TokenFuture<'a> {
///         Box::pin(async {
///             let text = String::from("token-from-the-vault"); // read it here
///             Ok(Token::new(text).expires_in(Duration::from_secs(900)))
///         })
///     }
/// }
///
/// # fn main() -> genesys_runtime::Result<()> {
/// let client = genesys_runtime::Client::builder().token_source(FromVault).build()?;
/// # let _ = client; Ok(()) }
/// ```
pub trait TokenSource: fmt::Debug + Send + Sync + 'static {
    /// Fetches a new token. `login` reaches the client's OAuth token endpoint.
    fn token<'a>(&'a self, login: Login<'a>) -> TokenFuture<'a>;

    /// Whether asking again can give a different token. `false` makes a `401` final instead
    /// of renewing and replaying (a fixed token). Defaults to `true`.
    fn can_renew(&self) -> bool {
        true
    }
}

/// An access token and how long it stays valid.
#[derive(Clone, Debug)]
pub struct Token {
    pub(crate) access_token: AccessToken,
    pub(crate) lifetime: Option<Duration>,
}

impl Token {
    /// A token with no known expiry: used until the API answers `401`.
    pub fn new(access_token: impl Into<AccessToken>) -> Self {
        Token {
            access_token: access_token.into(),
            lifetime: None,
        }
    }

    /// The token expires this long from now; the client renews it shortly before (a tenth of
    /// the lifetime, between 1 second and 5 minutes, at most half of it). A lifetime under
    /// 1 second counts as 1 second, and one too large to represent as never expiring.
    #[must_use]
    pub fn expires_in(mut self, lifetime: Duration) -> Self {
        self.lifetime = Some(lifetime);
        self
    }

    /// The access token.
    pub fn access_token(&self) -> &AccessToken {
        &self.access_token
    }

    /// How long it was valid for when issued, if known.
    pub fn lifetime(&self) -> Option<Duration> {
        self.lifetime
    }
}

/// A fixed token: always the same, so a `401` is final.
impl TokenSource for AccessToken {
    fn token<'a>(&'a self, _login: Login<'a>) -> TokenFuture<'a> {
        let token = Token::new(self.clone());
        Box::pin(std::future::ready(Ok(token)))
    }

    fn can_renew(&self) -> bool {
        false
    }
}

/// A shared source, so that the program keeps a handle on it (to read a rotated refresh
/// token, for instance).
impl<T: TokenSource + ?Sized> TokenSource for Arc<T> {
    fn token<'a>(&'a self, login: Login<'a>) -> TokenFuture<'a> {
        (**self).token(login)
    }

    fn can_renew(&self) -> bool {
        (**self).can_renew()
    }
}
