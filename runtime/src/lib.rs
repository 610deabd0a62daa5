#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

// The flow, one folder a stage: `request/` builds a request from a declared endpoint's
// arguments, `send/` sends it (`auth/` credentials, `retry`, `transport`, the `call` loop),
// `response/` reads the answer, `error/` is what can go wrong; `client` and `config/` hold
// what every stage shares.
pub mod budget;
mod client;
mod config;
mod connect;
mod error;
mod listing;
mod request;
mod response;
mod send;
pub mod testing;

pub use client::{
    Api, Client, DEFAULT_BASE_URL, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_REQUEST_TIMEOUT, USER_AGENT,
};
pub use config::builder::{
    ClientBuilder, ENV_ACCESS_TOKEN, ENV_OAUTHCLIENT_ID, ENV_OAUTHCLIENT_SECRET, ENV_REGION,
};
pub use connect::Connection;
pub use error::{
    ApiError, AuthError, BodyTooLarge, CORRELATION_ID_HEADER, ConfigError, DecodeError, Error,
    InvalidArgument, Result, Route, TimeoutError, TokenSourceError, TransportError,
};
pub use response::error_body::{Detail, ErrorBody, Limit};

/// Where access tokens come from: the [`TokenSource`](auth::TokenSource) trait, the built-in
/// grants, and the OAuth token request they share.
///
/// A client asks its source for a token when it has none, shortly before the current one
/// expires, and once after the API answered `401` (then replays the call once); concurrent
/// calls share one fetch and its outcome, a failure included, each waiting no longer than
/// its own timeout and deadline (see [`TokenSource`](auth::TokenSource)). [`ClientBuilder::access_token`],
/// [`ClientBuilder::client_credentials`] and [`ClientBuilder::token_source`] choose the source.
pub mod auth {
    pub use crate::send::auth::{
        AccessToken, ClientCredentials, ClientSecret, IssuedToken, Login, RefreshToken,
        RefreshTokenGrant, TOKEN_PATH, Token, TokenFuture, TokenRequest, TokenSource,
    };
}
pub use budget::{BudgetState, LocalBudget, RateBudget, RateLimit};
pub use config::region::{Region, UnknownRegion};
/// Declares an API group on its trait: its `#[endpoint]` methods, and its route table.
///
/// Put `#[api]` on the trait, above the `#[endpoint]` methods. Besides the methods (exactly
/// as `#[endpoint]` alone writes them), it generates a `pub static` [`ApiGroup`] named after
/// the trait (`PresenceApi` → `PRESENCE_API`) whose docs print the table: every endpoint's
/// operation, method, path, parameters (wire name, kind, optional, list), return type and
/// policy. The calls use the very same [`Endpoint`]s, so the table cannot drift from them.
///
/// ```
/// use genesys_runtime::{Api, Result, api, endpoint};
///
/// /// Presence, declared.
/// #[api]
/// pub trait PresenceApi: Api {
///     /// Get a user's presence.
///     #[endpoint(method = "GET", path = "/api/v2/users/{userId}/presences/{sourceId}")]
///     async fn get_presence(&self, user_id: &str, source_id: &str) -> Result<serde_json::Value>;
/// }
/// impl<T: Api + ?Sized> PresenceApi for T {}
///
/// let endpoint = PRESENCE_API.endpoint("get_presence").unwrap();
/// assert_eq!(endpoint.path, "/api/v2/users/{userId}/presences/{sourceId}");
/// assert_eq!(endpoint.params[0].name, "userId");
/// ```
#[doc(inline)]
pub use genesys_macros::api;
/// Declares one endpoint of an API group: put it on a method of a trait whose supertrait is
/// [`Api`], and the macro writes the method's body.
///
/// ```
/// use genesys_runtime::{Api, PlainText, Response, Result, endpoint};
/// use serde::{Deserialize, Serialize};
///
/// #[derive(Deserialize)]
/// pub struct User { pub id: Option<String>, pub name: Option<String> }
/// #[derive(Serialize)]
/// pub struct UserPatch { pub name: String, pub version: i32 }
///
/// /// The Users API group.
/// pub trait UsersApi: Api {
///     /// Get a user. `{userId}` binds `user_id`; `#[query]` sends `expand=a&expand=b`.
///     #[endpoint(method = "GET", path = "/api/v2/users/{userId}")]
///     async fn get_user(
///         &self,
///         user_id: &str,
///         #[query] expand: &[&str],
///         #[query(name = "integrationPresenceSource")] source: Option<&str>,
///     ) -> Result<User>;
///
///     /// Update a user; the full response carries status and headers.
///     #[endpoint(method = "PATCH", path = "/api/v2/users/{userId}")]
///     async fn patch_user(
///         &self,
///         #[path(name = "userId")] id: &str,
///         #[body] body: &UserPatch,
///         #[header(name = "X-Request-Id")] request_id: Option<&str>,
///     ) -> Result<Response<User>>;
///
///     /// Delete a user: `()` ignores the body.
///     #[endpoint(method = "DELETE", path = "/api/v2/users/{userId}")]
///     async fn delete_user(&self, user_id: &str) -> Result<()>;
///
///     /// A raw text body.
///     #[endpoint(method = "GET", path = "/api/v2/users/{userId}/profile.txt")]
///     async fn get_profile_text(&self, user_id: &str) -> Result<PlainText>;
/// }
///
/// /// Every client (anything that implements `Api`) gets the methods.
/// impl<T: Api + ?Sized> UsersApi for T {}
/// ```
///
/// # Attribute
///
/// `#[endpoint(method = "...", path = "...")]`, both required, both string literals, and
/// optionally the endpoint's policy:
/// - `method`: `GET`, `HEAD`, `POST`, `PUT`, `PATCH` or `DELETE`, in upper case.
/// - `path`: starts with `/`, no `?`, `#` or whitespace; `{name}` placeholders.
/// - `timeout = "30s"` (or `"500ms"`, `"2m"`; at most 1 hour): each attempt's bound for this
///   endpoint, instead of the client's request timeout.
/// - `retry = "safe"`: a POST or PATCH that only reads (an analytics query, a search), so a
///   `502`–`504` or a lost connection is retried as for a GET. `retry = "never"`: one
///   request, whatever the answer. See [`RetryRule`].
/// - `accept = "text/csv"`: the media type asked for (instead of `application/json`); read
///   the answer as [`PlainText`], [`RawBytes`] or [`ByteStream`].
/// - `paging = "page"` (or another of the ten [`Paging`] styles): a listing (see below);
///   `items = "results"` names the page's item field when it is not the style's default.
/// - `named`, in an [`api`] trait: the optional arguments (an `Option`, a list, an optional
///   body) are set by name on a call type instead of passed in order (see below).
/// - `crate = "genesys"`: where this crate is, when your `Cargo.toml` renames it (or
///   re-exports it: `crate = "genesys_api_tokens::runtime"`). On `#[api(crate = "...")]`
///   it holds for every method.
///
/// A [`CallOptions`] given with [`Client::with_options`] wins over the declaration for the
/// calls made through it.
///
/// # Arguments
///
/// The method takes `&self`, then arguments with plain names and concrete types:
///
/// | argument | sent as | types |
/// |---|---|---|
/// | no attribute, named after a placeholder (`user_id` for `{userId}`) | one percent-encoded path segment; `None`, a list, empty, `.` and `..` are refused before sending | a [`Value`]: `&str`, `String`, integers, floats, `bool`, [`string_enum!`] enums, and any `Serialize` type of yours that writes one string, number or bool (a fieldless `#[derive(Serialize)]` enum with its serde names, a newtype around one) marked `impl Value for ... {}` ([`PathParam`]) |
/// | `#[path(name = "userId")]` | the same, for any argument name | the same |
/// | `#[query]` (wire name: the camelCase of the argument) or `#[query(name = "preserveIdleTTL")]` | `?name=value`; omitted for `None`; repeated for lists (`expand=a&expand=b`) | a value, an `Option` of one, or a `Vec`, slice or array of them ([`QueryParam`]); a struct is a compile error |
/// | `#[header(name = "X-Name")]` | a request header; omitted for `None`; lists joined with `, ` | the same ([`HeaderParam`]) |
/// | `#[body]` or `#[body(json)]` | JSON, `Content-Type: application/json` (not allowed on GET or HEAD) | `T`, `&T` or `Option<&T>` (no body for `None`), `T: Serialize` ([`JsonBody`]) |
/// | `#[body(form)]` | `application/x-www-form-urlencoded` | a `Serialize` struct or map of values ([`FormBody`]) |
/// | `#[body(text)]` | `text/plain; charset=utf-8` | `&str`, `String` (`AsRef<str>`: [`TextBody`]) |
/// | `#[body(bytes)]` | `application/octet-stream` | `&[u8]`, `Vec<u8>`, `Bytes` (`AsRef<[u8]>`: [`BytesBody`]) |
/// | `#[body(multipart)]` | `multipart/form-data; boundary=…` | [`Multipart`] ([`MultipartBody`]) |
///
/// Each position's type is checked with the public trait named in the table (and the return
/// type with [`FromResponse`], a listing's item with [`ListingItem`]), on your token: a type
/// that does not fit is an error that names your type and the position, and nothing of this
/// crate's internals, so your own compile-fail snapshots do not change when this crate does.
///
/// `content_type = "..."` sets the media type of a JSON, text or bytes body:
/// `#[body(bytes, content_type = "image/png")]`.
///
/// # Return type
///
/// `async fn ... -> Result<T>` with this crate's [`Result`]:
/// - `Result<()>`: any 2xx succeeds and the body is ignored (HEAD, DELETE, 204);
/// - `Result<T>` for `T: Deserialize`: the JSON body (an empty body reads as `null`);
/// - `Result<Response<T>>`: status, headers and the correlation id too;
/// - `Result<PlainText>`, `Result<RawBytes>`: the body untouched;
/// - `Result<ByteStream>`: the body as it arrives, for downloads: no size cap, bounded
///   memory, each chunk within the attempt's timeout.
///
/// A HEAD endpoint returns `Result<()>` or `Result<Response<()>>`.
///
/// # Listings
///
/// With `paging = "..."`, declare a plain `fn` (not `async`) returning [`Listing<Item>`]:
/// nothing is sent until it is read with [`Listing::items`] or [`Listing::pages`] (streams,
/// with `try_next`), or [`Listing::all`]. `.page_size(n)` sends `pageSize`, `.limit(n)` stops
/// after `n` items; a page is requested only when the items before it are read, each page
/// is one call with the client's retries, and the runtime sets `pageSize` and the page or
/// cursor parameter itself (declaring them is an error).
///
/// ```
/// use genesys_runtime::{Api, Listing, endpoint};
/// #[derive(serde::Deserialize)]
/// pub struct Queue { pub id: String }
/// pub trait RoutingApi: Api {
///     /// `pageNumber=1, 2, …` until `pageCount` (or an empty page).
///     #[endpoint(method = "GET", path = "/api/v2/routing/queues", paging = "page")]
///     fn list_queues(&self, #[query] name: Option<&str>) -> Listing<Queue>;
///
///     /// `cursor=` the previous page's `cursor` (or the one in its `nextUri`).
///     #[endpoint(method = "GET", path = "/api/v2/analytics/conversations/details/jobs/{jobId}/results",
///                paging = "cursor", items = "conversations")]
///     fn job_results(&self, job_id: &str) -> Listing<serde_json::Value>;
///
///     /// `after=` the cursor in the previous page's `nextUri`.
///     #[endpoint(method = "GET", path = "/api/v2/assistants", paging = "after")]
///     fn list_assistants(&self) -> Listing<serde_json::Value>;
///
///     /// `paging.pageNumber` and `paging.pageSize` set in the JSON body, until `totalHits`.
///     #[endpoint(method = "POST", path = "/api/v2/analytics/conversations/details/query",
///                paging = "body-paging", items = "conversations", retry = "safe")]
///     fn conversations(&self, #[body] query: &serde_json::Value) -> Listing<serde_json::Value>;
///
///     /// The answer's `nextPage` link (only on the client's own host).
///     #[endpoint(method = "GET", path = "/api/v2/users/search", paging = "next-page")]
///     fn search_users(&self, #[query] q64: &str) -> Listing<serde_json::Value>;
/// }
/// ```
///
/// The styles, by what moves to the next page: `page`, `cursor`, `after` and `scim`
/// (`startIndex`, `count`) in the query; `body-page`, `body-paging`, `body-cursor` and
/// `body-after` in the JSON body; `next-uri` and `next-page`, the answer's link, requested
/// only on the client's own host under `/api/` (a link elsewhere ends the listing with an
/// error, and is never requested with the client's credential). See [`Paging`].
///
/// # Named optional parameters
///
/// Genesys operations take up to dozens of optional parameters. With `named` (in an
/// [`api`] trait), the method takes the required arguments and returns a call type
/// (`<Method>Call`) with a setter per optional argument; `.send()` gives what the method
/// declares. The route table still lists every parameter.
///
/// ```
/// use genesys_runtime::{Api, Client, Listing, Result, api, endpoint};
/// #[api]
/// pub trait RoutingApi: Api {
///     #[endpoint(method = "GET", path = "/api/v2/routing/queues/{queueId}/members",
///                paging = "page", named)]
///     fn members(&self, queue_id: &str,
///         #[query] name: Option<&str>,
///         #[query(name = "routingStatus")] routing_status: &[&str],
///         #[query] joined: Option<bool>) -> Listing<serde_json::Value>;
/// }
/// impl<T: Api + ?Sized> RoutingApi for T {}
///
/// async fn idle(client: &Client) -> Result<Vec<serde_json::Value>> {
///     client.members("q1").routing_status(&["IDLE"]).joined(true).send().all().await
/// }
/// ```
///
/// # What it expands to
///
/// ```text
/// /// Delete a user: `()` ignores the body.
/// ///
/// /// `DELETE /api/v2/users/{userId}`
/// fn delete_user(&self, user_id: &str)
///     -> impl Future<Output = Result<()>> + Send
/// {
///     static ENDPOINT: Endpoint = Endpoint::new("delete_user", Method::DELETE, "/api/v2/users/{userId}")
///         .params(&[Param::new("userId", ParamKind::Path, false, false)])
///         .returns("()");
///     let mut request = RequestBuilder::new(Api::client(self), &ENDPOINT);
///     request.path("/api/v2/users/");
///     <str as PathParam>::add_to(&*user_id, &mut request, "userId");
///     request.send_unit()
/// }
/// ```
///
/// Arguments are encoded when the method is called; the returned future is `Send` and borrows
/// only the client, so calls work inside `tokio::spawn`. Rustdoc shows each method's HTTP
/// method and path under its own documentation.
///
/// # Mistakes are compile errors
///
/// A missing or unknown key, a lower-case or misspelled method, a malformed path, a
/// placeholder without an argument or an argument bound to nothing, two bodies, a body on GET,
/// a missing `async` or `&self`, a type that cannot be sent or decoded, a listing without
/// `Listing<T>`, an unknown body kind or media type, `#[endpoint]` on a free function or in
/// an `impl` block: each is an error on the offending token saying what to write instead, and
/// all of a declaration's mistakes are reported together. (The `impl` check relies on the
/// trait's `Self` not being `Sized`: do not give an API trait a `Sized` supertrait.)
#[doc(inline)]
pub use genesys_macros::endpoint;
/// The `http` crate this one is built on (methods, statuses, header maps), so that its types
/// need no extra dependency.
pub use http;
/// The HTTP status type of [`Error::status`] and [`Response::status`].
pub use http::StatusCode;
pub use listing::{Items, Listing, Page, Pages};
pub use request::endpoint::{Endpoint, Paging, Param, ParamKind, RetryRule};
pub use request::group::ApiGroup;
pub use request::multipart::Multipart;
pub use request::position::{
    BytesBody, FormBody, HeaderParam, JsonBody, ListingItem, MultipartBody, PathParam, QueryParam,
    TextBody, Value,
};
pub use response::stream::ByteStream;
pub use response::{FromResponse, PlainText, RawBytes, Response};
pub use send::auth::{AccessToken, ClientSecret, RefreshToken};
pub use send::layer::{
    BoxError, CalledEndpoint, Hook, Incoming, Outgoing, Transport, TransportFuture,
};
pub use send::options::CallOptions;
pub use send::retry::RetryPolicy;
pub use send::transport::install_crypto_provider;

/// Re-exports for code generated by [`endpoint`]; not a public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::request::RequestBuilder;
    pub use crate::request::endpoint::{Endpoint, Paging, Param, ParamKind, RetryRule};
    pub use crate::request::group::ApiGroup;
    pub use crate::request::placement::{
        ConcreteSelf, DeclaredInATrait, EndpointInATrait, EndpointInAnImpl, Probe, TraitSelf,
    };
    pub use crate::response::RawResponse;
    pub use core::future::Future;
    pub use core::marker::Send;
    pub use http::Method;
    pub use serde;
}
