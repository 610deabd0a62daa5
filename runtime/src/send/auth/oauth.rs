//! The OAuth token request (`POST <login URL>/oauth/token`), sent through the same send loop
//! as every call: retried (it is safe to repeat), bounded by the client's timeouts and body
//! cap, and answered with a typed [`AuthError`] whose text is bounded and free of secrets.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use bytes::Bytes;
use http::{HeaderMap, HeaderValue, Method, header};
use percent_encoding::utf8_percent_encode;
use serde::Deserialize;
use tracing::Instrument;

use super::secret::{AccessToken, ClientSecret, RefreshToken};
use super::source::Token;
use crate::client::ClientInner;
use crate::error::text::{CODE_LIMIT, MESSAGE_LIMIT, one_line, scrub, snippet};
use crate::error::{AuthError, Error, Result};
use crate::request::COMPONENT;
use crate::request::endpoint::{Endpoint, RetryRule};
use crate::send::call::{self, Answer, Call};

/// The path of the OAuth token endpoint, under the login URL.
pub const TOKEN_PATH: &str = "/oauth/token";

/// The token request, as an endpoint: safe to repeat (a repeated token request only issues
/// another token), so 502–504 and lost connections are retried like for a GET.
static TOKEN_ENDPOINT: Endpoint =
    Endpoint::new("oauth_token", Method::POST, TOKEN_PATH).retry(RetryRule::Safe);

/// The lifetime of a token whose response gives no usable `expires_in` (missing, zero,
/// negative or not a number): one hour, renewed early anyway if the API answers `401`.
const DEFAULT_LIFETIME: Duration = Duration::from_secs(3600);

/// The longest lifetime believed from a token response: 30 days.
const MAX_LIFETIME: Duration = Duration::from_secs(30 * 24 * 3600);

const FORM: HeaderValue = HeaderValue::from_static("application/x-www-form-urlencoded");

/// What a [`TokenSource`](super::TokenSource) is given to reach the client's OAuth token
/// endpoint: the login URL the client was configured with (see
/// [`ClientBuilder`](crate::ClientBuilder) for which one that is).
#[derive(Clone, Copy)]
pub struct Login<'a> {
    pub(crate) inner: &'a Arc<ClientInner>,
}

impl fmt::Debug for Login<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Login")
            .field("token_url", &self.token_url())
            .finish()
    }
}

impl<'a> Login<'a> {
    /// The token endpoint, such as `https://login.mypurecloud.com/oauth/token`.
    pub fn token_url(&self) -> &'a str {
        &self.inner.token_url
    }

    /// Sends `request` to the token endpoint with the client's retries (429, 502–504 and lost
    /// connections, `Retry-After` honoured), timeouts and body cap.
    ///
    /// A refusal is [`Error::Auth`] with the OAuth `error` and `error_description` (or a
    /// Genesys `code` and `message`), bounded, on one line, without the request's secrets; a
    /// timeout is [`Error::Timeout`]; a body over the cap is [`Error::BodyTooLarge`].
    pub async fn request(self, request: TokenRequest<'_>) -> Result<IssuedToken> {
        let span = call::span(&TOKEN_ENDPOINT);
        let traced = !span.is_disabled();
        let mut headers = HeaderMap::new();
        if let Some(authorization) = request.authorization() {
            headers.insert(header::AUTHORIZATION, authorization);
        }
        let secrets = request.secrets();
        let mut call = Call {
            inner: self.inner,
            endpoint: &TOKEN_ENDPOINT,
            // The call's options are for the API call that needed the token, not for this.
            options: None,
            url: self.inner.token_wire_url.clone(),
            headers: Some(headers),
            body: Some((Bytes::from(request.form()), FORM)),
            refused: None,
            authenticate: false,
            streamed: false,
            secrets,
            waiting_for_token: false,
            member: 0,
            rate_wait: (Duration::ZERO, Duration::ZERO),
        };
        let answer = call.run(traced, None).instrument(span).await?;
        let secrets: Vec<&str> = call.secrets.iter().map(|s| &**s).collect();
        issued_token(answer, request.grant_type, &secrets)
    }
}

/// One request to the OAuth token endpoint: a grant, the client, and the grant's parameters.
///
/// ```
/// use genesys_runtime::auth::TokenRequest;
/// use genesys_runtime::ClientSecret;
/// let secret = ClientSecret::new("client-secret");
/// let request = TokenRequest::new("urn:ietf:params:oauth:grant-type:saml2-bearer", "client-id")
///     .client_secret(&secret)
///     .secret_param("assertion", "PHNhbWw+...")
///     .param("orgName", "my-org");
/// # let _ = request;
/// ```
#[derive(Debug)]
#[must_use = "a token request does nothing until it is sent with `Login::request`"]
pub struct TokenRequest<'a> {
    grant_type: &'a str,
    client_id: &'a str,
    client_secret: Option<&'a ClientSecret>,
    params: Vec<(&'a str, Param<'a>)>,
}

