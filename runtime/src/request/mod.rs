//! Building a request from a declared endpoint's arguments: the only runtime API that
//! generated code calls (through `__private`).
//!
//! A generated method creates one [`RequestBuilder`], feeds it the path pieces, query
//! parameters, headers and body in declaration order, and calls one `send` method. All
//! encoding happens here, into a single URL string, so generated code stays a few lines.

use std::fmt::{self, Write};
use std::future::Future;

use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;

pub(crate) mod endpoint;
pub(crate) mod group;
pub(crate) mod multipart;
pub(crate) mod param;
pub(crate) mod placement;
pub(crate) mod position;
mod string_enum;

use crate::client::Client;
use crate::error::{Error, Result};
use crate::listing::Listing;
use crate::response::Decoder;
use endpoint::Endpoint;
use multipart::Multipart;
use param::for_each_value;

/// Everything but the RFC 3986 unreserved characters (`A-Z a-z 0-9 - . _ ~`) is encoded,
/// so that no argument can add a path segment, a query or a fragment.
pub(crate) const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A request being assembled by a generated method.
#[doc(hidden)]
#[must_use = "a request does nothing until it is sent"]
pub struct RequestBuilder<'c> {
    pub(crate) client: &'c Client,
    pub(crate) endpoint: &'static Endpoint,
    pub(crate) url: String,
    pub(crate) has_query: bool,
    pub(crate) headers: Option<HeaderMap>,
    /// The encoded body and its `Content-Type`.
    pub(crate) body: Option<(Bytes, HeaderValue)>,
    /// The first argument refused; when set, nothing is sent.
    pub(crate) error: Option<Error>,
    /// Whether the request carries the client's credential (not for a link to another
    /// host, see [`Client::download_link`]).
    pub(crate) authenticate: bool,
}

/// A `fmt::Write` that percent-encodes what is written into the URL.
struct Encoder<'a>(&'a mut String);

impl Write for Encoder<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.0.extend(utf8_percent_encode(s, COMPONENT));
        Ok(())
    }
}

impl<'c> RequestBuilder<'c> {
    /// Starts a request for the declared `endpoint`.
    pub fn new(client: &'c Client, endpoint: &'static Endpoint) -> Self {
        let base = client.base_url();
        let mut url = String::with_capacity(base.len() + endpoint.path.len() + 32);
        url.push_str(base);
        RequestBuilder {
            client,
            endpoint,
            url,
            has_query: false,
            headers: None,
            body: None,
            error: None,
            authenticate: true,
        }
    }

    /// A request whose URL, headers and body were built already (a listing's next page).
    pub(crate) fn prepared(
        client: &'c Client,
        endpoint: &'static Endpoint,
        url: String,
        has_query: bool,
        headers: Option<HeaderMap>,
        body: Option<(Bytes, HeaderValue)>,
        error: Option<Error>,
    ) -> Self {
        RequestBuilder {
            client,
            endpoint,
            has_query,
            url,
            headers,
            body,
            error,
            authenticate: true,
        }
    }

    /// Appends a literal piece of the path, exactly as declared.
    pub fn path(&mut self, literal: &'static str) {
        self.url.push_str(literal);
    }

    /// Appends one path argument as one percent-encoded segment.
    ///
    /// Refuses `None`, a list, an empty value, `.` and `..` (which would change the route).
    pub fn segment<V: Serialize + ?Sized>(&mut self, name: &'static str, value: &V) {
        let start = self.url.len();
        let mut count = 0usize;
        let mut failed = false;
        let walked = for_each_value(value, &mut |v| {
            count += 1;
            failed |= v.write_to(&mut Encoder(&mut self.url)).is_err();
        });
        if let Err(e) = walked {
            return self.refuse(name, e.0);
        }
        if failed {
            return self.refuse(name, "its value could not be written as text");
        }
        match (count, &self.url[start..]) {
            (0, _) => self.refuse(
                name,
                "it is `None`; a path segment needs a value (pass the id of the entity to address)",
            ),
            (2.., _) => self.refuse(name, "a path segment takes one value, not a list"),
            (_, "") => self.refuse(
                name,
                "it is empty; pass the id of the entity to address (an empty segment would call another route)",
            ),
            (_, "." | "..") => self.refuse(
                name,
                "`.` and `..` would change the route; pass the id of the entity to address",
            ),
            _ => {}
        }
    }

    /// Appends a query parameter once per value (none for `None`, repeated for lists).
    pub fn query<V: Serialize + ?Sized>(&mut self, name: &'static str, value: &V) {
        let mut failed = false;
        let walked = for_each_value(value, &mut |v| {
            self.url.push(if self.has_query { '&' } else { '?' });
            self.has_query = true;
            self.url.extend(utf8_percent_encode(name, COMPONENT));
            self.url.push('=');
            failed |= v.write_to(&mut Encoder(&mut self.url)).is_err();
        });
        if let Err(e) = walked {
            self.refuse(name, e.0);
        } else if failed {
            self.refuse(name, "its value could not be written as text");
        }
    }

