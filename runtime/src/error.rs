//! The one error type every call returns, and its parts.
//!
//! [`Error`] is an enum of boxed parts so that `Result<T>` stays two words wide. Every part
//! says which call failed (method and route template, never the filled path, which can hold
//! personal data) and, where the server answered, the `ININ-Correlation-Id` that Genesys
//! support asks for.

use std::fmt;
use std::time::Duration;

use http::{HeaderMap, Method, StatusCode};

use crate::ErrorBody;

/// `Result` with this crate's [`Error`] as the default error type.
pub type Result<T, E = Error> = core::result::Result<T, E>;

/// The name of the header that identifies a request to Genesys support.
pub const CORRELATION_ID_HEADER: &str = "inin-correlation-id";

/// How many bytes of an unexpected body an error keeps, at most.
pub(crate) const SNIPPET_LIMIT: usize = 512;

/// Everything that can go wrong when calling a Genesys Cloud endpoint.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The server answered with a status outside 2xx.
    Api(Box<ApiError>),
    /// The server answered 2xx, but the body is not what the endpoint declares.
    Decode(Box<DecodeError>),
    /// The request could not be sent or the response could not be read (DNS, TCP, TLS, I/O).
    Transport(Box<TransportError>),
    /// The server did not answer in time.
    Timeout(Box<TimeoutError>),
    /// An argument was refused before anything was sent.
    InvalidArgument(Box<InvalidArgument>),
    /// The client is configured in a way that cannot work.
    Config(Box<ConfigError>),
    /// The response body was larger than the configured cap.
    BodyTooLarge(Box<BodyTooLarge>),
    /// The OAuth token endpoint refused to issue a token.
    Auth(Box<AuthError>),
}

impl Error {
    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::Decode(e) => Some(e.status),
            Error::Auth(e) => Some(e.status),
            Error::BodyTooLarge(e) => Some(e.status),
            _ => None,
        }
    }

    /// The `ININ-Correlation-Id` of the response, when the server sent one.
    pub fn correlation_id(&self) -> Option<&str> {
        match self {
            Error::Api(e) => e.correlation_id(),
            Error::Decode(e) => e.correlation_id(),
            Error::Auth(e) => e.correlation_id(),
            _ => None,
        }
    }

    /// The API error, when the server answered with a non-2xx status.
    pub fn as_api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }

    pub(crate) fn invalid_argument(argument: &'static str, reason: impl Into<String>) -> Self {
        Error::InvalidArgument(Box::new(InvalidArgument {
            argument,
            reason: reason.into(),
        }))
    }

    pub(crate) fn config(message: impl Into<String>) -> Self {
        Error::Config(Box::new(ConfigError {
            message: message.into(),
            source: None,
        }))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(e) => e.fmt(f),
            Error::Decode(e) => e.fmt(f),
            Error::Transport(e) => e.fmt(f),
            Error::Timeout(e) => e.fmt(f),
            Error::InvalidArgument(e) => e.fmt(f),
            Error::Config(e) => e.fmt(f),
            Error::BodyTooLarge(e) => e.fmt(f),
            Error::Auth(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(e) => Some(&e.source),
            Error::Config(e) => e.source.as_deref().map(|s| s as _),
            Error::Decode(e) => Some(&e.source),
            _ => None,
        }
    }
}

/// Which call an error belongs to: the HTTP method and the route template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Route {
    /// The HTTP method.
    pub method: Method,
    /// The declared path template, such as `/api/v2/tokens/{userId}`.
    pub template: &'static str,
}

impl fmt::Display for Route {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.template)
    }
}

/// The server answered with a status outside 2xx.
#[derive(Debug)]
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
    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The decoded [`ErrorBody`], when the body was one.
    pub fn body(&self) -> Option<&ErrorBody> {
        self.body.as_ref()
    }

    /// The error message from the [`ErrorBody`], when there is one.
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

    /// The start of a body that was not an [`ErrorBody`] (at most 512 bytes), if any.
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
            (Some(message), _) => write!(f, ": {message}")?,
            (None, Some(snippet)) => write!(f, ": unexpected body {snippet:?}")?,
            (None, None) => {}
        }
        if let Some(code) = self.code() {
            write!(f, " [{code}]")?;
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

/// A 2xx body that could not be decoded into the declared type.
#[derive(Debug)]
pub struct DecodeError {
    pub(crate) route: Route,
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) type_name: &'static str,
    pub(crate) snippet: String,
    pub(crate) source: serde_json::Error,
}

impl DecodeError {
    /// The Rust type the body was meant to become.
    pub fn type_name(&self) -> &'static str {
        self.type_name
    }

    /// The start of the body (at most 512 bytes).
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
        write!(
            f,
            "could not decode the {} response of {} as `{}`: {}; body starts {:?}; the answer does not match the declared model: check the return type, or report it with the correlation id",
            self.status, self.route, self.type_name, self.source, self.snippet
        )?;
        match self.correlation_id() {
            Some(id) => write!(f, " (correlation id {id})"),
            None => Ok(()),
        }
    }
}

/// The request could not be sent, or the response could not be read.
#[derive(Debug)]
pub struct TransportError {
    pub(crate) route: Route,
    pub(crate) source: reqwest::Error,
}