#[derive(Debug)]
enum Param<'a> {
    Plain(&'a str),
    /// Kept out of `Debug` and scrubbed from error text.
    Secret(Redacted<'a>),
}

struct Redacted<'a>(&'a str);

impl fmt::Debug for Redacted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl<'a> TokenRequest<'a> {
    /// A request for `grant_type` by the OAuth client `client_id` (sent in the form when the
    /// client has no secret, as a public client does).
    pub fn new(grant_type: &'a str, client_id: &'a str) -> Self {
        TokenRequest {
            grant_type,
            client_id,
            client_secret: None,
            params: Vec::new(),
        }
    }

    /// Authenticates the client with HTTP Basic `client_id:secret`.
    pub fn client_secret(mut self, secret: &'a ClientSecret) -> Self {
        self.client_secret = Some(secret);
        self
    }

    /// Adds a form parameter.
    pub fn param(mut self, name: &'a str, value: &'a str) -> Self {
        self.params.push((name, Param::Plain(value)));
        self
    }

    /// Adds a form parameter that is a secret (a refresh token, an assertion): it is never
    /// shown, and a server that echoes it back has it replaced by `<redacted>` in errors.
    pub fn secret_param(mut self, name: &'a str, value: &'a str) -> Self {
        self.params.push((name, Param::Secret(Redacted(value))));
        self
    }

    /// The grant type.
    pub fn grant_type(&self) -> &str {
        self.grant_type
    }

    fn basic_credentials(&self) -> Option<String> {
        let secret = self.client_secret?;
        let pair = format!("{}:{}", self.client_id, secret.expose_secret());
        Some(base64::engine::general_purpose::STANDARD.encode(pair))
    }

    fn authorization(&self) -> Option<HeaderValue> {
        let mut value =
            HeaderValue::try_from(format!("Basic {}", self.basic_credentials()?)).ok()?;
        value.set_sensitive(true);
        Some(value)
    }

    /// `grant_type=...&client_id=...&name=value`, form-encoded.
    fn form(&self) -> String {
        let mut form = String::new();
        let mut add = |name: &str, value: &str| {
            if !form.is_empty() {
                form.push('&');
            }
            form.extend(utf8_percent_encode(name, COMPONENT));
            form.push('=');
            form.extend(utf8_percent_encode(value, COMPONENT));
        };
        add("grant_type", self.grant_type);
        if self.client_secret.is_none() {
            add("client_id", self.client_id);
        }
        for (name, value) in &self.params {
            match value {
                Param::Plain(value) | Param::Secret(Redacted(value)) => add(name, value),
            }
        }
        form
    }

    /// Everything a server could echo that must not reach an error: the client secret, its
    /// Basic encoding, and each secret parameter as given and as form-encoded.
    fn secrets(&self) -> Vec<Box<str>> {
        let mut secrets: Vec<Box<str>> = Vec::new();
        if let Some(secret) = self.client_secret {
            secrets.push(secret.expose_secret().into());
        }
        secrets.extend(self.basic_credentials().map(String::into_boxed_str));
        for (_, value) in &self.params {
            if let Param::Secret(Redacted(value)) = value {
                secrets.push((*value).into());
                secrets.push(utf8_percent_encode(value, COMPONENT).to_string().into());
            }
        }
        secrets.retain(|s| !s.is_empty());
        secrets
    }
}

/// A token the token endpoint issued.
#[derive(Clone, Debug)]
pub struct IssuedToken {
    access_token: AccessToken,
    refresh_token: Option<RefreshToken>,
    expires_in: Duration,
}

impl IssuedToken {
    /// The access token.
    pub fn access_token(&self) -> &AccessToken {
        &self.access_token
    }

    /// The refresh token, when the grant issues one (the authorization-code and refresh
    /// grants).
    pub fn refresh_token(&self) -> Option<&RefreshToken> {
        self.refresh_token.as_ref()
    }

    /// The lifetime the server gave, between 1 second and 30 days; one hour when it gave
    /// none that is usable.
    pub fn expires_in(&self) -> Duration {
        self.expires_in
    }
}

impl From<IssuedToken> for Token {
    fn from(issued: IssuedToken) -> Token {
        Token::new(issued.access_token).expires_in(issued.expires_in)
    }
}

#[derive(Deserialize)]
struct TokenResponse {
    #[serde(default)]
    access_token: Option<String>,
    #[serde(default)]
    refresh_token: Option<String>,
    #[serde(default)]
    expires_in: Option<serde_json::Value>,
}

/// An OAuth error document (`error`, `error_description`, sometimes `description`) or a
/// Genesys `ErrorBody` (`code`, `message`), whichever the server sent.
#[derive(Deserialize, Default)]
struct TokenErrorBody {
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    error_description: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    message: Option<String>,
}

