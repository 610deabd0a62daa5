//! A faithful local Genesys Cloud fake for your tests (feature `fake`): an HTTP server on
//! `127.0.0.1` with client-credentials login and the six Tokens endpoints, stateful, with
//! fault injection and a request log.
//!
//! ```
//! use genesys_api_tokens::TokensApi;
//! use genesys_api_tokens::fake::FakeGenesys;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> genesys_runtime::Result<()> {
//! let fake = FakeGenesys::start().await;          // any free port
//! let client = fake.client_builder().build()?;    // logs in with the default client
//! let me = client.get_tokens_me(None).await?;
//! assert_eq!(me.organization.unwrap().name.as_deref(), Some("Fake Organization"));
//!
//! fake.inject_rate_limit(1, std::time::Duration::from_secs(0)); // next call: 429
//! client.head_tokens_me().await?;                 // retried, then 200
//! assert_eq!(fake.requests().last().unwrap().status, 200);
//! # Ok(()) }
//! ```
//!
//! What it implements, as the real service does:
//! - `POST /oauth/token`: client credentials (HTTP Basic, `grant_type=client_credentials`);
//!   wrong credentials get `401 {"error": "invalid_client", "error_description": ...}`. The
//!   refresh grant (`grant_type=refresh_token`, HTTP Basic or a public client's `client_id`)
//!   for a user signed in with [`FakeGenesys::sign_in_user`]; a refresh token unknown,
//!   revoked (with the user's tokens) or another client's gets `400 invalid_grant`.
//! - A missing, unknown, expired, idle or revoked token gets `401` with an `ErrorBody`
//!   (`HEAD` gets an empty 401).
//! - `GET /api/v2/tokens/me` reports organization, scopes, OAuth client and
//!   `dateTokenIdles`, which moves with each call unless `preserveIdleTTL=true`.
//! - `HEAD /api/v2/tokens/me` answers 200 or 401; `DELETE /api/v2/tokens/me` revokes the
//!   calling token; `DELETE /api/v2/tokens/{userId}` revokes every token of that user (403
//!   without `oauth:token:delete`, 404 for an unknown user).
//! - `GET`/`PUT /api/v2/tokens/timeout` store the organization's setting (PUT needs
//!   `directory:organization:admin`); out-of-range seconds get a 400 `ErrorBody` naming the
//!   field.
//! - The Notifications API (`/api/v2/notifications/channels`, its subscriptions, and the
//!   channel's WebSocket on a port of its own): 20 channels per OAuth client (a 21st removes
//!   the oldest), 1,000 topics per channel, channels that expire (24 hours by default),
//!   heartbeats every 30 seconds, pongs. [`FakeGenesys::publish`] sends an event; faults:
//!   [`FakeGenesys::drop_sockets`], [`FakeGenesys::silence_sockets`],
//!   [`FakeGenesys::close_sockets_for_maintenance`].
//! - Every response carries an `ININ-Correlation-Id`.

mod events;
mod notify;
mod server;
mod socket;
mod state;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use genesys_runtime::ClientBuilder;
use http::{Method, StatusCode};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

pub use notify::{MAX_CHANNELS, MAX_TOPICS, Published};
pub use state::{
    FakeClient, MAX_IDLE_TIMEOUT_SECONDS, MIN_IDLE_TIMEOUT_SECONDS, PERMISSION_ORGANIZATION_ADMIN,
    PERMISSION_TOKEN_DELETE,
};

use server::Shared;
use state::Organization;

/// The id of the client [`FakeGenesys::start`] configures, with every permission.
pub const DEFAULT_CLIENT_ID: &str = "fake-client-id";
/// The secret of that client.
pub const DEFAULT_CLIENT_SECRET: &str = "fake-client-secret";
/// The user [`FakeGenesys::start`] configures.
pub const DEFAULT_USER_ID: &str = "3f4b7a2c-1d2e-4f5a-8b9c-0d1e2f3a4b5c";

/// One request the fake received, as its log records it (never with the token).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct FakeRequest {
    /// The method.
    pub method: Method,
    /// The path as received (still percent-encoded).
    pub path: String,
    /// The raw query string, if any.
    pub query: Option<String>,
    /// The status the fake answered.
    pub status: StatusCode,
    /// The `ININ-Correlation-Id` it answered with.
    pub correlation_id: String,
}

