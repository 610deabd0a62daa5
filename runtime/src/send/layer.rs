//! What a client may put around each attempt: [`Hook`]s that see (and may add headers to)
//! every API call's request and see every answer, and a [`Transport`] that replaces the
//! network (the in-process [`Stubs`](crate::testing::Stubs), or your own). Without either,
//! an attempt takes the direct path in `transport`, and none of this runs.

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::{HeaderMap, Method, StatusCode};

use super::auth::Credential;
use super::call::Call;
use super::{headers, transport};
use crate::budget::{BudgetState, RateBudget};
use crate::error::{Error, Route, TimeoutError, TransportError};
use crate::request::endpoint::Endpoint;

/// An error a [`Transport`] returns when it could not get an answer.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// What [`Transport::send`] returns.
pub type TransportFuture =
    Pin<Box<dyn Future<Output = Result<http::Response<Bytes>, BoxError>> + Send>>;

/// Sends one attempt instead of the network: set with
/// [`ClientBuilder::transport`](crate::ClientBuilder::transport).
///
/// The request is complete: method, URL, headers (`Authorization`, `Accept`, `User-Agent`,
/// `Content-Type`, yours) and body; its extensions hold the [`CalledEndpoint`]. Everything
/// around it still runs: encoding and refusals before, retries with `Retry-After`, the
/// attempt timeout, the body cap, decoding and error mapping after. An `Err` is final (a
/// [`TransportError`](crate::TransportError), not retried).
pub trait Transport: Send + Sync + 'static {
    /// Answers one attempt.
    fn send(&self, request: http::Request<Bytes>) -> TransportFuture;
}

/// The declared endpoint an attempt is for, in the extensions of a [`Transport`]'s request.
#[derive(Clone, Copy, Debug)]
pub struct CalledEndpoint(pub &'static Endpoint);

/// Runs around every attempt of every API call (not the OAuth token request): set with
/// [`ClientBuilder::hook`](crate::ClientBuilder::hook), in order.
///
/// Hooks are synchronous and run on the calling task, inside the attempt: they are not
/// bounded by the call's timeout or deadline (nothing can interrupt a blocking function), so
/// keep them short and never block in them (no locks held for long, no I/O). Hand slow work
/// (shipping an audit record) to a channel or a task of your own. A hook may add and change
/// headers, but not the ones that say where the request goes and how it is framed (`Host`,
/// `Content-Length`, `Transfer-Encoding`, `Connection`, `Keep-Alive`, `TE`, `Trailer`,
/// `Upgrade`, `Proxy-Authorization`, `Proxy-Connection`): those are the runtime's, and the
/// ones a hook sets are dropped (with a warning) before the request leaves.
///
/// ```
/// use std::sync::atomic::{AtomicU32, Ordering};
/// use genesys_runtime::{Hook, Incoming, Outgoing};
///
/// /// Tags every request and counts the answers.
/// #[derive(Default)]
/// struct Tag { answers: AtomicU32 }
///
/// impl Hook for Tag {
///     fn before(&self, request: &mut Outgoing<'_>) {
///         request.headers_mut().insert("x-team", "billing".parse().unwrap());
///     }
///     fn after(&self, answer: &Incoming<'_>) {
///         if answer.status().is_some() {
///             self.answers.fetch_add(1, Ordering::Relaxed);
///         }
///     }
/// }
/// ```
pub trait Hook: Send + Sync + 'static {
    /// Before an attempt is sent: read it, add or change headers (the credential is added
    /// after, and cannot be seen or replaced here; connection-level headers are dropped).
    fn before(&self, request: &mut Outgoing<'_>) {
        let _ = request;
    }

    /// After an attempt: its status and headers, or a transport failure.
    fn after(&self, answer: &Incoming<'_>) {
        let _ = answer;
    }
}

impl<H: Hook + ?Sized> Hook for Arc<H> {
    fn before(&self, request: &mut Outgoing<'_>) {
        (**self).before(request)
    }

    fn after(&self, answer: &Incoming<'_>) {
        (**self).after(answer)
    }
}

/// An attempt about to be sent, as a [`Hook`] sees it.
#[derive(Debug)]
pub struct Outgoing<'a> {
    endpoint: &'static Endpoint,
    attempt: u32,
    method: &'a Method,
    url: &'a str,
    headers: &'a mut HeaderMap,
    /// Whether a hook asked for the headers mutably (only then can it have set one that is
    /// the runtime's).
    changed: bool,
    credential: usize,
    rate_wait: Duration,
}

