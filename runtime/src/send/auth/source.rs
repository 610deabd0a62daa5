//! The public way to supply access tokens: [`TokenSource`], and the [`Token`] it returns.

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
/// about to expire, and once after the API answered `401` (then it replays the call once).
///
/// # One fetch for all callers, bounded for each
///
/// The client never runs two fetches at once: the calls that need a token while one is being
/// fetched wait for it and all get its outcome, the token or the error (a failure is not
/// repeated once per waiting call, and for a second after it, new calls get the same error
/// instead of asking again). Each call waits no longer than its own bound: the attempt's
/// timeout (the call's `timeout` option, the endpoint's declared `timeout`, or the client's
/// `request_timeout`) and the call's `deadline`; then it fails with an
/// [`Error::Timeout`](crate::Error::Timeout) naming the source. The fetch runs as its own
/// Tokio task, so a caller that leaves does not cancel it for the others; when every caller
/// waiting for it has left, it is cancelled. A renewal that fails while the current token is
/// still valid leaves the calls using it. A panic in the source is contained: the waiting
/// calls get an [`Error::TokenSource`](crate::Error::TokenSource).
///
/// # Writing one
///
/// Implement it to get tokens from a vault, another process, or an OAuth grant this crate
/// does not ship; [`Login::request`] sends a token request through the client's retries,
/// timeouts and body cap. Report a failure of your own with
/// [`TokenSourceError::new`](crate::TokenSourceError::new). The client names your source by
/// its type in messages and in its `Debug`, never by the source's own `Debug`, so a source
/// may hold secrets and needs no `Debug` at all.
///
/// Built in: [`AccessToken`] (a fixed token), [`ClientCredentials`](super::ClientCredentials)
/// and [`RefreshTokenGrant`](super::RefreshTokenGrant).
///
/// ```
/// use genesys_runtime::auth::{Login, Token, TokenFuture, TokenSource};
/// use genesys_runtime::TokenSourceError;
/// use std::time::Duration;
///
/// /// Tokens handed out by a vault; the password must never be printed.
/// struct FromVault { password: String }
///
/// impl TokenSource for FromVault {
///     fn token<'a>(&'a self, _login: Login<'a>) -> TokenFuture<'a> {
///         Box::pin(async move {
///             if self.password.is_empty() {
///                 let sealed = std::io::Error::other("the vault is sealed");
///                 return Err(TokenSourceError::new(sealed).into());
///             }
///             let text = String::from("token-from-the-vault"); // read it here
///             Ok(Token::new(text).expires_in(Duration::from_secs(900)))
///         })
///     }
/// }
///
/// # fn main() -> genesys_runtime::Result<()> {
/// let source = FromVault { password: "hunter2".into() };
/// let client = genesys_runtime::Client::builder().token_source(source).build()?;
/// assert!(!format!("{client:?}").contains("hunter2"));
/// assert!(format!("{client:?}").contains("FromVault"));
/// # Ok(()) }
/// ```
pub trait TokenSource: Send + Sync + 'static {
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

/// How messages name a token source of type `S`: the type's own name, without its module
/// path, looking through `Arc` and `Box` (`alloc::sync::Arc<app::vault::Vault>` is `Vault`);
/// a generic type keeps its full name.
pub(crate) fn type_label<S: ?Sized>() -> &'static str {
    let mut name = std::any::type_name::<S>();
    for wrapper in ["alloc::sync::Arc<", "alloc::boxed::Box<"] {
        if let Some(inner) = name.strip_prefix(wrapper).and_then(|n| n.strip_suffix('>')) {
            name = inner;
        }
    }
    if name.contains('<') {
        return name;
    }
    name.rsplit("::").next().unwrap_or(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Vault;

    #[test]
    fn sources_are_named_by_their_type() {
        assert_eq!(type_label::<Vault>(), "Vault");
        assert_eq!(type_label::<Arc<Vault>>(), "Vault");
        assert_eq!(type_label::<Box<Vault>>(), "Vault");
        assert_eq!(
            type_label::<super::super::ClientCredentials>(),
            "ClientCredentials"
        );
        assert_eq!(type_label::<dyn TokenSource>(), "TokenSource");
        assert!(type_label::<Option<Vault>>().starts_with("core::option::Option<"));
    }
}
