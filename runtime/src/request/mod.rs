//! Building a request from a declared endpoint's arguments: the only runtime API that
//! generated code calls (through `__private`).
//!
//! A generated method creates one [`RequestBuilder`], feeds it the path pieces, query
//! parameters, headers and body in declaration order, and calls one `send` method. All
//! encoding happens here, into a single URL string, so generated code stays a few lines.

use std::fmt::{self, Write};
use std::future::Future;

use http::{HeaderMap, HeaderName, HeaderValue};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;

pub(crate) mod endpoint;
pub(crate) mod group;
pub(crate) mod param;
mod string_enum;

use crate::client::Client;
use crate::error::{Error, Result};
use crate::response::FromResponse;
use endpoint::Endpoint;
use param::{ParamValue, ParamValues};

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
    has_query: bool,
    pub(crate) headers: Option<HeaderMap>,
    pub(crate) body: Option<Vec<u8>>,
    /// The first argument refused; when set, nothing is sent.
    pub(crate) error: Option<Error>,
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
        }
    }

    /// Appends a literal piece of the path, exactly as declared.
    pub fn path(&mut self, literal: &'static str) {
        self.url.push_str(literal);
    }

    /// Appends one path argument as one percent-encoded segment.
    ///
    /// Refuses an empty value, `.` and `..` (which would change the route).
    pub fn segment<V: ParamValue>(&mut self, name: &'static str, value: V) {
        let start = self.url.len();
        if value.write_param(&mut Encoder(&mut self.url)).is_err() {
            self.refuse(name, "its value could not be written as text");
            return;
        }
        match &self.url[start..] {
            "" => self.refuse(
                name,
                "it is empty; pass the id of the entity to address (an empty segment would call another route)",
            ),
            "." | ".." => self.refuse(
                name,
                "`.` and `..` would change the route; pass the id of the entity to address",
            ),
            _ => {}
        }
    }

    /// Appends a query parameter once per value (none for `None`, repeated for lists).
    pub fn query<V: ParamValues>(&mut self, name: &'static str, value: V) {
        let mut failed = false;
        value.for_each_param(&mut |v| {
            self.url.push(if self.has_query { '&' } else { '?' });
            self.has_query = true;
            self.url.extend(utf8_percent_encode(name, COMPONENT));
            self.url.push('=');
            failed |= v.write_param(&mut Encoder(&mut self.url)).is_err();
        });
        if failed {
            self.refuse(name, "its value could not be written as text");
        }
    }

    /// Sets a header (lower-case `name`); lists are joined with `, `, `None` sends nothing.
    pub fn header<V: ParamValues>(&mut self, name: &'static str, value: V) {
        let mut text = String::new();
        let mut count = 0usize;
        let mut failed = false;
        value.for_each_param(&mut |v| {
            if count > 0 {
                text.push_str(", ");
            }
            count += 1;
            failed |= v.write_param(&mut text).is_err();
        });
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

    /// Sets the JSON body.
    pub fn json_body<B: Serialize + ?Sized>(&mut self, body: &B) {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.body = Some(bytes),
            Err(e) => self.refuse("body", format!("it could not be serialized as JSON: {e}")),
        }
    }

    /// Sets the JSON body when there is one.
    pub fn optional_json_body<B: Serialize + ?Sized>(&mut self, body: Option<&B>) {
        if let Some(body) = body {
            self.json_body(body)
        }
    }

    /// Sends the request and decodes a 2xx response as `T`.
    pub fn send<T: FromResponse + 'c>(self) -> impl Future<Output = Result<T>> + Send + 'c {
        crate::send::execute(self, T::from_response)
    }

    /// Sends the request and ignores the body of a 2xx response.
    pub fn send_unit(self) -> impl Future<Output = Result<()>> + Send + 'c {
        crate::send::execute(self, |_| Ok(()))
    }

    fn refuse(&mut self, argument: &'static str, reason: impl Into<String>) {
        if self.error.is_none() {
            self.error = Some(Error::invalid_argument(argument, reason));
        }
    }
}
