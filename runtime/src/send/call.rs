//! The send loop every request goes through, API calls and token requests alike: which
//! credential, send one attempt, classify the answer, wait or stop.

use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::{HeaderMap, HeaderValue, StatusCode};

use super::auth::Credential;
use super::layer::{self, Failed};
use super::options::CallOptions;
use super::retry::{retry_after, retryable_status, retryable_transport};
use super::transport;
use super::wait::{WaitBudget, deadline_after, next_wait, tokio_after};
use crate::client::ClientInner;
use crate::error::text::scrub;
use crate::error::{Error, Result, Route, TimeoutError, Waiting};
use crate::request::endpoint::{Endpoint, RetryRule};
use crate::response::stream::Unread;

/// A final answer: any status, the whole (capped) body, and how it was reached.
pub(crate) struct Answer {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    /// The body; for a non-2xx answer, with the request's secrets replaced by `<redacted>`.
    pub(crate) body: Bytes,
    /// Requests sent, this one included.
    pub(crate) attempts: u32,
    /// The wait the last answer asked for with `Retry-After`, when it was not honoured.
    pub(crate) retry_after: Option<Duration>,
    /// For a streamed call's 2xx answer: the body, not read (`body` is empty), with the
    /// bounds on reading it.
    pub(crate) unread: Option<Box<Unread>>,
}

/// One request: everything needed to send an attempt again.
pub(crate) struct Call<'c> {
    pub(crate) inner: &'c Arc<ClientInner>,
    /// What was declared: the policy (timeout, retry rule) and the names for tracing.
    pub(crate) endpoint: &'static Endpoint,
    /// Options over the client's settings and the declaration, for this call.
    pub(crate) options: Option<&'c CallOptions>,
    /// Parsed once for all attempts (see `transport::wire_url`).
    pub(crate) url: reqwest::Url,
    pub(crate) headers: Option<HeaderMap>,
    /// The body and its `Content-Type`.
    pub(crate) body: Option<(Bytes, HeaderValue)>,
    /// An argument refused while building: returned before anything is sent.
    pub(crate) refused: Option<Error>,
    /// Whether attempts carry the client's credential (API calls) or their own (the token
    /// request, with its own `Authorization`).
    pub(crate) authenticate: bool,
    /// Whether a 2xx body is handed over unread (a `ByteStream`), with each attempt's
    /// timeout bounding the wait for the headers and then for each chunk.
    pub(crate) streamed: bool,
    /// Secrets the request carries besides the credential, removed from error bodies.
    pub(crate) secrets: Vec<Box<str>>,
    /// Set while the call waits for an access token, so that a deadline that ends the wait
    /// says what it was waiting for.
    pub(crate) waiting_for_token: bool,
    /// The credential of this attempt (its index in the client's pool).
    pub(crate) member: usize,
    /// What this attempt waited for its credential's rate budget, and the call in all.
    pub(crate) rate_wait: (Duration, Duration),
}

/// The setting a call's deadline is, in timeout errors.
pub(crate) const DEADLINE: &str = "call's `deadline` option";

/// The `genesys.request` span of one call: the endpoint's method, path template and
/// operation name.
pub(crate) fn span(endpoint: &'static Endpoint) -> tracing::Span {
    tracing::info_span!(
        "genesys.request",
        method = %endpoint.method,
        route = endpoint.path,
        operation = endpoint.operation,
        status = tracing::field::Empty,
        attempts = tracing::field::Empty,
        elapsed_ms = tracing::field::Empty,
        correlation_id = tracing::field::Empty,
        credential = tracing::field::Empty,
        rate_wait_ms = tracing::field::Empty,
    )
}