impl Outgoing<'_> {
    /// The declared endpoint (operation, method, path template, parameters).
    pub fn endpoint(&self) -> &'static Endpoint {
        self.endpoint
    }

    /// The method and path template: the same for every call of the endpoint.
    pub fn route(&self) -> Route {
        Route::new(self.endpoint.method.clone(), self.endpoint.path)
    }

    /// Which attempt of the call this is, from 1.
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// The HTTP method.
    pub fn method(&self) -> &Method {
        self.method
    }

    /// The full URL, with the filled path and the query (it can hold ids: take care where
    /// you write it).
    pub fn url(&self) -> &str {
        self.url
    }

    /// The headers so far.
    pub fn headers(&self) -> &HeaderMap {
        self.headers
    }

    /// The headers, to add or change some.
    pub fn headers_mut(&mut self) -> &mut HeaderMap {
        self.changed = true;
        self.headers
    }

    /// Which of the client's credentials the attempt carries: 0 for the first (or only)
    /// one, then in the order they were added (`ClientBuilder::add_client_credentials`).
    pub fn credential(&self) -> usize {
        self.credential
    }

    /// How long this attempt waited for its credential's rate budget before being sent
    /// (another call's `429`, or the pace); zero when it did not wait.
    pub fn rate_wait(&self) -> Duration {
        self.rate_wait
    }
}

/// What an attempt got, as a [`Hook`] sees it.
#[derive(Debug)]
pub struct Incoming<'a> {
    endpoint: &'static Endpoint,
    attempt: u32,
    answer: Option<(StatusCode, &'a HeaderMap)>,
    started: Instant,
    /// Read from the clock when a hook first asks, so that hooks which never ask cost no
    /// clock read, and every hook that asks sees the same figure.
    elapsed: Cell<Option<Duration>>,
    credential: usize,
    budget: &'a dyn RateBudget,
}

impl Incoming<'_> {
    /// The declared endpoint.
    pub fn endpoint(&self) -> &'static Endpoint {
        self.endpoint
    }

    /// The method and path template.
    pub fn route(&self) -> Route {
        Route::new(self.endpoint.method.clone(), self.endpoint.path)
    }

    /// Which attempt of the call this was, from 1.
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// The status, or `None` when no answer came (a transport failure or a timeout).
    pub fn status(&self) -> Option<StatusCode> {
        self.answer.map(|(status, _)| status)
    }

    /// The response headers, when an answer came.
    pub fn headers(&self) -> Option<&HeaderMap> {
        self.answer.map(|(_, headers)| headers)
    }

    /// From sending to the status and headers (or the failure). The clock is read when the
    /// first hook asks, right after the answer: hooks run in order, so a slow hook before
    /// the first one to ask adds its own time.
    pub fn elapsed(&self) -> Duration {
        match self.elapsed.get() {
            Some(elapsed) => elapsed,
            None => {
                let elapsed = self.started.elapsed();
                self.elapsed.set(Some(elapsed));
                elapsed
            }
        }
    }

    /// Which of the client's credentials the attempt carried (see
    /// [`Outgoing::credential`]).
    pub fn credential(&self) -> usize {
        self.credential
    }

    /// The state of that credential's rate budget as this answer arrived (before it is
    /// counted: a `429` here is [`status`](Self::status), and shows in the budget from the
    /// next answer on): `429`s so far, attempts delayed and for how long, whether calls are
    /// held, the pace. For metrics and alerts; it takes the budget's locks, so read it only
    /// when you need it.
    pub fn rate_budget(&self) -> BudgetState {
        self.budget.state()
    }
}

/// Hooks and transport, as the client holds them.
#[derive(Clone, Default)]
pub(crate) struct Layers {
    pub(crate) hooks: Vec<Arc<dyn Hook>>,
    pub(crate) transport: Option<Arc<dyn Transport>>,
}

impl std::fmt::Debug for Layers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Layers")
            .field("hooks", &self.hooks.len())
            .field("transport", &self.transport.is_some())
            .finish()
    }
}

/// How a layered attempt failed.
pub(crate) enum Failed {
    /// reqwest's error: retried as the loop decides.
    Wire(reqwest::Error),
    /// Final: a custom transport's failure, or a timeout.
    Final(Error),
}