/// What [`FakeGenesys::sign_in_user`] issues, as the token response of an
/// authorization-code sign-in carries it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct UserSignIn {
    /// The access token.
    pub access_token: String,
    /// The refresh token, for `grant_type=refresh_token`.
    pub refresh_token: String,
    /// How long the access token lives.
    pub expires_in: Duration,
}

/// Faults to inject into the next requests.
#[derive(Debug, Default)]
pub(crate) struct Faults {
    latency: Duration,
    rate_limited: usize,
    retry_after: Duration,
    errors: usize,
    error_status: Option<StatusCode>,
}

impl Faults {
    /// The injected reply for the next request, if a fault is pending.
    fn take(&mut self) -> Option<http::Response<http_body_util::Full<bytes::Bytes>>> {
        if self.rate_limited > 0 {
            self.rate_limited -= 1;
            let seconds = self.retry_after.as_secs();
            let mut reply = server::error_body(
                StatusCode::TOO_MANY_REQUESTS,
                "too.many.requests",
                &format!(
                    "Rate limit exceeded the maximum. Retry the request in [{seconds}] seconds"
                ),
                None,
            );
            reply
                .headers_mut()
                .insert(http::header::RETRY_AFTER, http::HeaderValue::from(seconds));
            return Some(reply);
        }
        if self.errors > 0 {
            self.errors -= 1;
            let status = self.error_status.unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
            return Some(server::error_body(
                status,
                "service.unavailable",
                "Service Unavailable - The server is currently unavailable (injected by the fake).",
                None,
            ));
        }
        None
    }
}

/// Configures a [`FakeGenesys`] before it starts.
#[derive(Debug)]
#[must_use = "the fake starts with `start`"]
pub struct FakeGenesysBuilder {
    organization: String,
    clients: Vec<FakeClient>,
    users: HashMap<String, String>,
    token_lifetime: Duration,
    notify: notify::Settings,
}

impl Default for FakeGenesysBuilder {
    fn default() -> Self {
        FakeGenesysBuilder {
            organization: "Fake Organization".to_owned(),
            clients: Vec::new(),
            users: HashMap::new(),
            token_lifetime: Duration::from_secs(86_400),
            notify: notify::Settings::default(),
        }
    }
}

impl FakeGenesysBuilder {
    /// Names the organization.
    pub fn organization(mut self, name: impl Into<String>) -> Self {
        self.organization = name.into();
        self
    }

    /// Accepts this OAuth client at `POST /oauth/token`.
    pub fn client(mut self, client: FakeClient) -> Self {
        self.clients.push(client);
        self
    }

    /// Adds a user (whose tokens [`FakeGenesys::issue_user_token`] mints).
    pub fn user(mut self, id: impl Into<String>, name: impl Into<String>) -> Self {
        self.users.insert(id.into(), name.into());
        self
    }

    /// How long issued tokens live (`expires_in`); 24 hours by default.
    pub fn token_lifetime(mut self, lifetime: Duration) -> Self {
        self.token_lifetime = lifetime;
        self
    }

    /// Starts the fake on a free loopback port, on the current tokio runtime.
    pub async fn start(self) -> FakeGenesys {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("binding a free port on 127.0.0.1");
        let addr = listener.local_addr().expect("the bound address");
        let sockets = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("binding a free port on 127.0.0.1");
        let ws_addr = sockets.local_addr().expect("the bound address");
        let shared = Arc::new(Shared {
            notifications: Mutex::new(notify::Notifications::new(self.notify)),
            ws_base: format!("ws://{ws_addr}"),
            org: Mutex::new(Organization::new(
                self.organization,
                self.clients,
                self.users,
                self.token_lifetime,
            )),
            faults: Mutex::new(Faults::default()),
            log: Mutex::new(Vec::new()),
            correlation: AtomicU64::new(1),
        });
        let socket_task = tokio::spawn(socket::serve(sockets, shared.clone()));
        let task = tokio::spawn({
            let shared = shared.clone();
            async move {
                loop {
                    let Ok((stream, _)) = listener.accept().await else {
                        continue;
                    };
                    let shared = shared.clone();
                    tokio::spawn(async move {
                        let service =
                            service_fn(move |request| server::handle(shared.clone(), request));
                        let _ = http1::Builder::new()
                            .serve_connection(TokioIo::new(stream), service)
                            .await;
                    });
                }
            }
        });
        FakeGenesys {
            addr,
            shared,
            task,
            socket_task,
        }
    }
}

