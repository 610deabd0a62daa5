//! Secrets (access tokens, client secrets) that never show up in `Debug`, errors or logs.

use std::fmt;
use std::sync::Arc;

use http::HeaderValue;

/// An OAuth access token. Its `Debug` output is redacted and it has no `Display`.
///
/// ```
/// # use genesys_runtime::AccessToken;
/// let token = AccessToken::new("s3cr3t");
/// assert_eq!(format!("{token:?}"), "AccessToken(<redacted>)");
/// assert_eq!(token.expose_secret(), "s3cr3t");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken(Arc<str>);

impl AccessToken {
    /// Wraps a token string.
    pub fn new(token: impl Into<String>) -> Self {
        AccessToken(Arc::from(token.into()))
    }

    /// The token text. Call this only where the token must leave the program.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }

    /// The `Authorization: Bearer …` header value, marked sensitive so that HTTP tooling
    /// does not print it.
    pub(crate) fn bearer_header(&self) -> Option<HeaderValue> {
        let mut value = HeaderValue::try_from(format!("Bearer {}", self.0)).ok()?;
        value.set_sensitive(true);
        Some(value)
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AccessToken(<redacted>)")
    }
}

impl From<String> for AccessToken {
    fn from(token: String) -> Self {
        AccessToken::new(token)
    }
}

impl From<&str> for AccessToken {
    fn from(token: &str) -> Self {
        AccessToken::new(token)
    }
}

/// An OAuth client secret. Its `Debug` output is redacted and it has no `Display`.
///
/// ```
/// # use genesys_runtime::ClientSecret;
/// let secret = ClientSecret::new("hunter2");
/// assert_eq!(format!("{secret:?}"), "ClientSecret(<redacted>)");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct ClientSecret(Arc<str>);

impl ClientSecret {
    /// Wraps a secret string.
    pub fn new(secret: impl Into<String>) -> Self {
        ClientSecret(Arc::from(secret.into()))
    }

    /// The secret text. Call this only where the secret must leave the program.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ClientSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ClientSecret(<redacted>)")
    }
}

impl From<String> for ClientSecret {
    fn from(secret: String) -> Self {
        ClientSecret::new(secret)
    }
}

impl From<&str> for ClientSecret {
    fn from(secret: &str) -> Self {
        ClientSecret::new(secret)
    }
}
