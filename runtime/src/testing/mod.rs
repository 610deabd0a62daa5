//! Testing without sockets: [`Stubs`] answer a client's calls in process, keyed by the
//! declared endpoints, and record what was sent. The whole runtime still runs around them
//! (encoding and refusals, credentials, retries with `Retry-After`, timeouts, the body cap,
//! decoding, error mapping), so a stubbed test catches what a loopback test would.

mod reply;

use std::collections::VecDeque;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, Method, StatusCode};
use percent_encoding::percent_decode_str;
use serde::de::DeserializeOwned;

pub use reply::Reply;

use crate::ErrorBody;
use crate::client::Client;
use crate::config::builder::ClientBuilder;
use crate::request::endpoint::Endpoint;
use crate::request::group::ApiGroup;
use crate::send::layer::{CalledEndpoint, Transport, TransportFuture};
use crate::send::retry::RetryPolicy;

/// In-process answers for any declared group, and a record of every request.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> genesys_runtime::Result<()> {
/// use genesys_runtime::testing::{Reply, Stubs};
/// use genesys_runtime::{Api, Result, api, endpoint};
///
/// #[api]
/// pub trait UsersApi: Api {
///     #[endpoint(method = "GET", path = "/api/v2/users/{userId}")]
///     async fn get_user(&self, user_id: &str) -> Result<serde_json::Value>;
/// }
/// impl<T: Api + ?Sized> UsersApi for T {}
///
/// let stubs = Stubs::new();
/// stubs.on(&USERS_API, "get_user").reply(Reply::json(&serde_json::json!({ "name": "Ann" })));
/// let user = stubs.client().get_user("u 1").await?;
/// assert_eq!(user["name"], "Ann");
/// assert_eq!(stubs.calls()[0].path(), "/api/v2/users/u%201");
/// # Ok(()) }
/// ```
///
/// A stub answers its endpoint's calls with its replies in order, the last one repeating.
/// A call with no stub gets `501 Not Implemented` with an `ErrorBody` naming the route.
/// `Stubs` is cheap to clone: clones share the stubs and the record.
#[derive(Clone, Default)]
pub struct Stubs {
    state: Arc<Mutex<State>>,
}

#[derive(Default)]
struct State {
    stubs: Vec<(Method, &'static str, VecDeque<Reply>)>,
    calls: Vec<StubCall>,
}

impl Stubs {
    /// No stubs yet, nothing recorded.
    pub fn new() -> Stubs {
        Stubs::default()
    }

    /// The stub of `group`'s endpoint `operation` (the method's name).
    ///
    /// # Panics
    ///
    /// If `group` has no such operation (the message lists those it has).
    pub fn on(&self, group: &ApiGroup, operation: &str) -> Stub<'_> {
        let endpoint = group.endpoint(operation).unwrap_or_else(|| {
            let known: Vec<&str> = group.endpoints().iter().map(|e| e.operation).collect();
            panic!(
                "{} has no operation `{operation}`; it has {}",
                group.name(),
                known.join(", ")
            )
        });
        self.on_endpoint(endpoint)
    }

    /// The stub of this endpoint (from a route table, or any `Endpoint` with its method and
    /// path template).
    pub fn on_endpoint(&self, endpoint: &Endpoint) -> Stub<'_> {
        Stub {
            stubs: self,
            method: endpoint.method.clone(),
            path: endpoint.path,
        }
    }

    /// The stub of every [`Client::download_link`] call, whatever the link: a stubbed
    /// recording or export download. Its calls' [`StubCall::host`] says where the link
    /// pointed, and their `authorization` header is absent for a link to another host.
    pub fn on_download_links(&self) -> Stub<'_> {
        self.on_endpoint(&crate::send::download::DOWNLOAD)
    }

    /// A client whose calls these stubs answer: a fixed test token, no network, and retries
    /// that wait 1 ms (a `Retry-After` is still honoured).
    pub fn client(&self) -> Client {
        self.client_builder()
            .build()
            .expect("a client over stubs builds")
    }

    /// The builder of [`client`](Self::client), to add hooks or change the policy.
    pub fn client_builder(&self) -> ClientBuilder {
        Client::builder()
            .access_token("stub-token")
            .retry(RetryPolicy::default().initial_backoff(Duration::from_millis(1)))
            .transport(self.clone())
    }

    /// Every request received, in order.
    pub fn calls(&self) -> Vec<StubCall> {
        self.lock().calls.clone()
    }

    /// The requests received for `group`'s `operation`.
    pub fn calls_to(&self, group: &ApiGroup, operation: &str) -> Vec<StubCall> {
        self.calls()
            .into_iter()
            .filter(|call| {
                call.endpoint.is_some_and(|e| {
                    e.operation == operation
                        && group.endpoint(operation).is_some_and(|g| g.path == e.path)
                })
            })
            .collect()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A panicking test thread must not hide the record from the others.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The reply to `request`, recording it.
    fn answer(&self, request: &http::Request<Bytes>) -> Reply {
        let endpoint = request.extensions().get::<CalledEndpoint>().map(|e| e.0);
        let mut state = self.lock();
        state.calls.push(StubCall::new(request, endpoint));
        let stub = endpoint.and_then(|endpoint| {
            state
                .stubs
                .iter_mut()
                .find(|(method, path, _)| *method == endpoint.method && *path == endpoint.path)
        });
        match stub {
            Some((_, _, replies)) if replies.len() > 1 => replies.pop_front().expect("non-empty"),
            Some((_, _, replies)) if !replies.is_empty() => replies[0].clone(),
            _ => {
                let route = endpoint.map_or_else(
                    || format!("{} {}", request.method(), request.uri().path()),
                    |e| format!("{e} ({})", e.operation),
                );
                Reply::error(
                    StatusCode::NOT_IMPLEMENTED,
                    ErrorBody::new().with_message(format!(
                        "no stub for {route}: add `stubs.on(&GROUP, \"operation\").reply(...)`"
                    )),
                )
            }
        }
    }
}

