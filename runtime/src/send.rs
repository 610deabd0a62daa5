//! Sending a built request over the wire: authentication, attempts and retries, timeouts,
//! the body cap, tracing, and the mapping of non-2xx answers to [`ApiError`].

use std::time::{Duration, Instant};

use bytes::{Bytes, BytesMut};
use http::{HeaderMap, HeaderValue, StatusCode, header};
use std::future::Future;

use tracing::Instrument;

use crate::ErrorBody;
use crate::auth::Credential;
use crate::client::ClientInner;
use crate::error::{ApiError, BodyTooLarge, Error, Result, Route, TimeoutError, TransportError};
use crate::request::RequestBuilder;
use crate::response::RawResponse;
use crate::retry::{is_idempotent, retry_after, retryable_status};

const APPLICATION_JSON: HeaderValue = HeaderValue::from_static("application/json");

/// Sends the request, retrying as the client's policy allows, and decodes a 2xx response
/// with `decode`. One `genesys.request` span covers the whole call.
///
/// Everything is prepared before the returned future exists, and the call's state lives in
/// that one future (not copied into nested ones): a small future is cheap to spawn and move.
pub(crate) fn execute<'c, T, D>(
    request: RequestBuilder<'c>,
    decode: D,
) -> impl Future<Output = Result<T>> + Send + 'c
where
    T: 'c,
    D: FnOnce(RawResponse) -> Result<T> + Send + 'c,
{
    let span = tracing::info_span!(
        "genesys.request",
        method = %request.route.method,
        route = request.route.template,
        status = tracing::field::Empty,
        attempts = tracing::field::Empty,
        elapsed_ms = tracing::field::Empty,
        correlation_id = tracing::field::Empty,
    );
    // Without a subscriber the span is disabled: skip the clock and the field lookups.
    let traced = !span.is_disabled();
    let mut call = Call {
        inner: &request.client.inner,
        route: request.route,
        url: request.url,
        headers: request.headers,
        // Converted once; each attempt then shares the bytes.
        body: request.body.map(Bytes::from),
        refused: request.error,
    };
    async move {
        let response = call.run(traced).await?;
        decode(response)
    }
    .instrument(span)
}

/// One call: everything needed to send an attempt again.
struct Call<'c> {
    inner: &'c ClientInner,
    route: Route,
    url: String,
    headers: Option<HeaderMap>,
    body: Option<Bytes>,
    /// An argument refused while building: returned before anything is sent.
    refused: Option<Error>,
}

