//! [`CallOptions`]: a timeout, retries, a deadline and headers for some calls, without a
//! second client.

use std::time::Duration;

use http::{HeaderMap, HeaderName, HeaderValue, header};

use crate::error::{Error, Result};
use crate::request::endpoint::Endpoint;
use crate::send::headers::is_runtimes;
use crate::send::retry::RetryPolicy;

/// Settings for one call or a scope of calls, over what the client and the declaration say.
///
/// [`Client::with_options`](crate::Client::with_options) returns a client that applies them:
/// it shares the original's connection pool, token cache and configuration (nothing is
/// rebuilt), so it is as cheap to make for one call as to keep for many.
///
/// ```no_run
/// use std::time::Duration;
/// use genesys_runtime::{CallOptions, Client, RetryPolicy, http::HeaderName};
///
/// # async fn run(client: Client) -> genesys_runtime::Result<()> {
/// let patient = client.with_options(
///     CallOptions::new()
///         .timeout(Duration::from_secs(120))           // each attempt
///         .deadline(Duration::from_secs(300))          // the whole call, waits included
///         .retry(RetryPolicy::default().max_attempts(8))
///         .header(HeaderName::from_static("x-request-id"), "run-42".parse().unwrap()),
/// );
/// // every call through `patient` uses these; `client` is unchanged
/// # Ok(()) }
/// ```
///
/// Precedence: an option set here wins over the endpoint's declaration (`timeout = "..."`),
/// which wins over the client's setting. The declaration's `retry = "never"` still holds:
/// the endpoint is not safe to send twice, whatever the policy.
#[derive(Clone, Default)]
#[must_use]
pub struct CallOptions {
    pub(crate) timeout: Option<Duration>,
    pub(crate) retry: Option<RetryPolicy>,
    pub(crate) deadline: Option<Duration>,
    pub(crate) headers: HeaderMap,
}

impl CallOptions {
    /// No options: everything as the client and the declaration say.
    pub fn new() -> Self {
        Self::default()
    }

    /// The time allowed for each attempt, from sending to the last byte of the response; also
    /// the longest a call waits for an access token. Zero is refused: every call through
    /// these options fails with [`Error::Config`](crate::Error::Config), and nothing is sent.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The retry policy ([`RetryPolicy::disabled`] for none).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// The most time a whole call may take: waiting for a token, attempts and the waits
    /// between them, and a streamed body ([`ByteStream`](crate::ByteStream)) read to its
    /// end. A wait that would end past it is not started (the last answer is the error);
    /// whatever is still running at the deadline ends with
    /// [`Error::Timeout`](crate::Error::Timeout). Zero is refused, as for
    /// [`timeout`](Self::timeout).
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// Adds a header to every request. A header the endpoint declares wins over it.
    /// `Authorization` is ignored (credentials come from the client's token source), and so
    /// are the headers that say where a request goes and how it is framed, which are the
    /// runtime's alone: `Host`, `Content-Length`, `Transfer-Encoding`, `Connection`,
    /// `Keep-Alive`, `TE`, `Trailer`, `Upgrade`, `Proxy-Authorization`, `Proxy-Connection`
    /// (a warning is logged).
    pub fn header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        if name == header::AUTHORIZATION || is_runtimes(&name) {
            tracing::warn!(header = %name, "a call option's header that the runtime sets itself is ignored");
        } else {
            self.headers.append(name, value);
        }
        self
    }

    /// Refuses options no call can be made with: a zero timeout or deadline.
    pub(crate) fn check(&self, endpoint: &Endpoint) -> Result<()> {
        for (option, value) in [("timeout", self.timeout), ("deadline", self.deadline)] {
            if value.is_some_and(|d| d.is_zero()) {
                return Err(Error::config(format!(
                    "the call's `{option}` option is zero, so {endpoint} would fail before anything is sent; give a positive duration, or leave it out"
                )));
            }
        }
        Ok(())
    }
}

impl std::fmt::Debug for CallOptions {
    /// Header names only: a header's value may be a key or a token.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.headers.keys().map(HeaderName::as_str).collect();
        f.debug_struct("CallOptions")
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("deadline", &self.deadline)
            .field("headers", &names)
            .finish()
    }
}
