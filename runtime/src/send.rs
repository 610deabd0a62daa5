//! Sending a built request over the wire and reading the answer: headers, timeouts, the body
//! cap, and the mapping of non-2xx answers to [`ApiError`].

use bytes::{Bytes, BytesMut};
use http::{HeaderMap, HeaderValue, StatusCode, header};

use crate::ErrorBody;
use crate::error::{ApiError, BodyTooLarge, Error, Result, Route, TimeoutError, TransportError};
use crate::request::RequestBuilder;
use crate::response::RawResponse;

const APPLICATION_JSON: HeaderValue = HeaderValue::from_static("application/json");

/// Sends the request once and returns its 2xx response, or the error it amounts to.
pub(crate) async fn send(request: RequestBuilder<'_>) -> Result<RawResponse> {
    if let Some(error) = request.error {
        return Err(error);
    }
    let inner = &request.client.inner;
    let route = request.route;

    let mut builder = inner.http.request(route.method.clone(), request.url);
    if let Some(authorization) = &inner.authorization {
        builder = builder.header(header::AUTHORIZATION, authorization.clone());
    }
    if let Some(headers) = request.headers {
        builder = builder.headers(headers);
    }
    if let Some(body) = request.body {
        builder = builder
            .header(header::CONTENT_TYPE, APPLICATION_JSON)
            .body(body);
    }

    let response = builder
        .send()
        .await
        .map_err(|e| transport_error(&route, inner.request_timeout, e))?;
    let status = response.status();
    let headers = response.headers().clone();
    let body = read_body(
        response,
        &route,
        inner.max_response_bytes,
        inner.request_timeout,
    )
    .await?;

    if status.is_success() {
        Ok(RawResponse {
            route,
            status,
            headers,
            body,
        })
    } else {
        Err(api_error(route, status, headers, &body, 1))
    }
}

/// Reads the whole body, refusing to grow past `limit` bytes.
///
/// A body that arrives in one chunk (the common case for small JSON) is kept without a copy.
async fn read_body(
    mut response: reqwest::Response,
    route: &Route,
    limit: usize,
    timeout: std::time::Duration,
) -> Result<Bytes> {
    let status = response.status();
    let too_large = || {
        Error::BodyTooLarge(Box::new(BodyTooLarge {
            route: route.clone(),
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
    let mut next = async || {
        response
            .chunk()
            .await
            .map_err(|e| transport_error(route, timeout, e))
    };
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
    let mut chunk = Some(second);
    buf.extend_from_slice(&first);
    while let Some(piece) = chunk {
        if buf.len() + piece.len() > limit {
            return Err(too_large());
        }
        buf.extend_from_slice(&piece);
        chunk = next().await?;
    }
    Ok(buf.freeze())
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

fn transport_error(route: &Route, timeout: std::time::Duration, source: reqwest::Error) -> Error {
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
