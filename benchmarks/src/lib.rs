//! The contenders the benchmarks compare, and the loopback server they call.
//!
//! - **generated**: `genesys_api_tokens::TokensApi`, expanded by `#[endpoint]`.
//! - **hand-written**: the same request written directly with reqwest, as a careful user
//!   would (URL built with percent-encoding, the same headers, status check, JSON decode).
//! - **cloud** and **cloud hand-written**: the same operation from `genesys_cloud`'s
//!   generated Tokens group (a named call) and by hand with reqwest, both decoding
//!   `genesys_cloud`'s generated `TokenInfo`.
//! - **bare hyper**: a hyper client with no retry, auth or error mapping: the floor.
//! - **listing** and **hand-written page loop**: `GET /api/v2/users` page after page
//!   (`pageSize`, `pageNumber`, until `pageCount`), through a declared listing
//!   ([`UsersApi::list_users`]) and by hand with reqwest ([`HandWritten::list_users`]).

use std::convert::Infallible;
use std::fmt::Write as _;
use std::net::SocketAddr;
use std::time::Duration;

use bytes::Bytes;
use genesys_api_tokens::{IdleTokenTimeout, TokenInfo};
use genesys_runtime::{Api, Listing, api, endpoint};
use http::{HeaderValue, Request, StatusCode, header};
use http_body_util::{BodyExt, Empty, Full};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::client::legacy::Client as HyperClient;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::{TokioExecutor, TokioIo};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// The bearer token every contender sends.
pub const TOKEN: &str = "bench-token-0123456789abcdef0123456789abcdef";

/// A realistic `GET /api/v2/tokens/me` answer (about 1.2 KB).
pub fn token_info_json() -> Bytes {
    Bytes::from_static(
        br#"{"organization":{"id":"8f7a1c2e-5b1d-4c6e-9a2f-3d4e5f6a7b8c","name":"Acme Contact Center"},"homeOrganization":{"id":"8f7a1c2e-5b1d-4c6e-9a2f-3d4e5f6a7b8c","name":"Acme Contact Center"},"authorizedScope":["tokens","users:readonly","analytics","conversations","routing:readonly"],"dateTokenIdles":"2025-07-01T12:34:56.789Z","OAuthClient":{"id":"4a5b6c7d-8e9f-4a0b-9c1d-2e3f4a5b6c7d","name":"Acme integration","dateCreated":"2024-02-29T08:00:00Z","dateModified":"2025-01-15T10:20:30.500Z","createdBy":{"id":"5b6c7d8e-9f0a-4b1c-8d2e-3f4a5b6c7d8e","selfUri":"/api/v2/users/5b6c7d8e-9f0a-4b1c-8d2e-3f4a5b6c7d8e"},"modifiedBy":{"id":"5b6c7d8e-9f0a-4b1c-8d2e-3f4a5b6c7d8e","selfUri":"/api/v2/users/5b6c7d8e-9f0a-4b1c-8d2e-3f4a5b6c7d8e"},"authorizedGrantType":"CLIENT-CREDENTIALS","scope":["tokens","users:readonly"],"roleDivisions":[{"roleId":"6c7d8e9f-0a1b-4c2d-9e3f-4a5b6c7d8e9f","divisionId":"7d8e9f0a-1b2c-4d3e-8f4a-5b6c7d8e9f0a"},{"roleId":"8e9f0a1b-2c3d-4e4f-9a5b-6c7d8e9f0a1b","divisionId":"7d8e9f0a-1b2c-4d3e-8f4a-5b6c7d8e9f0a"}],"state":"active","organization":{"id":"8f7a1c2e-5b1d-4c6e-9a2f-3d4e5f6a7b8c","name":"Acme Contact Center"}}}"#,
    )
}

/// How many users a listing page holds, and how many pages the listing has.
pub const PAGE_SIZE: u32 = 25;
/// See [`PAGE_SIZE`].
pub const PAGE_COUNT: u32 = 4;

