//! Secrets (access tokens, client secrets, refresh tokens) that never show up in `Debug`,
//! errors or logs.

use std::fmt;
use std::sync::Arc;

use http::HeaderValue;

macro_rules! secret {
    ($(#[$meta:meta])* $name:ident, $what:literal) => {
        $(#[$meta])*
        #[derive(Clone, PartialEq, Eq)]
        pub struct $name(Arc<str>);

        impl $name {
            #[doc = concat!("Wraps ", $what, ".")]
            pub fn new(secret: impl Into<String>) -> Self {
                $name(Arc::from(secret.into()))
            }

            /// The secret text. Call this only where it must leave the program.
            pub fn expose_secret(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(concat!(stringify!($name), "(<redacted>)"))
            }
        }

        impl From<String> for $name {
            fn from(secret: String) -> Self {
                $name::new(secret)
            }
        }

        impl From<&str> for $name {
            fn from(secret: &str) -> Self {
                $name::new(secret)
            }
        }
    };
}

secret! {
    /// An OAuth access token. Its `Debug` output is redacted and it has no `Display`.
    ///
    /// ```
    /// # use genesys_runtime::AccessToken;
    /// let token = AccessToken::new("s3cr3t");
    /// assert_eq!(format!("{token:?}"), "AccessToken(<redacted>)");
    /// assert_eq!(token.expose_secret(), "s3cr3t");
    /// ```
    AccessToken, "a token string"
}

secret! {
    /// An OAuth client secret. Its `Debug` output is redacted and it has no `Display`.
    ///
    /// ```
    /// # use genesys_runtime::ClientSecret;
    /// let secret = ClientSecret::new("hunter2");
    /// assert_eq!(format!("{secret:?}"), "ClientSecret(<redacted>)");
    /// ```
    ClientSecret, "a client secret"
}

secret! {
    /// An OAuth refresh token (from the authorization-code or PKCE grant). Its `Debug` output
    /// is redacted and it has no `Display`.
    ///
    /// ```
    /// # use genesys_runtime::RefreshToken;
    /// let token = RefreshToken::new("r3fr3sh");
    /// assert_eq!(format!("{token:?}"), "RefreshToken(<redacted>)");
    /// ```
    RefreshToken, "a refresh token"
}

impl AccessToken {
    /// The `Authorization: Bearer …` header value, marked sensitive so that HTTP tooling
    /// does not print it; `None` for an empty token or one with characters a header cannot
    /// carry.
    pub(crate) fn bearer_header(&self) -> Option<HeaderValue> {
        if self.0.trim().is_empty() {
            return None;
        }
        let mut value = HeaderValue::try_from(format!("Bearer {}", self.0)).ok()?;
        value.set_sensitive(true);
        Some(value)
    }
}
