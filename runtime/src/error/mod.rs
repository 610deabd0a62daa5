//! The one error type every call returns, and its parts.
//!
//! [`Error`] is an enum of boxed parts so that `Result<T>` stays two words wide. Every part
//! says which call failed (method and route template, never the filled path, which can hold
//! personal data) and, where the server answered, the `ININ-Correlation-Id` that Genesys
//! support asks for. Text a server chose (messages, descriptions, bodies) is shown bounded
//! and on one line, with any secret the request carried replaced by `<redacted>`.

mod answered;
mod local;
pub(crate) mod text;
mod token_source;

use std::fmt;

use http::{HeaderMap, Method, StatusCode};

pub use answered::{ApiError, AuthError, DecodeError};
pub(crate) use local::Waiting;
pub use local::{BodyTooLarge, ConfigError, InvalidArgument, TimeoutError, TransportError};
pub use token_source::TokenSourceError;

/// `Result` with this crate's [`Error`] as the default error type.
pub type Result<T, E = Error> = core::result::Result<T, E>;

/// The name of the header that identifies a request to Genesys support.
pub const CORRELATION_ID_HEADER: &str = "inin-correlation-id";

/// The longest correlation id kept from a response (Genesys sends 36-character UUIDs).
const CORRELATION_ID_LIMIT: usize = 128;

/// Everything that can go wrong when calling a Genesys Cloud endpoint.
///
/// Match on the kind you handle and let the rest bubble up; every kind's `Display` says what
/// failed and what to do next. Errors are cheap to clone (the calls waiting for one token
/// fetch each get a clone of its failure).
///
/// ```
/// use genesys_runtime::{Error, Result, StatusCode};
///
/// fn describe(result: Result<String>) -> String {
///     match result {
///         Ok(name) => name,
///         // The server answered with a non-2xx status: its ErrorBody and correlation id.
///         Err(Error::Api(e)) if e.status() == StatusCode::NOT_FOUND => "no such user".into(),
///         Err(Error::Api(e)) => format!("{} [{}]", e.status(), e.code().unwrap_or("-")),
///         // Worth trying again later: rate limits, 502-504, timeouts, lost connections.
///         Err(e) if e.is_retryable() => format!("try again later: {e}"),
///         // Sign-in refused: wrong client, revoked refresh token, ...
///         Err(Error::Auth(e)) => format!("login failed: {}", e.error().unwrap_or("?")),
///         Err(e) => format!("failed: {e}"),
///     }
/// }
/// # use genesys_runtime::{ApiError, Route, http::Method};
/// # let missing = ApiError::new(Route::new(Method::GET, "/api/v2/users/{userId}"), StatusCode::NOT_FOUND);
/// # assert_eq!(describe(Err(missing.into())), "no such user");
/// ```
#[derive(Clone, Debug)]
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
    /// The OAuth token endpoint refused to issue a token, or issued one that cannot be used.
    Auth(Box<AuthError>),
    /// The client's token source failed, panicked, or supplied a token that cannot be used.
    TokenSource(Box<TokenSourceError>),
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

    /// Whether the same request may succeed if sent again later: a `429` or a `502`–`504`
    /// (from the API or the token endpoint), a timeout, or a transport failure. The client
    /// already retried what its [`RetryPolicy`](crate::RetryPolicy) allows; this is for
    /// retrying at a higher level (a queue, a later job).
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Timeout(_) | Error::Transport(_) => true,
            Error::Api(_) | Error::Auth(_) => self
                .status()
                .is_some_and(|s| matches!(s.as_u16(), 429 | 502..=504)),
            _ => false,
        }
    }

    /// Whether a timeout expired (connect or request), for the API or the token endpoint.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout(_))
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
            Error::TokenSource(e) => e.fmt(f),
        }
    }
}

impl From<ApiError> for Error {
    fn from(error: ApiError) -> Self {
        Error::Api(Box::new(error))
    }
}

impl From<TokenSourceError> for Error {
    fn from(error: TokenSourceError) -> Self {
        Error::TokenSource(Box::new(error))
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(e) => Some(&*e.source),
            Error::Config(e) => e.source.as_deref().map(|s| s as _),
            Error::Decode(e) => Some(&*e.source),
            Error::TokenSource(e) => e.source_ref(),
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

impl Route {
    /// A route: the HTTP method and the declared path template.
    pub fn new(method: Method, template: &'static str) -> Self {
        Route { method, template }
    }
}

impl fmt::Display for Route {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.template)
    }
}

/// The `ININ-Correlation-Id` header, at most 128 characters (a header value that is text is
/// visible ASCII, so it is already one line).
pub(crate) fn correlation_id(headers: &HeaderMap) -> Option<&str> {
    let id = headers.get(CORRELATION_ID_HEADER)?.to_str().ok()?;
    Some(&id[..id.len().min(CORRELATION_ID_LIMIT)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_is_small() {
        assert!(std::mem::size_of::<Error>() <= 16);
    }

    #[test]
    fn a_correlation_id_is_bounded() {
        let mut headers = HeaderMap::new();
        let long = "c".repeat(10_000);
        headers.insert(CORRELATION_ID_HEADER, long.parse().unwrap());
        assert_eq!(correlation_id(&headers).map(str::len), Some(128));
    }
}