/// A user as `GET /api/v2/users` lists it (its default fields).
#[derive(Debug, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    /// The id.
    pub id: String,
    /// The name.
    pub name: Option<String>,
    /// The division.
    pub division: Option<Division>,
    /// The chat address.
    pub chat: Option<Chat>,
    /// The e-mail address.
    pub email: Option<String>,
    /// `active`, `inactive` or `deleted`.
    pub state: Option<String>,
    /// The user name.
    pub username: Option<String>,
    /// The version.
    pub version: Option<i64>,
    /// Whether ACD calls are answered automatically.
    pub acd_auto_answer: Option<bool>,
    /// The user's URI.
    pub self_uri: Option<String>,
}

/// A division reference.
#[derive(Debug, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Division {
    /// The id.
    pub id: String,
    /// The name.
    pub name: Option<String>,
    /// The division's URI.
    pub self_uri: Option<String>,
}

/// A chat address.
#[derive(Debug, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Chat {
    /// The Jabber id.
    pub jabber_id: Option<String>,
}

/// A page of users, as a hand-written loop decodes it.
#[derive(Debug, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserPage {
    /// The users.
    #[serde(default)]
    pub entities: Vec<User>,
    /// How many pages there are.
    pub page_count: Option<u32>,
}

/// A users listing, declared as a user would.
#[api]
pub trait UsersApi: Api {
    /// `GET /api/v2/users`, page after page.
    #[endpoint(method = "GET", path = "/api/v2/users", paging = "page")]
    fn list_users(&self) -> Listing<User>;
}

impl<T: Api + ?Sized> UsersApi for T {}

/// Page `number` (from 1) of the users listing, as Genesys writes it.
pub fn users_page_json(number: u32) -> Bytes {
    let mut entities = Vec::new();
    for i in 0..PAGE_SIZE {
        let n = (number - 1) * PAGE_SIZE + i;
        let id = format!("{n:08x}-5b1d-4c6e-9a2f-3d4e5f6a7b8c");
        entities.push(serde_json::json!({
            "id": id,
            "name": format!("Agent {n}"),
            "division": {
                "id": "7d8e9f0a-1b2c-4d3e-8f4a-5b6c7d8e9f0a",
                "name": "Home",
                "selfUri": "/api/v2/authorization/divisions/7d8e9f0a-1b2c-4d3e-8f4a-5b6c7d8e9f0a"
            },
            "chat": { "jabberId": format!("{id}@acme.orgspan.com") },
            "email": format!("agent{n}@acme.example"),
            "state": "active",
            "username": format!("agent{n}@acme.example"),
            "version": 3,
            "acdAutoAnswer": false,
            "selfUri": format!("/api/v2/users/{id}")
        }));
    }
    let page = serde_json::json!({
        "entities": entities,
        "pageSize": PAGE_SIZE,
        "pageNumber": number,
        "total": PAGE_SIZE * PAGE_COUNT,
        "firstUri": format!("/api/v2/users?pageSize={PAGE_SIZE}&pageNumber=1"),
        "selfUri": format!("/api/v2/users?pageSize={PAGE_SIZE}&pageNumber={number}"),
        "lastUri": format!("/api/v2/users?pageSize={PAGE_SIZE}&pageNumber={PAGE_COUNT}"),
        "pageCount": PAGE_COUNT
    });
    Bytes::from(serde_json::to_vec(&page).expect("serializable"))
}

/// The page number a request asks for (`pageNumber=n` in its query), 1 without one.
fn page_number(query: Option<&str>) -> u32 {
    query
        .into_iter()
        .flat_map(|q| q.split('&'))
        .find_map(|pair| pair.strip_prefix("pageNumber="))
        .and_then(|n| n.parse().ok())
        .unwrap_or(1)
}