    /// Sets a header (lower-case `name`); lists are joined with `, `, `None` sends nothing.
    pub fn header<V: Serialize + ?Sized>(&mut self, name: &'static str, value: &V) {
        let mut text = String::new();
        let mut count = 0usize;
        let mut failed = false;
        let walked = for_each_value(value, &mut |v| {
            if count > 0 {
                text.push_str(", ");
            }
            count += 1;
            failed |= v.write_to(&mut text).is_err();
        });
        if let Err(e) = walked {
            return self.refuse(name, e.0);
        }
        if count == 0 {
            return;
        }
        if failed {
            return self.refuse(name, "its value could not be written as text");
        }
        let Ok(header) = HeaderName::from_bytes(name.as_bytes()) else {
            return self.refuse(name, "it is not a valid header name");
        };
        match HeaderValue::try_from(text) {
            Ok(value) => {
                self.headers
                    .get_or_insert_with(HeaderMap::new)
                    .append(header, value);
            }
            Err(_) => self.refuse(
                name,
                "a header value cannot contain control characters such as line breaks",
            ),
        }
    }

    /// Sets the body with the declared `Content-Type`, or `default`.
    fn set_body(&mut self, bytes: Bytes, default: &'static str) {
        let content_type = match self.endpoint.content_type {
            None => HeaderValue::from_static(default),
            Some(declared) => match HeaderValue::from_str(declared) {
                Ok(value) => value,
                Err(_) => {
                    return self.refuse(
                        "body",
                        "its declared `content_type` is not a valid header value",
                    );
                }
            },
        };
        self.body = Some((bytes, content_type));
    }

    /// Sets the JSON body (`application/json` unless declared otherwise).
    pub fn json_body<B: Serialize + ?Sized>(&mut self, body: &B) {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.set_body(bytes.into(), "application/json"),
            Err(e) => self.refuse("body", format!("it could not be serialized as JSON: {e}")),
        }
    }

    /// Sets the body with `set` (a body trait's `set_body`) when there is one: an
    /// `Option<&B>` body argument sends nothing for `None`.
    pub fn optional_body<B: ?Sized>(&mut self, body: Option<&B>, set: fn(&B, &mut Self)) {
        if let Some(body) = body {
            set(body, self)
        }
    }

    /// Sets an `application/x-www-form-urlencoded` body from a struct or map of values.
    pub fn form_body<B: Serialize + ?Sized>(&mut self, body: &B) {
        match serde_urlencoded::to_string(body) {
            Ok(text) => self.set_body(text.into(), "application/x-www-form-urlencoded"),
            Err(e) => self.refuse(
                "body",
                format!("it could not be form-encoded ({e}); a form body is a struct or map of strings, numbers and bools"),
            ),
        }
    }

    /// Sets a text body (`text/plain; charset=utf-8` unless declared otherwise).
    pub fn text_body<B: AsRef<str> + ?Sized>(&mut self, body: &B) {
        let text = body.as_ref();
        self.set_body(
            Bytes::copy_from_slice(text.as_bytes()),
            "text/plain; charset=utf-8",
        );
    }

    /// Sets a body of bytes (`application/octet-stream` unless declared otherwise).
    pub fn bytes_body<B: AsRef<[u8]> + ?Sized>(&mut self, body: &B) {
        self.set_body(
            Bytes::copy_from_slice(body.as_ref()),
            "application/octet-stream",
        );
    }

    /// Sets a `multipart/form-data` body.
    pub fn multipart_body<B: AsRef<Multipart> + ?Sized>(&mut self, body: &B) {
        match body.as_ref().encode() {
            Ok((bytes, content_type)) => self.body = Some((bytes, content_type)),
            Err(reason) => self.refuse("body", reason),
        }
    }

    /// Sends the request and decodes a 2xx response as `T` with `decoder` (a
    /// [`FromResponse::DECODER`](crate::FromResponse::DECODER)).
    pub fn send<T: Send + 'c>(
        self,
        decoder: Decoder<T>,
    ) -> impl Future<Output = Result<T>> + Send + 'c {
        crate::send::execute(self, decoder)
    }

    /// Sends the request and ignores the body of a 2xx response.
    pub fn send_unit(self) -> impl Future<Output = Result<()>> + Send + 'c {
        crate::send::execute(self, Decoder::UNIT)
    }

    /// Makes the request a listing: nothing is sent until its stream is read.
    pub fn listing<T: serde::de::DeserializeOwned + Send + 'static>(self) -> Listing<T> {
        Listing::new(self)
    }

    pub(crate) fn refuse(&mut self, argument: &'static str, reason: impl Into<String>) {
        if self.error.is_none() {
            self.error = Some(Error::invalid_argument(argument, reason));
        }
    }
}