impl Call<'_> {
    /// The method and path template errors name, from the endpoint.
    pub(crate) fn route(&self) -> Route {
        Route::new(self.endpoint.method.clone(), self.endpoint.path)
    }

    /// The time allowed for each attempt and where it was set, when it is not the client's
    /// own request timeout (which the reqwest client applies already): the call's options,
    /// then the endpoint's declaration, then a caller-supplied reqwest client's.
    pub(crate) fn attempt_timeout(&self) -> Option<(Duration, &'static str)> {
        if let Some(timeout) = self.options.and_then(|o| o.timeout) {
            Some((timeout, "call's `timeout` option"))
        } else if let Some(timeout) = self.endpoint.timeout {
            Some((timeout, "endpoint's declared `timeout`"))
        } else if self.inner.supplied_http {
            Some((self.inner.request_timeout, "client's `request_timeout`"))
        } else {
            None
        }
    }

    /// The wait allowed for a streamed call's headers and then between chunks: the attempt
    /// timeout, or the client's request timeout.
    pub(crate) fn idle_timeout(&self) -> (Duration, &'static str) {
        self.attempt_timeout()
            .unwrap_or((self.inner.request_timeout, "client's `request_timeout`"))
    }

    /// [`run`](Self::run), ended at `deadline` from now at the latest (a streamed body too:
    /// it must have arrived whole by then).
    pub(crate) async fn run_within(&mut self, deadline: Duration, traced: bool) -> Result<Answer> {
        let until = deadline_after(deadline);
        match tokio::time::timeout(deadline, self.run(traced, until)).await {
            Ok(result) => result,
            Err(_) => {
                let timeout = TimeoutError::new(self.route(), deadline, DEADLINE);
                Err(Error::Timeout(Box::new(
                    match self.inner.token_source_name(self.member) {
                        Some(source) if self.waiting_for_token => {
                            timeout.waiting(Waiting::Token(source))
                        }
                        _ => timeout,
                    },
                )))
            }
        }
    }

    /// Sends attempts until an answer is final, and returns it (2xx or not). Errors are what
    /// left no usable answer: a refused argument or option, the transport, a timeout, the
    /// body cap, or a failed login. No wait between attempts ends past `deadline`.
    pub(crate) async fn run(&mut self, traced: bool, deadline: Option<Instant>) -> Result<Answer> {
        if let Some(error) = self.refused.take() {
            return Err(error);
        }
        if let Some(options) = self.options {
            options.check(self.endpoint)?;
        }
        let started = traced.then(Instant::now);
        let policy = self
            .options
            .and_then(|o| o.retry.as_ref())
            .unwrap_or(&self.inner.retry);
        let max_attempts = match self.endpoint.retry {
            RetryRule::Never => 1,
            _ => policy.max_attempts,
        };
        let safe_to_repeat = self.endpoint.safe_to_repeat();
        // A wait that would go past `max_total_wait` or end past the deadline is not started.
        let mut budget = WaitBudget::new(policy.max_total_wait, deadline);
        let mut attempts = 0u32;
        let mut renewed_token = false;

        let result = loop {
            attempts += 1;
            let credential = if !self.authenticate {
                Credential::NONE
            } else {
                self.member = self.inner.credentials.pick();
                match self.inner.cached_credential(self.member) {
                    Some(credential) => credential,
                    // Rare (a token to fetch or to wait for): boxed, to keep this future small.
                    None => Box::pin(self.wait_for_credential()).await?,
                }
            };
            if self.authenticate {
                self.rate_wait.0 = Duration::ZERO;
                let member = self.inner.credentials.get(self.member);
                if let Some(at) = member.budget.admit() {
                    // Rare (a `429` seen, or a pace): boxed, to keep this future small.
                    let waited = Box::pin(self.wait_for_budget(at, &mut budget, policy)).await;
                    if let Err(error) = waited {
                        break Err(error);
                    }
                }
            }
            let layers = &self.inner.layers;
            let direct = match &self.inner.http {
                Some(http) if !self.streamed && layers.transport.is_none() => Some(http),
                _ => None,
            };
            let attempt = if let Some(http) = direct {
                if layers.hooks.is_empty() || !self.authenticate {
                    transport::attempt(self, http, &credential, None).await
                } else {
                    // Hooks around the network: run here, not boxed, to keep them cheap.
                    let sent = transport::attempt(self, http, &credential, Some(attempts));
                    let started = Instant::now();
                    let result = sent.await;
                    let answer = result.as_ref().ok().map(|r| (r.status(), r.headers()));
                    layer::after_hooks(self, attempts, answer, started);
                    result
                }
            } else {
                // Rare: boxed, to keep the default call's future small.
                match Box::pin(layer::attempt(self, &credential, attempts)).await {
                    Ok(response) => Ok(response),
                    Err(Failed::Wire(error)) => Err(error),
                    Err(Failed::Final(error)) => break Err(error),
                }
            };
            let retries_left = attempts < max_attempts;

            let mut response = match attempt {
                Ok(response) => response,
                Err(error) => {
                    let wait = next_wait(None, policy, attempts);
                    if retries_left
                        && retryable_transport(&error, safe_to_repeat)
                        && budget.allows(wait, Instant::now())
                    {
                        tracing::warn!(
                            attempt = attempts,
                            wait_ms = wait.as_millis() as u64,
                            connect = error.is_connect(),
                            "no answer (connection failed, reset or closed); retrying"
                        );
                        tokio::time::sleep(wait).await;
                        budget.spend(wait);
                        continue;
                    }
                    break Err(transport::error(self, error, false));
                }
            };

            let status = response.status();
            if status == StatusCode::UNAUTHORIZED && credential.renewable && !renewed_token {
                // The cached token was refused (revoked, or expired early): renew it once
                // and replay the call once.
                renewed_token = true;
                self.inner.invalidate(&credential);
                tracing::info!(
                    attempt = attempts,
                    "401 with a renewable token; renewing and replaying once"
                );
                continue;
            }

            if self.authenticate && status != StatusCode::TOO_MANY_REQUESTS {
                self.inner
                    .credentials
                    .get(credential.member)
                    .budget
                    .answered();
            }
            let mut retry_after_asked = None;
            if retryable_status(status, safe_to_repeat) {
                let asked = retry_after(response.headers());
                let mut wait = next_wait(asked, policy, attempts);
                if status == StatusCode::TOO_MANY_REQUESTS && self.authenticate {
                    // Every call on this credential waits it out, not only this one.
                    let pool = &self.inner.credentials;
                    pool.get(credential.member)
                        .budget
                        .limited(tokio_after(wait).into_std());
                    if pool.any_free() {
                        // Another credential is free: the next attempt goes there at once.
                        wait = Duration::ZERO;
                    }
                }
                if retries_left && budget.allows(wait, Instant::now()) {
                    tracing::warn!(
                        attempt = attempts,
                        status = status.as_u16(),
                        wait_ms = wait.as_millis() as u64,
                        "retryable answer; waiting before the next attempt"
                    );
                    // Read the (capped) body so the connection can be reused.
                    let _ = transport::read_body(self, &mut response).await;
                    tokio::time::sleep(wait).await;
                    budget.spend(wait);
                    continue;
                }
                retry_after_asked = asked;
            }

            let headers = std::mem::take(response.headers_mut());
            if self.streamed && status.is_success() {
                let (idle, what) = self.idle_timeout();
                let deadline = self
                    .options
                    .and_then(|o| o.deadline)
                    .zip(deadline)
                    .map(|(total, at)| (at, total, DEADLINE));
                break Ok(Answer {
                    status,
                    headers,
                    body: Bytes::new(),
                    attempts,
                    retry_after: None,
                    unread: Some(Box::new(Unread {
                        body: reqwest::Body::from(response),
                        idle,
                        what,
                        deadline,
                    })),
                });
            }
            let body = match transport::read_body(self, &mut response).await {
                Ok(body) if !status.is_success() => self.scrub(body, &credential),
                Ok(body) => body,
                Err(error) => break Err(error),
            };
            break Ok(Answer {
                status,
                headers,
                body,
                attempts,
                retry_after: retry_after_asked,
                unread: None,
            });
        };

        if let Some(started) = started {
            let span = tracing::Span::current();
            record_outcome(&span, &result, attempts, started);
            if self.authenticate {
                span.record("credential", self.member);
                span.record("rate_wait_ms", self.rate_wait.1.as_millis() as u64);
            }
        }
        result
    }

    /// The credential for an attempt when none is at hand: waits for a token (another
    /// call's fetch, or one this call starts), no longer than the attempt's own timeout.
    async fn wait_for_credential(&mut self) -> Result<Credential> {
        let (bound, what) = self.idle_timeout();
        self.waiting_for_token = true;
        let waited =
            tokio::time::timeout(bound, ClientInner::credential(self.inner, self.member)).await;
        self.waiting_for_token = false;
        match waited {
            Ok(credential) => credential,
            Err(_) => {
                let source = self.inner.token_source_name(self.member).unwrap_or("?");
                Err(Error::Timeout(Box::new(
                    TimeoutError::new(self.route(), bound, what).waiting(Waiting::Token(source)),
                )))
            }
        }
    }

    /// An error body without the secrets this request carried (a server may echo them).
    fn scrub(&self, body: Bytes, credential: &Credential) -> Bytes {
        let token = credential
            .header
            .as_ref()
            .and_then(|h| h.to_str().ok())
            .and_then(|h| h.strip_prefix("Bearer "));
        let mut secrets: Vec<&str> = self.secrets.iter().map(|s| &**s).collect();
        secrets.extend(token);
        scrub(body, &secrets)
    }
}

/// Records the call's outcome on its span: status, attempts, elapsed time, correlation id.
fn record_outcome(span: &tracing::Span, result: &Result<Answer>, attempts: u32, started: Instant) {
    span.record("attempts", attempts);
    span.record("elapsed_ms", started.elapsed().as_millis() as u64);
    let (status, correlation_id) = match result {
        Ok(answer) => (
            Some(answer.status),
            crate::error::correlation_id(&answer.headers),
        ),
        Err(error) => (error.status(), error.correlation_id()),
    };
    if let Some(status) = status {
        span.record("status", status.as_u16());
    }
    if let Some(id) = correlation_id {
        span.record("correlation_id", id);
    }
}