/// Starts a keep-alive HTTP/1.1 server on 127.0.0.1, on its own thread and runtime, that
/// answers `GET /api/v2/users` with the users page its `pageNumber` asks for (an empty
/// page past the last) and every other request with 200 and `body`. Returns its address.
pub fn start_server(body: Bytes) -> SocketAddr {
    let pages: Vec<Bytes> = (1..=PAGE_COUNT).map(users_page_json).collect();
    serve(move |request| {
        let body = if request.uri().path() == "/api/v2/users" {
            let number = page_number(request.uri().query()) as usize;
            number
                .checked_sub(1)
                .and_then(|index| pages.get(index).cloned())
                .unwrap_or_else(|| Bytes::from_static(br#"{"entities":[]}"#))
        } else {
            body.clone()
        };
        let mut response = hyper::Response::new(Full::new(body));
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        response.headers_mut().insert(
            "inin-correlation-id",
            HeaderValue::from_static("bench-correlation-id"),
        );
        response
    })
}

/// Starts a keep-alive HTTP/1.1 server on 127.0.0.1, on its own thread and runtime, that
/// answers each request with what `respond` makes of it. Returns its address.
pub fn serve<F>(respond: F) -> SocketAddr
where
    F: Fn(&Request<hyper::body::Incoming>) -> hyper::Response<Full<Bytes>> + Send + Sync + 'static,
{
    let respond = std::sync::Arc::new(respond);
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("server runtime");
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind loopback");
            tx.send(listener.local_addr().expect("address"))
                .expect("send address");
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let _ = stream.set_nodelay(true);
                let respond = respond.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |request: Request<hyper::body::Incoming>| {
                        let response = respond(&request);
                        async move { Ok::<_, Infallible>(response) }
                    });
                    let _ = http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
    });
    rx.recv().expect("the server's address")
}

/// The generated client: `genesys_runtime::Client` with the defaults.
pub fn generated_client(addr: SocketAddr) -> genesys_runtime::Client {
    genesys_runtime::Client::builder()
        .base_url(format!("http://{addr}"))
        .access_token(TOKEN)
        .build()
        .expect("client")
}

const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The same calls written by hand with reqwest.
#[derive(Clone)]
pub struct HandWritten {
    http: reqwest::Client,
    base: String,
    authorization: HeaderValue,
}

/// What a hand-written call fails with.
pub type HandError = Box<dyn std::error::Error + Send + Sync>;

impl HandWritten {
    /// A reqwest client configured like the generated one (user agent, `Accept`, timeouts,
    /// no redirects), with the `Authorization` value computed once.
    pub fn new(addr: SocketAddr) -> Self {
        // The shared reqwest build uses rustls with ring and no provider of its own: a
        // program building its own reqwest client installs one first.
        genesys_runtime::install_crypto_provider();
        let mut headers = http::HeaderMap::new();
        headers.insert(header::ACCEPT, HeaderValue::from_static("application/json"));
        let http = reqwest::Client::builder()
            .user_agent("hand-written/1.0")
            .default_headers(headers)
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(30))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("reqwest client");
        let mut authorization =
            HeaderValue::from_str(&format!("Bearer {TOKEN}")).expect("header value");
        authorization.set_sensitive(true);
        HandWritten {
            http,
            base: format!("http://{addr}"),
            authorization,
        }
    }

    /// `GET /api/v2/tokens/me[?preserveIdleTTL=..]`, decoded.
    pub async fn get_tokens_me(
        &self,
        preserve_idle_ttl: Option<bool>,
    ) -> Result<TokenInfo, HandError> {
        self.get_tokens_me_into(preserve_idle_ttl).await
    }

    /// The same call decoded into another model, such as `genesys_cloud`'s generated
    /// `TokenInfo`.
    pub async fn get_tokens_me_into<T: serde::de::DeserializeOwned>(
        &self,
        preserve_idle_ttl: Option<bool>,
    ) -> Result<T, HandError> {
        let url = Self::tokens_me_url(&self.base, preserve_idle_ttl);
        let response = self
            .http
            .get(url)
            .header(header::AUTHORIZATION, self.authorization.clone())
            .send()
            .await?;
        if !response.status().is_success() {
            return Err(format!("status {}", response.status()).into());
        }
        let body = response.bytes().await?;
        Ok(serde_json::from_slice(&body)?)
    }

    /// `GET /api/v2/users` page after page (`pageSize`, `pageNumber` from 1, until
    /// `pageCount` or an empty page), each user handed to `each`; returns how many.
    pub async fn list_users(
        &self,
        page_size: u32,
        mut each: impl FnMut(User),
    ) -> Result<usize, HandError> {
        let mut listed = 0;
        let mut page_number = 1u32;
        loop {
            let url = format!(
                "{}/api/v2/users?pageSize={page_size}&pageNumber={page_number}",
                self.base
            );
            let response = self
                .http
                .get(url)
                .header(header::AUTHORIZATION, self.authorization.clone())
                .send()
                .await?;
            if !response.status().is_success() {
                return Err(format!("status {}", response.status()).into());
            }
            let body = response.bytes().await?;
            let page: UserPage = serde_json::from_slice(&body)?;
            let last = page.entities.is_empty()
                || page.page_count.is_none_or(|count| page_number >= count);
            listed += page.entities.len();
            page.entities.into_iter().for_each(&mut each);
            if last {
                return Ok(listed);
            }
            page_number += 1;
        }
    }

    /// The URL a hand-written `get_tokens_me` builds.
    pub fn tokens_me_url(base: &str, preserve_idle_ttl: Option<bool>) -> String {
        let mut url = format!("{base}/api/v2/tokens/me");
        if let Some(preserve) = preserve_idle_ttl {
            let _ = write!(url, "?preserveIdleTTL={preserve}");
        }
        url
    }

    /// What a hand-written `delete_token` builds: the URL with the id as one encoded segment.
    pub fn delete_token_url(base: &str, user_id: &str) -> String {
        format!(
            "{base}/api/v2/tokens/{}",
            utf8_percent_encode(user_id, COMPONENT)
        )
    }

    /// What a hand-written `put_tokens_timeout` builds before sending: the URL and the JSON
    /// body as the `Bytes` that reqwest's `.body(vec)` turns it into.
    pub fn put_tokens_timeout_parts(base: &str, body: &IdleTokenTimeout) -> (String, Bytes) {
        (
            format!("{base}/api/v2/tokens/timeout"),
            Bytes::from(serde_json::to_vec(body).expect("serializable")),
        )
    }
}

