//! The OAuth grants built in as token sources: client credentials (a service acting as
//! itself) and the refresh-token grant (an app acting as a user who signed in with the
//! authorization-code or PKCE grant).

use std::fmt;
use std::sync::Mutex;

use super::oauth::{Login, TokenRequest};
use super::secret::{ClientSecret, RefreshToken};
use super::source::{Token, TokenFuture, TokenSource};

/// The client-credentials grant: `POST /oauth/token` with HTTP Basic `client_id:secret` and
/// `grant_type=client_credentials`. What [`ClientBuilder::client_credentials`] sets up.
///
/// [`ClientBuilder::client_credentials`]: crate::ClientBuilder::client_credentials
#[derive(Clone)]
pub struct ClientCredentials {
    client_id: String,
    secret: ClientSecret,
}

impl ClientCredentials {
    /// The grant for this OAuth client.
    pub fn new(client_id: impl Into<String>, secret: impl Into<ClientSecret>) -> Self {
        ClientCredentials {
            client_id: client_id.into(),
            secret: secret.into(),
        }
    }

    /// The OAuth client id.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }
}

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("client_id", &self.client_id)
            .field("secret", &self.secret)
            .finish()
    }
}

impl TokenSource for ClientCredentials {
    fn token<'a>(&'a self, login: Login<'a>) -> TokenFuture<'a> {
        Box::pin(async move {
            let request = TokenRequest::new("client_credentials", &self.client_id)
                .client_secret(&self.secret);
            Ok(login.request(request).await?.into())
        })
    }
}

/// The refresh-token grant, for an app acting as a user: after the user signed in (the
/// authorization-code or PKCE grant gave an access token and a refresh token), the client
/// uses the access token, and when it expires or the API refuses it, sends
/// `grant_type=refresh_token` for a new one. A rotated refresh token replaces the old one;
/// keep the grant in an `Arc` to read it back with [`refresh_token`](Self::refresh_token) and
/// store it.
///
/// ```
/// use std::sync::Arc;
/// use std::time::Duration;
/// use genesys_runtime::auth::{RefreshTokenGrant, Token};
/// use genesys_runtime::Client;
///
/// # fn main() -> genesys_runtime::Result<()> {
/// // What the authorization-code exchange returned.
/// let grant = Arc::new(
///     RefreshTokenGrant::new("my-client-id", "the-refresh-token")
///         .client_secret("my-client-secret")
///         .first_token(Token::new("the-access-token").expires_in(Duration::from_secs(86400))),
/// );
/// let client = Client::builder().token_source(grant.clone()).build()?;
/// // ... later, keep the (possibly rotated) refresh token for the next run:
/// let to_store = grant.refresh_token();
/// # let _ = (client, to_store); Ok(()) }
/// ```
pub struct RefreshTokenGrant {
    client_id: String,
    secret: Option<ClientSecret>,
    refresh_token: Mutex<RefreshToken>,
    first: Mutex<Option<Token>>,
}

impl RefreshTokenGrant {
    /// The grant for this OAuth client and refresh token. Without
    /// [`client_secret`](Self::client_secret), the client id is sent in the form, as a public
    /// (PKCE) client does.
    pub fn new(client_id: impl Into<String>, refresh_token: impl Into<RefreshToken>) -> Self {
        RefreshTokenGrant {
            client_id: client_id.into(),
            secret: None,
            refresh_token: Mutex::new(refresh_token.into()),
            first: Mutex::new(None),
        }
    }

    /// Authenticates the OAuth client with HTTP Basic `client_id:secret` (a confidential
    /// client, as with the authorization-code grant).
    #[must_use]
    pub fn client_secret(mut self, secret: impl Into<ClientSecret>) -> Self {
        self.secret = Some(secret.into());
        self
    }

    /// The access token the sign-in gave, used until it expires or is refused, so the first
    /// call needs no token request.
    #[must_use]
    pub fn first_token(self, token: Token) -> Self {
        *self.first.lock().unwrap_or_else(|e| e.into_inner()) = Some(token);
        self
    }

    /// The current refresh token: the one given, or the last one the server rotated to.
    pub fn refresh_token(&self) -> RefreshToken {
        self.refresh_token
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

impl fmt::Debug for RefreshTokenGrant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RefreshTokenGrant")
            .field("client_id", &self.client_id)
            .field("secret", &self.secret)
            .field("refresh_token", &self.refresh_token())
            .finish_non_exhaustive()
    }
}

impl TokenSource for RefreshTokenGrant {
    fn token<'a>(&'a self, login: Login<'a>) -> TokenFuture<'a> {
        Box::pin(async move {
            if let Some(first) = self.first.lock().unwrap_or_else(|e| e.into_inner()).take() {
                return Ok(first);
            }
            let current = self.refresh_token();
            let mut request = TokenRequest::new("refresh_token", &self.client_id)
                .secret_param("refresh_token", current.expose_secret());
            if let Some(secret) = &self.secret {
                request = request.client_secret(secret);
            }
            let issued = login.request(request).await?;
            if let Some(rotated) = issued.refresh_token() {
                *self.refresh_token.lock().unwrap_or_else(|e| e.into_inner()) = rotated.clone();
            }
            Ok(issued.into())
        })
    }
}
