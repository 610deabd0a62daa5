//! [`Reply`]: what a stub answers, typed: a value as JSON, an API error with its
//! `ErrorBody`, any status, headers, a delay.

use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use serde::Serialize;

use crate::ErrorBody;

/// One answer of a stub.
///
/// ```
/// use genesys_runtime::testing::Reply;
/// use genesys_runtime::{ErrorBody, StatusCode};
/// let found = Reply::json(&serde_json::json!({ "id": "u1" }));
/// let missing = Reply::error(StatusCode::NOT_FOUND, ErrorBody::new().with_message("no such user"));
/// let busy = Reply::status(StatusCode::TOO_MANY_REQUESTS).with_header("retry-after", "2");
/// let slow = Reply::json(&1).after(std::time::Duration::from_secs(5));
/// ```
#[derive(Clone, Debug)]
pub struct Reply {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
    pub(crate) delay: Duration,
}

impl Reply {
    /// `200 OK` with `value` as JSON.
    ///
    /// # Panics
    ///
    /// If `value` cannot be serialized as JSON (a map with non-string keys, say).
    pub fn json(value: &impl Serialize) -> Reply {
        let body = serde_json::to_vec(value).expect("a stub's reply serializes as JSON");
        Reply::status(StatusCode::OK)
            .with_header(header::CONTENT_TYPE.as_str(), "application/json")
            .with_body(body)
    }

    /// Any status, no body.
    pub fn status(status: StatusCode) -> Reply {
        Reply {
            status,
            headers: HeaderMap::new(),
            body: Bytes::new(),
            delay: Duration::ZERO,
        }
    }

    /// A Genesys error answer: `status` with `body` as JSON (its `status` set when unset).
    pub fn error(status: StatusCode, mut body: ErrorBody) -> Reply {
        body.status.get_or_insert(i32::from(status.as_u16()));
        Reply::json(&body).with_status(status)
    }

    /// The same reply with another status.
    #[must_use]
    pub fn with_status(mut self, status: StatusCode) -> Reply {
        self.status = status;
        self
    }

    /// Adds a header.
    ///
    /// # Panics
    ///
    /// If the name or value is not a valid header.
    #[must_use]
    pub fn with_header(mut self, name: &str, value: &str) -> Reply {
        let name = HeaderName::from_bytes(name.as_bytes()).expect("a valid header name");
        let value = HeaderValue::from_str(value).expect("a valid header value");
        self.headers.append(name, value);
        self
    }

    /// Replaces the body (the headers stay).
    #[must_use]
    pub fn with_body(mut self, body: impl Into<Bytes>) -> Reply {
        self.body = body.into();
        self
    }

    /// Answers only after `delay` (virtual time under `#[tokio::test(start_paused = true)]`):
    /// longer than the attempt timeout, it is a timeout.
    #[must_use]
    pub fn after(mut self, delay: Duration) -> Reply {
        self.delay = delay;
        self
    }

    pub(crate) fn into_response(self) -> http::Response<Bytes> {
        let mut response = http::Response::new(self.body);
        *response.status_mut() = self.status;
        *response.headers_mut() = self.headers;
        response
    }
}
