//! Errors where the server answered: a non-2xx status ([`ApiError`]), a 2xx body that does
//! not decode ([`DecodeError`]), and a refused or unusable login ([`AuthError`]).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use http::{HeaderMap, HeaderName, HeaderValue, StatusCode};

use super::text::{CODE_LIMIT, MESSAGE_LIMIT, OneLine};
use super::{Route, correlation_id};
use crate::ErrorBody;

/// The server answered with a status outside 2xx.
///
/// `Debug` and `Display` show the server's message bounded and on one line, and leave the
/// response headers out (they can carry cookies); [`headers`](Self::headers) has them all.
#[derive(Clone)]
pub struct ApiError {
    pub(crate) route: Route,
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Option<ErrorBody>,
    pub(crate) snippet: Option<String>,
    pub(crate) attempts: u32,
    pub(crate) retry_after: Option<Duration>,
}

impl ApiError {
    /// An API error as a server would give it, to test code that handles errors: add an
    /// [`ErrorBody`] and headers with the `with_` methods, and turn it into an [`Error`](crate::Error)
    /// with `.into()`.
    ///
    /// ```
    /// use genesys_runtime::{ApiError, Error, ErrorBody, Route, StatusCode, http::Method};
    /// let error: Error = ApiError::new(Route::new(Method::GET, "/api/v2/users/{userId}"), StatusCode::NOT_FOUND)
    ///     .with_body(ErrorBody::new().with_message("user not found").with_code("not.found"))
    ///     .with_header("inin-correlation-id", "corr-1")
    ///     .into();
    /// assert_eq!(error.correlation_id(), Some("corr-1"));
    /// assert_eq!(error.as_api().and_then(|e| e.code()), Some("not.found"));
    /// ```
    pub fn new(route: Route, status: StatusCode) -> Self {
        ApiError {
            route,
            status,
            headers: HeaderMap::new(),
            body: None,
            snippet: None,
            attempts: 1,
            retry_after: None,
        }
    }

    /// Sets the decoded [`ErrorBody`].
    #[must_use]
    pub fn with_body(mut self, body: ErrorBody) -> Self {
        self.body = Some(body);
        self
    }

    /// Adds a response header (`ININ-Correlation-Id`, `Retry-After`, ...). A name or value
    /// that is not a valid header is ignored.
    #[must_use]
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            self.headers.append(name, value);
        }
        self
    }

    /// Sets how many requests were sent.
    #[must_use]
    pub fn with_attempts(mut self, attempts: u32) -> Self {
        self.attempts = attempts;
        self
    }

    /// Sets the wait the server asked for.
    #[must_use]
    pub fn with_retry_after(mut self, wait: Duration) -> Self {
        self.retry_after = Some(wait);
        self
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The decoded [`ErrorBody`], when the body was one.
    pub fn body(&self) -> Option<&ErrorBody> {
        self.body.as_ref()
    }

    /// The error message from the [`ErrorBody`], when there is one (as the server sent it:
    /// bound it before logging it yourself; this error's `Display` does).
    pub fn message(&self) -> Option<&str> {
        self.body.as_ref()?.message.as_deref()
    }

    /// The machine-readable error code from the [`ErrorBody`], such as `bad.credentials`.
    pub fn code(&self) -> Option<&str> {
        self.body.as_ref()?.code.as_deref()
    }

    /// The `ININ-Correlation-Id` response header: quote it to Genesys support.
    pub fn correlation_id(&self) -> Option<&str> {
        correlation_id(&self.headers)
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The start of a body that was not an [`ErrorBody`] (at most 512 bytes, on one line),
    /// if any.
    pub fn body_snippet(&self) -> Option<&str> {
        self.snippet.as_deref()
    }

    /// The method and route template of the failed call.
    pub fn route(&self) -> &Route {
        &self.route
    }

    /// How many requests were sent before this answer was accepted as final.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The wait the server asked for with `Retry-After`, if it sent one.
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "API error {}", self.status)?;
        match (self.message(), &self.snippet) {
            (Some(message), _) => write!(f, ": {}", OneLine(message, MESSAGE_LIMIT))?,
            (None, Some(snippet)) => write!(f, ": unexpected body \"{snippet}\"")?,
            (None, None) => {}
        }
        if let Some(code) = self.code() {
            write!(f, " [{}]", OneLine(code, CODE_LIMIT))?;
        }
        write!(f, " from {}", self.route)?;
        if self.attempts > 1 {
            write!(f, " after {} attempts", self.attempts)?;
        }
        if let Some(wait) = self.retry_after {
            write!(f, "; the server asks to retry in {} s", wait.as_secs())?;
        }
        match self.correlation_id() {
            Some(id) => write!(f, " (correlation id {id})"),
            None => write!(f, " (no correlation id)"),
        }
    }
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let bounded = |text: Option<&str>, limit| text.map(|t| OneLine(t, limit).to_string());
        f.debug_struct("ApiError")
            .field("route", &self.route)
            .field("status", &self.status)
            .field("code", &bounded(self.code(), CODE_LIMIT))
            .field("message", &bounded(self.message(), MESSAGE_LIMIT))
            .field("snippet", &self.snippet)
            .field("correlation_id", &self.correlation_id())
            .field("attempts", &self.attempts)
            .field("retry_after", &self.retry_after)
            .finish_non_exhaustive()
    }
}