/// The lifetime an `expires_in` value gives: seconds as an integer, a float or a numeric
/// string, between 1 second and [`MAX_LIFETIME`]; [`DEFAULT_LIFETIME`] for anything else.
fn lifetime(expires_in: Option<&serde_json::Value>) -> Duration {
    let seconds = match expires_in {
        Some(serde_json::Value::Number(n)) => n.as_f64(),
        Some(serde_json::Value::String(s)) => s.trim().parse::<f64>().ok(),
        _ => None,
    };
    match seconds {
        Some(s) if s.is_finite() && s > 0.0 => {
            Duration::from_secs_f64(s.clamp(1.0, MAX_LIFETIME.as_secs_f64()))
        }
        _ => DEFAULT_LIFETIME,
    }
}

/// The token in a final answer, or the [`AuthError`] it amounts to.
fn issued_token(answer: Answer, grant_type: &str, secrets: &[&str]) -> Result<IssuedToken> {
    if !answer.status.is_success() {
        let parsed: TokenErrorBody = serde_json::from_slice(&answer.body).unwrap_or_default();
        let error = parsed.error.or(parsed.code);
        let description = parsed
            .error_description
            .or(parsed.description)
            .or(parsed.message);
        let snippet = (error.is_none() && description.is_none() && !answer.body.is_empty())
            .then(|| snippet(&answer.body));
        return Err(auth_error(&answer, grant_type, error, description, snippet));
    }
    let unusable = |what: &str| {
        // A 2xx body was not scrubbed on the way in: it should hold the token, not an echo.
        let body = scrub(answer.body.clone(), secrets);
        let shown = (!body.is_empty()).then(|| snippet(&body));
        Err(auth_error(
            &answer,
            grant_type,
            None,
            Some(what.to_owned()),
            shown,
        ))
    };
    let Ok(parsed) = serde_json::from_slice::<TokenResponse>(&answer.body) else {
        return unusable("the token response is not a JSON object with an `access_token`");
    };
    let Some(access_token) = parsed.access_token.filter(|t| !t.is_empty()) else {
        return unusable("the token response has no `access_token`");
    };
    let access_token = AccessToken::new(access_token);
    if access_token.bearer_header().is_none() {
        return unusable("the issued token cannot be sent in a header");
    }
    let expires_in = lifetime(parsed.expires_in.as_ref());
    Ok(IssuedToken {
        access_token,
        refresh_token: parsed
            .refresh_token
            .filter(|t| !t.is_empty())
            .map(RefreshToken::new),
        expires_in,
    })
}

fn auth_error(
    answer: &Answer,
    grant_type: &str,
    error: Option<String>,
    description: Option<String>,
    snippet: Option<String>,
) -> Error {
    Error::Auth(Box::new(AuthError {
        status: answer.status,
        grant_type: one_line(grant_type, CODE_LIMIT),
        error: error.map(|e| one_line(&e, CODE_LIMIT)),
        description: description.map(|d| one_line(&d, MESSAGE_LIMIT)),
        correlation_id: crate::error::correlation_id(&answer.headers).map(str::to_owned),
        snippet,
        attempts: answer.attempts,
        retry_after: answer.retry_after,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn expires_in_in_every_form_is_bounded() {
        let of = |v: serde_json::Value| lifetime(Some(&v));
        assert_eq!(of(json!(3600)), Duration::from_secs(3600));
        assert_eq!(of(json!(3600.0)), Duration::from_secs(3600));
        assert_eq!(of(json!("86400")), Duration::from_secs(86400));
        assert_eq!(of(json!(0.25)), Duration::from_secs(1));
        assert_eq!(of(json!(u64::MAX)), MAX_LIFETIME);
        assert_eq!(of(json!(9.3e18)), MAX_LIFETIME);
        assert_eq!(of(json!(1e308)), MAX_LIFETIME);
        for unusable in [json!(0), json!(-5), json!("soon"), json!(null), json!([1])] {
            assert_eq!(of(unusable), DEFAULT_LIFETIME);
        }
        assert_eq!(lifetime(None), DEFAULT_LIFETIME);
    }

    #[test]
    fn the_form_is_encoded_and_secrets_are_collected() {
        let secret = ClientSecret::new("s3cr3t");
        let request = TokenRequest::new("refresh_token", "client-1")
            .client_secret(&secret)
            .secret_param("refresh_token", "r/t+1");
        assert_eq!(
            request.form(),
            "grant_type=refresh_token&refresh_token=r%2Ft%2B1"
        );
        let secrets = request.secrets();
        for expected in ["s3cr3t", "Y2xpZW50LTE6czNjcjN0", "r/t+1", "r%2Ft%2B1"] {
            assert!(secrets.iter().any(|s| &**s == expected), "{expected}");
        }
        assert!(!format!("{request:?}").contains("r/t+1"));

        let public = TokenRequest::new("refresh_token", "public client");
        assert_eq!(
            public.form(),
            "grant_type=refresh_token&client_id=public%20client"
        );
        assert!(public.authorization().is_none());
    }
}