impl Call<'_> {
    async fn run(&mut self, traced: bool) -> Result<RawResponse> {
        if let Some(error) = self.refused.take() {
            return Err(error);
        }
        let started = traced.then(Instant::now);
        let policy = &self.inner.retry;
        let mut attempts = 0u32;
        let mut waited = Duration::ZERO;
        let mut renewed_token = false;

        let result = loop {
            attempts += 1;
            let credential = match self.inner.auth.cached_credential() {
                Some(credential) => credential,
                // Rare (a token to fetch or to wait for): boxed, to keep this future small.
                None => Box::pin(self.inner.auth.credential(&self.inner.http)).await?,
            };
            let attempt = self.attempt(&credential).await;
            let retries_left = attempts < policy.max_attempts;

            let mut response = match attempt {
                Ok(response) => response,
                Err(error) => {
                    let retry =
                        error.is_connect() && is_idempotent(&self.route.method) && retries_left;
                    let wait = policy.backoff(attempts);
                    if retry && waited + wait <= policy.max_total_wait {
                        tracing::warn!(
                            attempt = attempts,
                            wait_ms = wait.as_millis() as u64,
                            "connection failed; retrying"
                        );
                        tokio::time::sleep(wait).await;
                        waited += wait;
                        continue;
                    }
                    break Err(self.transport_error(error));
                }
            };

            let status = response.status();
            if status == StatusCode::UNAUTHORIZED && credential.renewable && !renewed_token {
                // The cached token was refused (revoked, or expired early): renew it once
                // and replay the call once.
                renewed_token = true;
                self.inner.auth.invalidate(&credential);
                tracing::info!(
                    attempt = attempts,
                    "401 with a renewable token; renewing and replaying once"
                );
                continue;
            }

            if retryable_status(status, &self.route.method) {
                let asked = retry_after(response.headers());
                let remaining = policy.max_total_wait.saturating_sub(waited);
                let wait = asked.unwrap_or_else(|| policy.backoff(attempts));
                if retries_left && wait <= remaining {
                    tracing::warn!(
                        attempt = attempts,
                        status = status.as_u16(),
                        wait_ms = wait.as_millis() as u64,
                        "retryable answer; waiting before the next attempt"
                    );
                    // Read the (capped) body so the connection can be reused.
                    let _ = self.read_body(&mut response).await;
                    tokio::time::sleep(wait).await;
                    waited += wait;
                    continue;
                }
                let headers = std::mem::take(response.headers_mut());
                let body = self.read_body(&mut response).await?;
                let mut error = api_error(self.route.clone(), status, headers, &body, attempts);
                if let Error::Api(api) = &mut error {
                    api.retry_after = asked;
                }
                break Err(error);
            }

            let headers = std::mem::take(response.headers_mut());
            let body = self.read_body(&mut response).await?;
            break if status.is_success() {
                Ok(RawResponse {
                    route: self.route.clone(),
                    status,
                    headers,
                    body,
                })
            } else {
                Err(api_error(
                    self.route.clone(),
                    status,
                    headers,
                    &body,
                    attempts,
                ))
            };
        };

        if let Some(started) = started {
            record_outcome(&tracing::Span::current(), &result, attempts, started);
        }
        result
    }

    /// Sends one attempt.
    fn attempt(
        &self,
        credential: &Credential,
    ) -> impl Future<Output = Result<reqwest::Response, reqwest::Error>> + use<> {
        let mut builder = self
            .inner
            .http
            .request(self.route.method.clone(), self.url.as_str());
        if let Some(authorization) = &credential.header {
            builder = builder.header(header::AUTHORIZATION, authorization.clone());
        }
        if let Some(headers) = &self.headers {
            builder = builder.headers(headers.clone());
        }
        if let Some(body) = &self.body {
            builder = builder
                .header(header::CONTENT_TYPE, APPLICATION_JSON)
                .body(body.clone());
        }
        builder.send()
    }

    fn transport_error(&self, source: reqwest::Error) -> Error {
        // A timeout while connecting is the connect timeout; any other, the request timeout.
        let timeout = if source.is_connect() {
            self.inner.connect_timeout
        } else {
            self.inner.request_timeout
        };
        transport_error(&self.route, timeout, source)
    }

    /// Reads the whole body, refusing to grow past the cap.
    ///
    /// A body that arrives in one chunk (the common case for small JSON) is kept without a
    /// copy.
    async fn read_body(&self, response: &mut reqwest::Response) -> Result<Bytes> {
        let limit = self.inner.max_response_bytes;
        let status = response.status();
        let too_large = || {
            Error::BodyTooLarge(Box::new(BodyTooLarge {
                route: self.route.clone(),
                status,
                limit,
            }))
        };
        if response
            .content_length()
            .is_some_and(|len| len > limit as u64)
        {
            return Err(too_large());
        }
        let mut next = async || response.chunk().await.map_err(|e| self.transport_error(e));
        let Some(first) = next().await? else {
            return Ok(Bytes::new());
        };
        if first.len() > limit {
            return Err(too_large());
        }
        let Some(second) = next().await? else {
            return Ok(first);
        };
        let mut buf = BytesMut::with_capacity(first.len() + second.len());
        buf.extend_from_slice(&first);
        let mut chunk = Some(second);
        while let Some(piece) = chunk {
            if buf.len() + piece.len() > limit {
                return Err(too_large());
            }
            buf.extend_from_slice(&piece);
            chunk = next().await?;
        }
        Ok(buf.freeze())
    }
}

/// Records the call's outcome on its span: status, attempts, elapsed time, correlation id.
fn record_outcome(
    span: &tracing::Span,
    result: &Result<RawResponse>,
    attempts: u32,
    started: Instant,
) {
    span.record("attempts", attempts);
    span.record("elapsed_ms", started.elapsed().as_millis() as u64);
    let (status, correlation_id) = match result {
        Ok(response) => (
            Some(response.status),
            crate::error::correlation_id(&response.headers),
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

/// Maps a non-2xx answer to an [`ApiError`], decoding an [`ErrorBody`] when there is one.
pub(crate) fn api_error(
    route: Route,
    status: StatusCode,
    headers: HeaderMap,
    body: &[u8],
    attempts: u32,
) -> Error {
    let decoded = serde_json::from_slice::<ErrorBody>(body)
        .ok()
        .filter(|b| b.message.is_some() || b.code.is_some() || b.status.is_some());
    let snippet = match decoded {
        None if !body.is_empty() => Some(crate::error::snippet(body)),
        _ => None,
    };
    Error::Api(Box::new(ApiError {
        route,
        status,
        headers,
        body: decoded,
        snippet,
        attempts,
        retry_after: None,
    }))
}

fn transport_error(route: &Route, timeout: Duration, source: reqwest::Error) -> Error {
    if source.is_timeout() {
        Error::Timeout(Box::new(TimeoutError {
            route: route.clone(),
            timeout,
        }))
    } else {
        Error::Transport(Box::new(TransportError {
            route: route.clone(),
            source: source.without_url(),
        }))
    }
}