/// A 2xx body that could not be decoded into the declared type.
#[derive(Clone, Debug)]
pub struct DecodeError {
    pub(crate) route: Route,
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) type_name: &'static str,
    /// Whether the body was a listing's page of `type_name` items.
    pub(crate) page: bool,
    pub(crate) snippet: String,
    pub(crate) source: Arc<serde_json::Error>,
}

impl DecodeError {
    /// The Rust type the body was meant to become (for a listing's page: its items' type).
    pub fn type_name(&self) -> &'static str {
        self.type_name
    }

    /// Whether the body was a page of a listing (of [`type_name`](Self::type_name) items).
    pub fn is_page(&self) -> bool {
        self.page
    }

    /// The start of the body (at most 512 bytes, on one line).
    pub fn body_snippet(&self) -> &str {
        &self.snippet
    }

    /// The `ININ-Correlation-Id` response header.
    pub fn correlation_id(&self) -> Option<&str> {
        correlation_id(&self.headers)
    }

    /// The method and route template of the call.
    pub fn route(&self) -> &Route {
        &self.route
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (status, route, item) = (self.status, &self.route, self.type_name);
        if self.page {
            write!(
                f,
                "could not read the {status} response of {route} as a page of `{item}` "
            )?;
        } else {
            write!(
                f,
                "could not decode the {status} response of {route} as `{item}` "
            )?;
        }
        match self.source.line() {
            // Not a position in the body: what was wrong with it (a listing's looping cursor).
            0 => write!(f, "({})", self.source)?,
            line => write!(f, "(line {line}, column {})", self.source.column())?,
        }
        write!(
            f,
            "; body starts \"{}\"; the answer does not match the declared model: check the return type, or report it with the correlation id",
            self.snippet
        )?;
        match self.correlation_id() {
            Some(id) => write!(f, " (correlation id {id})"),
            None => Ok(()),
        }
    }
}

/// The OAuth token endpoint refused to issue a token, or issued one that cannot be used.
///
/// Every text in it is the server's, bounded, on one line, and with the request's secrets
/// (client secret, its Basic encoding, refresh token) replaced by `<redacted>`.
#[derive(Clone, Debug)]
pub struct AuthError {
    pub(crate) status: StatusCode,
    pub(crate) grant_type: String,
    pub(crate) error: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) correlation_id: Option<String>,
    pub(crate) snippet: Option<String>,
    pub(crate) attempts: u32,
    pub(crate) retry_after: Option<Duration>,
}

impl AuthError {
    /// The HTTP status of the token response.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The OAuth grant that was asked for, such as `client_credentials` or `refresh_token`.
    pub fn grant_type(&self) -> &str {
        &self.grant_type
    }

    /// The OAuth `error` code, such as `invalid_client` (or a Genesys `code`).
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// The OAuth `error_description` (or `description`, or a Genesys `message`).
    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }

    /// The `ININ-Correlation-Id` of the token response.
    pub fn correlation_id(&self) -> Option<&str> {
        self.correlation_id.as_deref()
    }

    /// The start of a body that was not an error document, if any.
    pub fn body_snippet(&self) -> Option<&str> {
        self.snippet.as_deref()
    }

    /// How many token requests were sent before this answer was accepted as final.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The wait the token endpoint asked for with `Retry-After`, if it sent one.
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }

    /// What to do next, by status and grant.
    fn hint(&self) -> Option<&'static str> {
        let refused = matches!(self.status.as_u16(), 400 | 401 | 403);
        Some(match self.grant_type.as_str() {
            _ if self.status.is_success() => "report it to Genesys support with the correlation id",
            _ if self.status == StatusCode::TOO_MANY_REQUESTS => {
                "the token endpoint is rate limited; retry later, and reuse one client so its token is shared"
            }
            _ if self.status.is_server_error() => "the login service failed; retry later",
            "client_credentials" if refused => {
                "check the OAuth client id and secret, and that the client uses the client-credentials grant in this region"
            }
            "refresh_token" if refused => {
                "the refresh token was refused (expired, revoked or issued to another client): sign the user in again"
            }
            _ if refused => "check the OAuth client and the grant it is allowed to use",
            _ => return None,
        })
    }
}

impl fmt::Display for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "login ({} grant) failed with {}",
            self.grant_type, self.status
        )?;
        if let Some(error) = &self.error {
            write!(f, ": {error}")?;
        }
        match (&self.description, &self.snippet) {
            (Some(description), _) => write!(f, " ({description})")?,
            (None, Some(snippet)) if self.error.is_none() => {
                write!(f, ": unexpected body \"{snippet}\"")?
            }
            _ => {}
        }
        if self.attempts > 1 {
            write!(f, " after {} attempts", self.attempts)?;
        }
        if let Some(wait) = self.retry_after {
            write!(f, "; the server asks to retry in {} s", wait.as_secs())?;
        }
        if let Some(hint) = self.hint() {
            write!(f, "; {hint}")?;
        }
        if let Some(id) = &self.correlation_id {
            write!(f, " (correlation id {id})")?;
        }
        Ok(())
    }
}