/// A bare hyper client: no retries, auth logic or error mapping. The floor.
#[derive(Clone)]
pub struct BareHyper {
    client: HyperClient<HttpConnector, Empty<Bytes>>,
    uri: http::Uri,
}

impl BareHyper {
    /// A pooled hyper client for `GET /api/v2/tokens/me` on `addr`.
    pub fn new(addr: SocketAddr) -> Self {
        BareHyper {
            client: HyperClient::builder(TokioExecutor::new()).build_http(),
            uri: format!("http://{addr}/api/v2/tokens/me")
                .parse()
                .expect("uri"),
        }
    }

    /// One GET with the same headers, body collected and decoded.
    pub async fn get_tokens_me(&self) -> Result<TokenInfo, HandError> {
        let request = Request::get(self.uri.clone())
            .header(
                header::AUTHORIZATION,
                HeaderValue::from_static(concat!(
                    "Bearer ",
                    "bench-token-0123456789abcdef0123456789abcdef"
                )),
            )
            .header(header::ACCEPT, HeaderValue::from_static("application/json"))
            .body(Empty::new())?;
        let response = self.client.request(request).await?;
        if response.status() != StatusCode::OK {
            return Err("status".into());
        }
        let body = response.into_body().collect().await?.to_bytes();
        Ok(serde_json::from_slice(&body)?)
    }
}

/// A loopback server in a child process (this program run with `serve`), so that the
/// measured process holds the client alone; stopped when dropped. The child prints its
/// address first, then one line for each line it reads on its stdin.
pub struct ChildServer {
    child: std::process::Child,
    /// Where it listens.
    pub addr: SocketAddr,
}

impl ChildServer {
    /// Starts `<this program> serve` and reads its address.
    pub fn start() -> ChildServer {
        use std::process::{Command, Stdio};
        let mut child = Command::new(std::env::current_exe().expect("this program's path"))
            .arg("serve")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("the server process starts");
        let addr = Self::line(&mut child).parse().expect("a socket address");
        ChildServer { child, addr }
    }

    /// Asks the child for its next line (it answers one per line read).
    pub fn ask(&mut self) -> String {
        use std::io::Write;
        let stdin = self.child.stdin.as_mut().expect("its stdin");
        stdin.write_all(b"\n").expect("ask the server");
        stdin.flush().expect("flush");
        Self::line(&mut self.child)
    }

    /// One line of the child's output, read byte by byte (nothing is buffered past it).
    fn line(child: &mut std::process::Child) -> String {
        use std::io::Read;
        let stdout = child.stdout.as_mut().expect("its stdout");
        let mut line = String::new();
        let mut byte = [0u8; 1];
        while stdout.read(&mut byte).is_ok_and(|n| n == 1) && byte[0] != b'\n' {
            line.push(char::from(byte[0]));
        }
        line
    }
}

impl Drop for ChildServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