impl Transport for Stubs {
    fn send(&self, request: http::Request<Bytes>) -> TransportFuture {
        let reply = self.answer(&request);
        Box::pin(async move {
            if !reply.delay.is_zero() {
                tokio::time::sleep(reply.delay).await;
            }
            Ok(reply.into_response())
        })
    }
}

impl fmt::Debug for Stubs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.lock();
        f.debug_struct("Stubs")
            .field("stubs", &state.stubs.len())
            .field("calls", &state.calls.len())
            .finish()
    }
}

/// One endpoint's stub: give it its replies.
#[must_use = "a stub answers nothing until it is given a reply"]
pub struct Stub<'a> {
    stubs: &'a Stubs,
    method: Method,
    path: &'static str,
}

impl Stub<'_> {
    /// Answers every call with `reply`.
    pub fn reply(self, reply: Reply) {
        self.replies([reply]);
    }

    /// Answers the calls with `replies` in order, the last one repeating: a `429` then a
    /// success, say.
    ///
    /// # Panics
    ///
    /// If `replies` is empty.
    pub fn replies(self, replies: impl IntoIterator<Item = Reply>) {
        let replies: VecDeque<Reply> = replies.into_iter().collect();
        assert!(!replies.is_empty(), "a stub needs at least one reply");
        let mut state = self.stubs.lock();
        state
            .stubs
            .retain(|(m, p, _)| !(*m == self.method && *p == self.path));
        state.stubs.push((self.method, self.path, replies));
    }
}

/// A request a [`Stubs`] received, as sent.
#[derive(Clone)]
pub struct StubCall {
    endpoint: Option<&'static Endpoint>,
    method: Method,
    path: String,
    host: Option<String>,
    query: Option<String>,
    headers: HeaderMap,
    body: Bytes,
}

impl StubCall {
    fn new(request: &http::Request<Bytes>, endpoint: Option<&'static Endpoint>) -> StubCall {
        StubCall {
            endpoint,
            method: request.method().clone(),
            host: request.uri().host().map(str::to_owned),
            path: request.uri().path().to_owned(),
            query: request.uri().query().map(str::to_owned),
            headers: request.headers().clone(),
            body: request.body().clone(),
        }
    }

    /// The declared endpoint the call was for.
    pub fn endpoint(&self) -> Option<&'static Endpoint> {
        self.endpoint
    }

    /// The operation (the method's name in the API trait).
    pub fn operation(&self) -> &str {
        self.endpoint.map_or("", |e| e.operation)
    }

    /// The HTTP method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The host the request was for: the client's API host, or the host of a
    /// [`Client::download_link`] link.
    pub fn host(&self) -> Option<&str> {
        self.host.as_deref()
    }

    /// The path as sent, percent-encoded: `/api/v2/users/u%201`.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The first value of query parameter `name`, decoded.
    pub fn query(&self, name: &str) -> Option<String> {
        self.query_all(name).into_iter().next()
    }

    /// Every value of query parameter `name`, decoded, in order.
    pub fn query_all(&self, name: &str) -> Vec<String> {
        let decode = |s: &str| percent_decode_str(s).decode_utf8_lossy().into_owned();
        self.query
            .as_deref()
            .unwrap_or_default()
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .filter(|(key, _)| decode(key) == name)
            .map(|(_, value)| decode(value))
            .collect()
    }

    /// A header's value, if it is text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// All the headers (`Authorization` included).
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The body as sent.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The body decoded from JSON.
    pub fn json<T: DeserializeOwned>(&self) -> serde_json::Result<T> {
        serde_json::from_slice(&self.body)
    }
}

impl fmt::Debug for StubCall {
    /// Method, path, query and body size: never the `Authorization` header.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StubCall")
            .field("operation", &self.operation())
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("body_bytes", &self.body.len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_client_over_stubs_makes_no_reqwest_client() {
        let client = super::Stubs::new().client();
        assert!(client.inner.http.is_none());
    }
}
