//! The [`Client`] every declared API group calls through, and its [`ClientBuilder`].

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::config::builder::ClientBuilder;
use crate::error::Result;
use crate::send::auth::{Pool, TOKEN_PATH};
use crate::send::layer::Layers;
use crate::send::options::CallOptions;
use crate::send::retry::RetryPolicy;

/// The API base URL of the default region (`us-east-1`, `mypurecloud.com`).
pub const DEFAULT_BASE_URL: &str = "https://api.mypurecloud.com";

/// Default time allowed to establish a connection: 10 seconds.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Default time allowed for one request, from sending to the last byte of the body: 30 seconds.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// Default cap on a response body: 16 MiB. Larger bodies give [`Error::BodyTooLarge`](crate::Error::BodyTooLarge).
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 16 * 1024 * 1024;

/// The `User-Agent` this crate sends: its name and version.
pub const USER_AGENT: &str = concat!("genesys-rs/", env!("CARGO_PKG_VERSION"));

/// Anything that can make calls: the supertrait of every declared API group.
///
/// [`Client`] implements it. Declare API groups as `trait MyApi: Api` and implement them for
/// every `Api` with one line: `impl<T: Api + ?Sized> MyApi for T {}`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot make Genesys calls",
    label = "this type does not implement `genesys_runtime::Api`",
    note = "declare the API group as `trait MyApi: genesys_runtime::Api`, so that `Self` has a client"
)]
pub trait Api: Send + Sync {
    /// The client the calls go through.
    fn client(&self) -> &Client;
}

impl Api for Client {
    fn client(&self) -> &Client {
        self
    }
}

impl<T: Api + ?Sized> Api for &T {
    fn client(&self) -> &Client {
        (**self).client()
    }
}

impl<T: Api + ?Sized> Api for Arc<T> {
    fn client(&self) -> &Client {
        (**self).client()
    }
}

/// A Genesys Cloud API client: build it once, clone it freely (clones share one connection
/// pool, one token cache and one configuration).
///
/// ```
/// use genesys_runtime::{Client, Region};
/// # fn main() -> genesys_runtime::Result<()> {
/// let client = Client::builder()
///     .region(Region::EuWest1)
///     .client_credentials("my-client-id", "my-client-secret")
///     .build()?;
/// assert_eq!(client.base_url(), "https://api.mypurecloud.ie");
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<ClientInner>,
    /// Options over the configuration for the calls made through this handle.
    pub(crate) options: Option<Arc<CallOptions>>,
}

pub(crate) struct ClientInner {
    /// `None` with a [`Transport`](crate::Transport) and no reqwest client of the caller's:
    /// every attempt goes to the transport, so no reqwest client (nor its TLS roots) is made.
    pub(crate) http: Option<reqwest::Client>,
    pub(crate) base_url: String,
    /// `base_url`, parsed: each call's URL is joined to it.
    pub(crate) base: reqwest::Url,
    /// `<login URL>/oauth/token`.
    pub(crate) token_url: String,
    /// `token_url`, parsed.
    pub(crate) token_wire_url: reqwest::Url,
    /// The credentials (one, or several used in turn), each with its rate budget.
    pub(crate) credentials: Pool,
    pub(crate) retry: RetryPolicy,
    pub(crate) connect_timeout: Duration,
    pub(crate) request_timeout: Duration,
    pub(crate) max_response_bytes: usize,
    /// The reqwest client came from the caller: per-request timeout, `Accept` and
    /// `User-Agent` are set on each attempt.
    pub(crate) supplied_http: bool,
    /// Hooks and a custom transport, if any.
    pub(crate) layers: Layers,
    /// What [`Client::connect`] opens connections with.
    pub(crate) network: Network,
}

/// The settings a connection of [`Client::connect`] takes from the client's builder.
#[derive(Default)]
pub(crate) struct Network {
    /// The proxy URL, with its credentials.
    pub(crate) proxy: Option<String>,
    /// PEM bundles trusted besides the platform's roots.
    pub(crate) root_certificates: Vec<Vec<u8>>,
    /// Whether plain text to a host other than loopback is allowed.
    pub(crate) allow_insecure_http: bool,
}

impl Client {
    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured from the environment: see [`ClientBuilder::from_env`].
    pub fn from_env() -> Result<Client> {
        ClientBuilder::from_env()?.build()
    }

    /// A client that applies `options` to every call made through it; it shares this one's
    /// connection pool, token cache and configuration, so it is cheap to make for a single
    /// call. See [`CallOptions`].
    pub fn with_options(&self, options: CallOptions) -> Client {
        Client {
            inner: self.inner.clone(),
            options: Some(Arc::new(options)),
        }
    }

    /// The options this handle applies, if it came from [`with_options`](Self::with_options).
    pub fn options(&self) -> Option<&CallOptions> {
        self.options.as_deref()
    }

    /// The API base URL, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The login base URL, without a trailing `/`: token requests go to
    /// `<login URL>/oauth/token`. See [`ClientBuilder`] for how it is chosen.
    pub fn login_url(&self) -> &str {
        self.inner
            .token_url
            .strip_suffix(TOKEN_PATH)
            .unwrap_or(&self.inner.token_url)
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("token_url", &self.inner.token_url)
            .field("auth", &self.inner.credentials)
            .field("retry", &self.inner.retry)
            .field("connect_timeout", &self.inner.connect_timeout)
            .field("request_timeout", &self.inner.request_timeout)
            .field("max_response_bytes", &self.inner.max_response_bytes)
            .field("options", &self.options)
            .finish()
    }
}