/// A running fake. Dropping it stops the server.
pub struct FakeGenesys {
    addr: SocketAddr,
    shared: Arc<Shared>,
    task: tokio::task::JoinHandle<()>,
    socket_task: tokio::task::JoinHandle<()>,
}

impl std::fmt::Debug for FakeGenesys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeGenesys")
            .field("url", &self.url())
            .finish_non_exhaustive()
    }
}

impl FakeGenesys {
    /// Starts a fake with the default client ([`DEFAULT_CLIENT_ID`], every permission) and
    /// one user ([`DEFAULT_USER_ID`], "Ada Lovelace").
    pub async fn start() -> FakeGenesys {
        Self::builder()
            .client(
                FakeClient::new(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET)
                    .name("Quickstart client")
                    .permission(PERMISSION_TOKEN_DELETE)
                    .permission(PERMISSION_ORGANIZATION_ADMIN),
            )
            .user(DEFAULT_USER_ID, "Ada Lovelace")
            .start()
            .await
    }

    /// Configures a fake with your own clients and users.
    pub fn builder() -> FakeGenesysBuilder {
        FakeGenesysBuilder::default()
    }

    /// The base URL, `http://127.0.0.1:<port>`: both the API and the login host.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// A client builder pointed at the fake, logging in as the default client.
    pub fn client_builder(&self) -> ClientBuilder {
        genesys_runtime::Client::builder()
            .base_url(self.url())
            .client_credentials(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET)
    }

    /// Mints a token for a configured user, as an authorization-code login would.
    /// `None` for an unknown user.
    pub fn issue_user_token(&self, user_id: &str) -> Option<String> {
        self.org().issue_user_token(user_id)
    }

    /// Signs a user in through an OAuth client, as the authorization-code (or PKCE) grant
    /// would: an access token for the user and a refresh token for the refresh grant. `None`
    /// for an unknown client or user.
    pub fn sign_in_user(&self, client_id: &str, user_id: &str) -> Option<UserSignIn> {
        let (access_token, refresh_token, expires_in) = self.org().sign_in(client_id, user_id)?;
        Some(UserSignIn {
            access_token,
            refresh_token,
            expires_in,
        })
    }

    /// Makes an access token expire now, so that the API answers `401` to it. `false` for a
    /// token the fake never issued.
    pub fn expire_token(&self, access_token: &str) -> bool {
        self.org().expire(access_token)
    }

    /// Answers the next `count` requests with `429` and `Retry-After: <retry_after>`.
    pub fn inject_rate_limit(&self, count: usize, retry_after: Duration) {
        let mut faults = self.faults();
        faults.rate_limited = count;
        faults.retry_after = retry_after;
    }

    /// Answers the next `count` requests with `status` (a 5xx burst) and an `ErrorBody`.
    pub fn inject_errors(&self, count: usize, status: u16) {
        let mut faults = self.faults();
        faults.errors = count;
        faults.error_status = StatusCode::from_u16(status).ok();
    }

    /// Delays every answer by `latency` (zero to stop).
    pub fn inject_latency(&self, latency: Duration) {
        self.faults().latency = latency;
    }

    /// Every request received so far, oldest first.
    pub fn requests(&self) -> Vec<FakeRequest> {
        self.shared
            .log
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn org(&self) -> std::sync::MutexGuard<'_, Organization> {
        self.shared.org.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn faults(&self) -> std::sync::MutexGuard<'_, Faults> {
        self.shared.faults.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Drop for FakeGenesys {
    fn drop(&mut self) {
        self.task.abort();
        self.socket_task.abort();
        // Open sockets end with their channels.
        let mut state = self.shared.notifications();
        let ids: Vec<String> = state.channels.keys().cloned().collect();
        for id in ids {
            state.remove(&id);
        }
    }
}
