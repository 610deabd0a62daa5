//! One attempt on the wire with reqwest, reading its body under the cap, and mapping what
//! reqwest reports to [`Error::Transport`] or [`Error::Timeout`].

use std::future::Future;

use bytes::{Bytes, BytesMut};
use http::header;

use super::auth::Credential;
use super::call::Call;
use crate::error::{BodyTooLarge, Error, Result, TimeoutError, TransportError};

/// Sends one attempt of `call` with `credential`.
pub(crate) fn attempt(
    call: &Call<'_>,
    credential: &Credential,
) -> impl Future<Output = Result<reqwest::Response, reqwest::Error>> + use<> {
    let mut builder = call
        .inner
        .http
        .request(call.route.method.clone(), call.url.as_str());
    if let Some(authorization) = &credential.header {
        builder = builder.header(header::AUTHORIZATION, authorization.clone());
    }
    if let Some(headers) = &call.headers {
        builder = builder.headers(headers.clone());
    }
    if let Some((body, content_type)) = &call.body {
        builder = builder
            .header(header::CONTENT_TYPE, content_type.clone())
            .body(body.clone());
    }
    builder.send()
}

/// A reqwest failure as this crate's error: a timeout names the timeout that expired
/// (connect or request), anything else is a transport error.
pub(crate) fn error(call: &Call<'_>, source: reqwest::Error) -> Error {
    if source.is_timeout() {
        // A timeout while connecting is the connect timeout; any other, the request timeout.
        let timeout = if source.is_connect() {
            call.inner.connect_timeout
        } else {
            call.inner.request_timeout
        };
        Error::Timeout(Box::new(TimeoutError {
            route: call.route.clone(),
            timeout,
        }))
    } else {
        Error::Transport(Box::new(TransportError {
            route: call.route.clone(),
            source: source.without_url(),
        }))
    }
}

/// Reads the whole body, refusing to grow past the client's cap.
///
/// A body that arrives in one chunk (the common case for small JSON) is kept without a copy.
pub(crate) async fn read_body(call: &Call<'_>, response: &mut reqwest::Response) -> Result<Bytes> {
    let limit = call.inner.max_response_bytes;
    let status = response.status();
    let too_large = || {
        Error::BodyTooLarge(Box::new(BodyTooLarge {
            route: call.route.clone(),
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
    let mut next = async || response.chunk().await.map_err(|e| error(call, e));
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
