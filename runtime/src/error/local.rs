//! Errors where no usable answer arrived, or nothing was sent: the transport failed
//! ([`TransportError`]), a timeout expired ([`TimeoutError`]), the body was too large
//! ([`BodyTooLarge`]), an argument ([`InvalidArgument`]) or the configuration
//! ([`ConfigError`]) was refused.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use http::StatusCode;

use super::Route;

/// The request could not be sent, or the response could not be read.
#[derive(Clone, Debug)]
pub struct TransportError {
    pub(crate) route: Route,
    /// Whether nothing reached the server.
    pub(crate) connect: bool,
    /// Whether the status and headers had arrived: the body was being read.
    pub(crate) reading_body: bool,
    /// reqwest's error (its URL removed), or what a custom transport returned.
    pub(crate) source: Arc<dyn std::error::Error + Send + Sync>,
}

impl TransportError {
    /// From reqwest's error, without its URL (which can carry personal data); `reading_body`
    /// when the status and headers had arrived.
    pub(crate) fn from_reqwest(route: Route, source: reqwest::Error, reading_body: bool) -> Self {
        TransportError {
            route,
            connect: source.is_connect(),
            reading_body,
            source: Arc::new(source.without_url()),
        }
    }

    /// The method and route template of the call.
    pub fn route(&self) -> &Route {
        &self.route
    }

    /// Whether the failure happened while connecting (nothing reached the server).
    pub fn is_connect(&self) -> bool {
        self.connect
    }

    /// Whether the status and headers had arrived and the body was being read: the server
    /// answered, and the answer was cut short.
    pub fn is_reading_body(&self) -> bool {
        self.reading_body
    }

    /// What went wrong, in this crate's words, from the source chain (`the connection was
    /// reset`, `the server's TLS certificate was refused`, ...), so that the chain's own text
    /// is not repeated by error printers that also walk `source()`.
    fn cause(&self) -> &'static str {
        let mut chain = String::new();
        let mut current: Option<&dyn std::error::Error> = Some(&*self.source);
        while let Some(error) = current {
            if let Some(io) = error.downcast_ref::<std::io::Error>() {
                use std::io::ErrorKind::*;
                let words = match io.kind() {
                    ConnectionReset => Some("the connection was reset"),
                    ConnectionRefused => Some("the connection was refused"),
                    ConnectionAborted => Some("the connection was aborted"),
                    BrokenPipe => Some("the connection was closed while sending"),
                    UnexpectedEof => Some(self.closed()),
                    _ => None,
                };
                if let Some(words) = words {
                    return words;
                }
            }
            chain.push_str(&error.to_string().to_ascii_lowercase());
            chain.push('\n');
            current = error.source();
        }
        if chain.contains("closed before message completed") {
            self.closed()
        } else if chain.contains("certificate") {
            "the server's TLS certificate was refused (unknown issuer, expired, or for another host; behind a TLS-inspecting proxy, trust its root with `add_root_certificate`)"
        } else if chain.contains("dns error") || chain.contains("lookup address") {
            "the host name could not be resolved"
        } else if chain.contains("tls") || chain.contains("ssl") || chain.contains("handshake") {
            "the TLS handshake failed"
        } else {
            "the request could not be sent (the error's source says why)"
        }
    }
}

impl TransportError {
    /// A connection closed early, in words that say how far the answer got.
    fn closed(&self) -> &'static str {
        if self.reading_body {
            "the connection was closed before the whole body arrived"
        } else {
            "the connection was closed before the response"
        }
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = if self.connect {
            "could not connect for"
        } else if self.reading_body {
            "the response body could not be read for"
        } else {
            "transport failure during"
        };
        // reqwest's own Display includes the URL, which can carry personal data; the cause is
        // told in a few words, and the source chain has the rest.
        write!(
            f,
            "{what} {}: {}; check the network and the base URL",
            self.route,
            self.cause()
        )
    }
}

/// The server did not answer within a timeout, or a call waited too long for its access
/// token.
#[derive(Clone, Debug)]
pub struct TimeoutError {
    pub(crate) route: Route,
    pub(crate) timeout: Duration,
    /// Which setting it was, such as "client's `request_timeout`".
    pub(crate) what: &'static str,
    pub(crate) waiting: Waiting,
}

/// What a call was waiting for when its time ran out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Waiting {
    /// The status and headers (or the whole body, for a call that reads it whole).
    Answer,
    /// The next piece of a streamed body.
    Body,
    /// An access token from the token source of this type.
    Token(&'static str),
    /// The credential's rate budget (a `429` another call got, or the pace), for this long.
    RateBudget(Duration),
}

impl TimeoutError {
    /// A timeout of `route` after `timeout`, set by `what` (such as "client's
    /// `request_timeout`"), while waiting for the answer.
    pub(crate) fn new(route: Route, timeout: Duration, what: &'static str) -> Self {
        TimeoutError {
            route,
            timeout,
            what,
            waiting: Waiting::Answer,
        }
    }

    /// The same, for what else the call was waiting for.
    pub(crate) fn waiting(mut self, waiting: Waiting) -> Self {
        self.waiting = waiting;
        self
    }

    /// When the call was waiting for an access token: the type of the client's token source
    /// (such as `ClientCredentials`), which did not supply one in time.
    pub fn token_source(&self) -> Option<&'static str> {
        match self.waiting {
            Waiting::Token(source) => Some(source),
            _ => None,
        }
    }

    /// Whether nothing was sent because the credential's rate budget asked the call to wait
    /// longer than its bounds allow (see [`RateBudget`](crate::RateBudget)).
    pub fn is_rate_budget(&self) -> bool {
        matches!(self.waiting, Waiting::RateBudget(_))
    }

    /// Whether the status and headers had arrived and the time ran out while the body was
    /// being read (a download).
    pub fn is_reading_body(&self) -> bool {
        self.waiting == Waiting::Body
    }

    /// The method and route template of the call.
    pub fn route(&self) -> &Route {
        &self.route
    }

    /// The timeout that expired.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// Which setting it was: the client's `connect_timeout` or `request_timeout`, the
    /// endpoint's declared `timeout`, or a call's `timeout` or `deadline` option.
    pub fn setting(&self) -> &'static str {
        self.what
    }
}

impl fmt::Display for TimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (route, timeout, what) = (&self.route, self.timeout, self.what);
        match self.waiting {
            Waiting::Answer => write!(
                f,
                "{route} timed out after {timeout:?} (the {what}); check the network, or raise that setting if the endpoint is slow"
            ),
            Waiting::Body => write!(
                f,
                "{route} timed out after {timeout:?} while reading the response body (the {what}); check the network, or raise that setting for large downloads"
            ),
            Waiting::Token(source) => write!(
                f,
                "{route} timed out after {timeout:?} waiting for an access token from the token source `{source}` (the {what}); nothing was sent: check the token source (or the login service it asks), or raise that setting"
            ),
            Waiting::RateBudget(wait) => write!(
                f,
                "{route} would have waited {wait:?} for its credential's rate budget (a `429` with `Retry-After` on another call, or the client's pace), beyond the {what} ({timeout:?}); nothing was sent: slow the job down, set the known limit with `ClientBuilder::rate_limit`, or use `RetryPolicy::bulk()`"
            ),
        }
    }
}

/// An argument refused before any request was sent.
#[derive(Clone, Debug)]
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
#[derive(Clone, Debug)]
pub struct ConfigError {
    pub(crate) message: String,
    pub(crate) source: Option<Arc<dyn std::error::Error + Send + Sync>>,
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
#[derive(Clone, Debug)]
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
