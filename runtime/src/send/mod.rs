//! Sending a built request: one [`call::Call`] loop shared by every API call and by the
//! OAuth token request (credentials, attempts and retries, timeouts, the body cap, tracing),
//! over [`transport`]; [`auth`] supplies the credentials and [`retry`] the rules.

mod admit;
pub(crate) mod auth;
pub(crate) mod call;
pub(crate) mod headers;
pub(crate) mod layer;
pub(crate) mod options;
pub(crate) mod retry;
pub(crate) mod transport;
pub(crate) mod wait;

use std::future::Future;

use tracing::Instrument;

use crate::error::{Error, Result};
use crate::request::RequestBuilder;
use crate::response::{Decoder, RawResponse, api_error};
use call::Call;

pub(crate) mod download;

/// Sends an API call, retrying as the client's policy allows, and decodes a 2xx response
/// with `decoder`; any other final answer is an [`ApiError`](crate::ApiError). One
/// `genesys.request` span covers the whole call.
///
/// Everything is prepared before the returned future exists, and the call's state lives in
/// that one future (not copied into nested ones): a small future is cheap to spawn and move.
pub(crate) fn execute<'c, T>(
    request: RequestBuilder<'c>,
    decoder: Decoder<T>,
) -> impl Future<Output = Result<T>> + Send + 'c
where
    T: Send + 'c,
{
    let span = call::span(request.endpoint);
    // Without a subscriber the span is disabled: skip the clock and the field lookups.
    let traced = !span.is_disabled();
    let options = request.client.options.as_deref();
    let inner = &request.client.inner;
    let (url, refused) = match (
        request.error,
        transport::wire_url(&inner.base, &inner.base_url, &request.url),
    ) {
        (None, Some(url)) => (url, None),
        (refused, url) => (
            // Never sent: the call fails with `refused` before its first attempt.
            url.unwrap_or_else(|| inner.base.clone()),
            refused.or_else(|| {
                // The URL is not echoed: a pre-signed link carries its signature in it.
                Some(Error::invalid_argument(
                    "url",
                    "the request URL does not parse; check the client's base URL, and pass a link whole as the API handed it out",
                ))
            }),
        ),
    };
    let mut call = Call {
        inner,
        endpoint: request.endpoint,
        options,
        url,
        headers: request.headers,
        // Encoded once; each attempt then shares the bytes.
        body: request.body,
        refused,
        authenticate: request.authenticate,
        streamed: decoder.streamed,
        secrets: Vec::new(),
        waiting_for_token: false,
        member: 0,
        rate_wait: (std::time::Duration::ZERO, std::time::Duration::ZERO),
    };
    let deadline = options.and_then(|o| o.deadline);
    async move {
        let answer = match deadline {
            None => call.run(traced, None).await?,
            // Rare: boxed, to keep every call's future small.
            Some(deadline) => Box::pin(call.run_within(deadline, traced)).await?,
        };
        if answer.status.is_success() {
            (decoder.decode)(RawResponse {
                route: call.route(),
                status: answer.status,
                headers: answer.headers,
                body: answer.body,
                unread: answer.unread,
            })
        } else {
            Err::<T, Error>(api_error(call.route(), answer))
        }
    }
    .instrument(span)
}
