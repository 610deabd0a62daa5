//! [`TokenSourceError`]: the client's token source could not supply a usable access token.

use std::fmt;
use std::sync::Arc;

use crate::send::layer::BoxError;

/// The client's [`TokenSource`](crate::auth::TokenSource) could not supply a usable access
/// token, so nothing was sent.
///
/// A token source of your own returns one for its own failures (a vault that is sealed, a
/// file that is missing), with your error as its [`source`](std::error::Error::source):
///
/// ```
/// use genesys_runtime::{Error, TokenSourceError};
///
/// #[derive(Debug)]
/// struct Sealed;
/// impl std::fmt::Display for Sealed {
///     fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
///         f.write_str("the vault is sealed")
///     }
/// }
/// impl std::error::Error for Sealed {}
///
/// let error: Error = TokenSourceError::new(Sealed).into();
/// assert!(error.to_string().starts_with("the token source could not supply an access token"));
/// assert_eq!(std::error::Error::source(&error).unwrap().to_string(), "the vault is sealed");
/// ```
///
/// The client names the source by its type (never by its `Debug`, which may hold secrets):
/// once the error has passed through the client, [`token_source`](Self::token_source) is
/// `Some("MyVault")`. Every call that was waiting for the same token fetch gets this error,
/// and so do the calls made within a second after it (the fetch is not repeated for each).
#[derive(Clone)]
pub struct TokenSourceError {
    pub(crate) token_source: Option<&'static str>,
    pub(crate) reason: Reason,
}

#[derive(Clone)]
pub(crate) enum Reason {
    /// The source returned this error.
    Failed(Arc<dyn std::error::Error + Send + Sync>),
    /// The token is empty, or cannot be sent in a header.
    Unusable,
    /// The source panicked while fetching.
    Panicked,
}

impl TokenSourceError {
    /// The error a token source returns for a failure of its own, with `source` as its
    /// cause.
    pub fn new(source: impl Into<BoxError>) -> Self {
        TokenSourceError {
            token_source: None,
            reason: Reason::Failed(Arc::from(source.into())),
        }
    }

    pub(crate) fn unusable(token_source: &'static str) -> Self {
        TokenSourceError {
            token_source: Some(token_source),
            reason: Reason::Unusable,
        }
    }

    pub(crate) fn panicked(token_source: &'static str) -> Self {
        TokenSourceError {
            token_source: Some(token_source),
            reason: Reason::Panicked,
        }
    }

    /// The type of the client's token source (such as `MyVault` or `RefreshTokenGrant`), once
    /// the error has passed through the client.
    pub fn token_source(&self) -> Option<&'static str> {
        self.token_source
    }

    /// Whether the source supplied a token that cannot be used: empty, or with characters a
    /// header cannot carry (line breaks, control characters).
    pub fn is_unusable_token(&self) -> bool {
        matches!(self.reason, Reason::Unusable)
    }

    /// Whether the source panicked while fetching a token (the panic was contained: the
    /// client and its other calls go on).
    pub fn is_panic(&self) -> bool {
        matches!(self.reason, Reason::Panicked)
    }

    pub(crate) fn source_ref(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.reason {
            Reason::Failed(source) => Some(&**source as _),
            Reason::Unusable | Reason::Panicked => None,
        }
    }
}

impl fmt::Display for TokenSourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.token_source {
            Some(name) => write!(f, "the token source `{name}`")?,
            None => f.write_str("the token source")?,
        }
        // The source's own text is its `source()`, not repeated here.
        match self.reason {
            Reason::Failed(_) => f.write_str(
                " could not supply an access token (the error's source says why); nothing was sent: check what the source reads its tokens from (a vault, a file, another service)",
            ),
            Reason::Unusable => f.write_str(
                " supplied an access token that is empty or has characters a header cannot carry (line breaks, control characters); nothing was sent: fix what the source returns",
            ),
            Reason::Panicked => f.write_str(
                " panicked while fetching an access token; nothing was sent: fix the source (the panic message went to the panic hook)",
            ),
        }
    }
}

impl fmt::Debug for TokenSourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("TokenSourceError");
        debug.field("token_source", &self.token_source);
        match &self.reason {
            Reason::Failed(source) => debug.field("source", source),
            Reason::Unusable => debug.field("reason", &"unusable token"),
            Reason::Panicked => debug.field("reason", &"panicked"),
        };
        debug.finish()
    }
}

impl std::error::Error for TokenSourceError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source_ref()
    }
}