/// One attempt through the transport, or a streamed call's (its headers are bounded here,
/// since reqwest's timeout would bound the whole body), hooks included. An API call with
/// hooks and neither runs them in the send loop itself (`before_hooks`, `after_hooks`).
pub(crate) async fn attempt(
    call: &Call<'_>,
    credential: &Credential,
    number: u32,
) -> Result<reqwest::Response, Failed> {
    let layers = &call.inner.layers;
    // The token request carries its own secrets: hooks see API calls only.
    let hooked = call.authenticate && !layers.hooks.is_empty();
    let request = transport::request(call, credential, hooked.then_some(number));
    let started = Instant::now();
    let (limit, what) = call.idle_timeout();
    let timeout = || {
        Failed::Final(Error::Timeout(Box::new(TimeoutError::new(
            call.route(),
            limit,
            what,
        ))))
    };
    let result = match (&layers.transport, &call.inner.http) {
        (Some(transport), _) => {
            let sent = transport.send(into_http(call.endpoint, request));
            match tokio::time::timeout(limit, sent).await {
                Ok(Ok(response)) => Ok(reqwest::Response::from(response)),
                Ok(Err(source)) => Err(Failed::Final(Error::Transport(Box::new(TransportError {
                    route: call.route(),
                    connect: false,
                    reading_body: false,
                    source: source.into(),
                })))),
                Err(_) => Err(timeout()),
            }
        }
        (None, Some(http)) if call.streamed => {
            match tokio::time::timeout(limit, http.execute(request)).await {
                Ok(result) => result.map_err(Failed::Wire),
                Err(_) => Err(timeout()),
            }
        }
        (None, Some(http)) => http.execute(request).await.map_err(Failed::Wire),
        // `ClientBuilder::build` makes a reqwest client whenever there is no transport.
        (None, None) => Err(Failed::Final(Error::config(
            "this client has neither a reqwest client nor a transport",
        ))),
    };
    if hooked {
        after_hooks(
            call,
            number,
            result.as_ref().ok().map(|r| (r.status(), r.headers())),
            started,
        );
    }
    result
}

/// The hooks' `before`, on an API call's attempt without its credential (added after them);
/// the connection-level headers they set are dropped.
pub(crate) fn before_hooks(call: &Call<'_>, number: u32, headers: &mut HeaderMap) {
    let mut outgoing = Outgoing {
        endpoint: call.endpoint,
        attempt: number,
        method: &call.endpoint.method,
        url: call.url.as_str(),
        headers,
        changed: false,
        credential: call.member,
        rate_wait: call.rate_wait.0,
    };
    for hook in &call.inner.layers.hooks {
        hook.before(&mut outgoing);
    }
    if !outgoing.changed {
        return;
    }
    let dropped = headers::drop_runtimes(outgoing.headers);
    if dropped > 0 {
        tracing::warn!(
            dropped,
            "a hook set headers that are the runtime's alone (Host, Content-Length, Connection, ...); they were dropped"
        );
    }
}

/// The hooks' `after`, for an attempt sent at `started` that got `answer` (`None`: no
/// answer came).
pub(crate) fn after_hooks(
    call: &Call<'_>,
    number: u32,
    answer: Option<(StatusCode, &HeaderMap)>,
    started: Instant,
) {
    let incoming = Incoming {
        endpoint: call.endpoint,
        attempt: number,
        answer,
        started,
        elapsed: Cell::new(None),
        credential: call.member,
        budget: &*call.inner.credentials.get(call.member).budget,
    };
    for hook in &call.inner.layers.hooks {
        hook.after(&incoming);
    }
}

/// reqwest's request as an `http` request with its body in memory, for a [`Transport`].
fn into_http(endpoint: &'static Endpoint, request: reqwest::Request) -> http::Request<Bytes> {
    let body = request
        .body()
        .and_then(|b| b.as_bytes())
        .map(Bytes::copy_from_slice)
        .unwrap_or_default();
    let mut out = http::Request::new(body);
    *out.method_mut() = request.method().clone();
    *out.uri_mut() = request
        .url()
        .as_str()
        .parse()
        .unwrap_or_else(|_| http::Uri::from_static("/"));
    *out.headers_mut() = request.headers().clone();
    out.extensions_mut().insert(CalledEndpoint(endpoint));
    out
}
