//! Turning a 2xx response into what the endpoint declares: [`FromResponse`], the full
//! [`Response`], and the raw bodies [`PlainText`] and [`RawBytes`].

use bytes::Bytes;
use http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;

pub(crate) mod error_body;
pub(crate) mod stream;

use crate::ErrorBody;
use crate::error::text::snippet;
use crate::error::{self, ApiError, DecodeError, Error, Result, Route};
use crate::send::call::Answer;

/// A response as read off the wire: status, headers and the whole body.
#[doc(hidden)]
#[derive(Debug)]
pub struct RawResponse {
    pub(crate) route: Route,
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
    /// For a [`FromResponse::STREAMED`] type: the body, not read yet.
    pub(crate) unread: Option<Box<stream::Unread>>,
}

impl RawResponse {
    /// A response from its parts, for benchmarks and for decoding bodies obtained elsewhere.
    #[doc(hidden)]
    pub fn from_parts(route: Route, status: StatusCode, headers: HeaderMap, body: Bytes) -> Self {
        RawResponse {
            route,
            status,
            headers,
            body,
            unread: None,
        }
    }
}

/// How generated code decodes a 2xx response as `T`: [`FromResponse::DECODER`].
#[doc(hidden)]
pub struct Decoder<T> {
    pub(crate) decode: fn(RawResponse) -> Result<T>,
    /// Whether the body is handed over unread ([`ByteStream`](stream::ByteStream)).
    pub(crate) streamed: bool,
}

impl Decoder<()> {
    /// Ignores the body.
    pub(crate) const UNIT: Decoder<()> = Decoder {
        decode: |_| Ok(()),
        streamed: false,
    };
}

impl Decoder<RawResponse> {
    /// Keeps the response as read (a listing decodes its pages itself).
    pub(crate) const RAW: Decoder<RawResponse> = Decoder {
        decode: Ok,
        streamed: false,
    };
}

/// A type a 2xx response can be decoded into: the `T` of an endpoint returning `Result<T>`.
///
/// Implemented for every `serde::de::DeserializeOwned` type (the body is JSON; an empty body
/// reads as JSON `null`, so `Option<T>` gives `None`), for [`Response<T>`] (status and
/// headers too), [`PlainText`], [`RawBytes`] and [`ByteStream`](crate::ByteStream) (the body
/// as it arrives, unbuffered). `()` ignores the body wherever it appears:
/// `Result<()>` and `Result<Response<()>>` both succeed on a 2xx with any body.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be decoded from a response",
    label = "this return type cannot be decoded",
    note = "return a type that implements `serde::Deserialize` (add `#[derive(serde::Deserialize)]`), `()` to ignore the body, `Response<T>` for status and headers, `PlainText`/`RawBytes` for a raw body, or `ByteStream` for a download"
)]
pub trait FromResponse: Sized + Send {
    /// Whether the body is handed over unread instead of read whole under the cap.
    #[doc(hidden)]
    const STREAMED: bool = false;

    /// Decodes the response.
    #[doc(hidden)]
    fn from_response(response: RawResponse) -> Result<Self>;

    /// The decoder generated code passes to the request, checked where the return type is
    /// written (so that a type that cannot be decoded is reported there, once).
    #[doc(hidden)]
    const DECODER: Decoder<Self> = Decoder {
        decode: Self::from_response,
        streamed: Self::STREAMED,
    };
}

#[diagnostic::do_not_recommend]
impl<T: DeserializeOwned + Send + 'static> FromResponse for T {
    fn from_response(response: RawResponse) -> Result<Self> {
        decode_json(&response)
    }
}

fn decode_json<T: DeserializeOwned + 'static>(response: &RawResponse) -> Result<T> {
    let body = response.body.as_ref();
    // `()` ignores the body wherever it is declared (`Result<()>`, `Result<Response<()>>`):
    // a `202 Accepted` with a status document is a success either way.
    let ignored = std::any::TypeId::of::<T>() == std::any::TypeId::of::<()>();
    let decoded = if ignored || body.iter().all(u8::is_ascii_whitespace) {
        serde_json::from_slice(b"null")
    } else {
        serde_json::from_slice(body)
    };
    decoded.map_err(|source| {
        Error::Decode(Box::new(DecodeError {
            route: response.route.clone(),
            status: response.status,
            headers: response.headers.clone(),
            type_name: std::any::type_name::<T>(),
            page: false,
            snippet: snippet(body),
            source: std::sync::Arc::new(source),
        }))
    })
}

/// A decoded body together with the status and headers it came with.
///
/// Declare `-> Result<Response<T>>` to get the correlation id or any other header:
///
/// ```
/// # use genesys_runtime::{Api, Response, Result};
/// # use serde::Deserialize;
/// # #[derive(Deserialize)] pub struct Thing {}
/// pub trait ThingsApi: Api {
///     #[genesys_runtime::endpoint(method = "GET", path = "/api/v2/things/{thingId}")]
///     async fn get_thing(&self, thing_id: &str) -> Result<Response<Thing>>;
/// }
/// ```
#[derive(Clone, Debug)]
pub struct Response<T> {
    status: StatusCode,
    headers: HeaderMap,
    body: T,
}

impl<T> Response<T> {
    /// The HTTP status (always 2xx: other statuses are errors).
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The `ININ-Correlation-Id` header, which identifies this request to Genesys support.
    pub fn correlation_id(&self) -> Option<&str> {
        error::correlation_id(&self.headers)
    }

    /// The decoded body.
    pub fn body(&self) -> &T {
        &self.body
    }

    /// Takes the decoded body, dropping status and headers.
    pub fn into_body(self) -> T {
        self.body
    }
}

#[diagnostic::do_not_recommend]
impl<T: FromResponse> FromResponse for Response<T> {
    const STREAMED: bool = T::STREAMED;

    fn from_response(response: RawResponse) -> Result<Self> {
        let status = response.status;
        let headers = response.headers.clone();
        let body = T::from_response(response)?;
        Ok(Response {
            status,
            headers,
            body,
        })
    }
}

/// A body returned as text, whatever its content type (invalid UTF-8 is replaced).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct PlainText(pub String);

#[diagnostic::do_not_recommend]
impl FromResponse for PlainText {
    fn from_response(response: RawResponse) -> Result<Self> {
        Ok(PlainText(match String::from_utf8(response.body.into()) {
            Ok(text) => text,
            Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        }))
    }
}

impl std::ops::Deref for PlainText {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

/// A body returned as bytes, untouched.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct RawBytes(pub Bytes);

#[diagnostic::do_not_recommend]
impl FromResponse for RawBytes {
    fn from_response(response: RawResponse) -> Result<Self> {
        Ok(RawBytes(response.body))
    }
}

impl std::ops::Deref for RawBytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.0
    }
}

/// Maps a final non-2xx answer to an [`ApiError`], decoding an [`ErrorBody`] when there is
/// one.
pub(crate) fn api_error(route: Route, answer: Answer) -> Error {
    let body = &answer.body;
    let decoded = serde_json::from_slice::<ErrorBody>(body)
        .ok()
        .filter(|b| b.message.is_some() || b.code.is_some() || b.status.is_some());
    let snippet = match decoded {
        None if !body.is_empty() => Some(snippet(body)),
        _ => None,
    };
    Error::Api(Box::new(ApiError {
        route,
        status: answer.status,
        headers: answer.headers,
        body: decoded,
        snippet,
        attempts: answer.attempts,
        retry_after: answer.retry_after,
    }))
}