impl TransportError {
    /// The method and route template of the call.
    pub fn route(&self) -> &Route {
        &self.route
    }

    /// Whether the failure happened while connecting (nothing reached the server).
    pub fn is_connect(&self) -> bool {
        self.source.is_connect()
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = if self.source.is_connect() {
            "could not connect for"
        } else {
            "transport failure during"
        };
        // reqwest's own Display includes the URL, which can carry personal data; the source
        // chain still has it for those who ask.
        write!(
            f,
            "{what} {}: check the network and the base URL",
            self.route
        )
    }
}

/// The server did not answer within a timeout.
#[derive(Debug)]
pub struct TimeoutError {
    pub(crate) route: Route,
    pub(crate) timeout: Duration,
}

impl TimeoutError {
    /// The method and route template of the call.
    pub fn route(&self) -> &Route {
        &self.route
    }

    /// The timeout that expired.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }
}

impl fmt::Display for TimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} timed out after {:?}; check the network, or raise the client's `connect_timeout` or `request_timeout` if the endpoint is slow",
            self.route, self.timeout
        )
    }
}

/// An argument refused before any request was sent.
#[derive(Debug)]
pub struct InvalidArgument {
    pub(crate) argument: &'static str,
    pub(crate) reason: String,
}

impl InvalidArgument {
    /// The wire name of the refused argument (such as `userId`).
    pub fn argument(&self) -> &str {
        self.argument
    }

    /// Why it was refused.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

impl fmt::Display for InvalidArgument {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid argument `{}`: {}; nothing was sent",
            self.argument, self.reason
        )
    }
}

/// A client configuration that cannot work.
#[derive(Debug)]
pub struct ConfigError {
    pub(crate) message: String,
    pub(crate) source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl ConfigError {
    /// What is wrong and how to fix it.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid client configuration: {}", self.message)
    }
}

/// A response body larger than the configured cap.
#[derive(Debug)]
pub struct BodyTooLarge {
    pub(crate) route: Route,
    pub(crate) status: StatusCode,
    pub(crate) limit: usize,
}

impl BodyTooLarge {
    /// The cap, in bytes.
    pub fn limit(&self) -> usize {
        self.limit
    }

    /// The method and route template of the call.
    pub fn route(&self) -> &Route {
        &self.route
    }
}

impl fmt::Display for BodyTooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the {} response of {} is larger than the {} byte cap; raise `max_response_bytes` if this is expected",
            self.status, self.route, self.limit
        )
    }
}

/// The OAuth token endpoint refused to issue a token (client-credentials login).
#[derive(Debug)]
pub struct AuthError {
    pub(crate) status: StatusCode,
    pub(crate) error: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) correlation_id: Option<String>,
    pub(crate) snippet: Option<String>,
}

impl AuthError {
    /// The HTTP status of the token response.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The OAuth `error` code, such as `invalid_client`.
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// The OAuth `error_description` (or `description`).
    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }

    /// The `ININ-Correlation-Id` of the token response.
    pub fn correlation_id(&self) -> Option<&str> {
        self.correlation_id.as_deref()
    }

    /// The start of a body that was not an OAuth error document, if any.
    pub fn body_snippet(&self) -> Option<&str> {
        self.snippet.as_deref()
    }
}

impl fmt::Display for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "login failed with {}", self.status)?;
        if let Some(error) = &self.error {
            write!(f, ": {error}")?;
        }
        if let Some(description) = &self.description {
            write!(f, " ({description})")?;
        }
        if self.status == StatusCode::UNAUTHORIZED || self.status == StatusCode::BAD_REQUEST {
            write!(
                f,
                "; check the OAuth client id and secret, and that the client uses the client-credentials grant in this region"
            )?;
        }
        if let Some(id) = &self.correlation_id {
            write!(f, " (correlation id {id})")?;
        }
        Ok(())
    }
}

pub(crate) fn correlation_id(headers: &HeaderMap) -> Option<&str> {
    headers.get(CORRELATION_ID_HEADER)?.to_str().ok()
}

/// The first bytes of a body, cut at a character boundary, for error messages.
pub(crate) fn snippet(body: &[u8]) -> String {
    let cut = &body[..body.len().min(SNIPPET_LIMIT)];
    let mut text = match std::str::from_utf8(cut) {
        Ok(text) => text.to_owned(),
        Err(e) if e.error_len().is_none() => {
            // A multi-byte character was cut in half: drop the partial tail.
            String::from_utf8_lossy(&cut[..e.valid_up_to()]).into_owned()
        }
        Err(_) => String::from_utf8_lossy(cut).into_owned(),
    };
    if body.len() > SNIPPET_LIMIT {
        text.push('…');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippet_is_bounded_and_cut_at_a_char_boundary() {
        let body = "é".repeat(400); // 800 bytes
        let s = snippet(body.as_bytes());
        assert!(s.ends_with('…'));
        assert_eq!(s.chars().filter(|c| *c == 'é').count(), 256);
        assert_eq!(snippet(b"short"), "short");
    }

    #[test]
    fn error_is_small() {
        assert!(std::mem::size_of::<Error>() <= 16);
    }
}
