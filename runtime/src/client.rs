//! The [`Client`] every declared API group calls through, and its [`ClientBuilder`].

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use http::{HeaderMap, HeaderValue, header};

use crate::error::{Error, Result};
use crate::secret::AccessToken;

/// The API base URL of the default region (`us-east-1`, `mypurecloud.com`).
pub const DEFAULT_BASE_URL: &str = "https://api.mypurecloud.com";

/// Default time allowed to establish a connection: 10 seconds.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Default time allowed for one request, from sending to the last byte of the body: 30 seconds.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// Default cap on a response body: 16 MiB. Larger bodies give [`Error::BodyTooLarge`].
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
/// pool and one token).
///
/// ```
/// use genesys_runtime::Client;
/// # fn main() -> genesys_runtime::Result<()> {
/// let client = Client::builder()
///     .access_token("my-token")
///     .build()?;
/// assert_eq!(client.base_url(), "https://api.mypurecloud.com");
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<ClientInner>,
}

pub(crate) struct ClientInner {
    pub(crate) http: reqwest::Client,
    pub(crate) base_url: String,
    pub(crate) authorization: Option<HeaderValue>,
    pub(crate) request_timeout: Duration,
    pub(crate) max_response_bytes: usize,
}

impl Client {
    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The API base URL, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field(
                "authorization",
                &self.inner.authorization.as_ref().map(|_| "<redacted>"),
            )
            .field("request_timeout", &self.inner.request_timeout)
            .field("max_response_bytes", &self.inner.max_response_bytes)
            .finish()
    }
}

/// Configures a [`Client`].
///
/// Defaults: base URL [`DEFAULT_BASE_URL`], connect timeout [`DEFAULT_CONNECT_TIMEOUT`],
/// request timeout [`DEFAULT_REQUEST_TIMEOUT`], response cap [`DEFAULT_MAX_RESPONSE_BYTES`].
#[derive(Clone)]
#[must_use = "a builder does nothing until `build` is called"]
pub struct ClientBuilder {
    base_url: String,
    access_token: Option<AccessToken>,
    connect_timeout: Duration,
    request_timeout: Duration,
    max_response_bytes: usize,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            base_url: DEFAULT_BASE_URL.to_owned(),
            access_token: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
        }
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("access_token", &self.access_token)
            .field("connect_timeout", &self.connect_timeout)
            .field("request_timeout", &self.request_timeout)
            .field("max_response_bytes", &self.max_response_bytes)
            .finish()
    }
}

impl ClientBuilder {
    /// Sends requests to this base URL instead of the default region's, for a gateway or a
    /// local server (`http://127.0.0.1:8080`). A trailing `/` is ignored.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// Authenticates every request with this OAuth access token.
    pub fn access_token(mut self, token: impl Into<AccessToken>) -> Self {
        self.access_token = Some(token.into());
        self
    }

    /// Time allowed to establish a connection.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Time allowed for one request, from sending to the last byte of the response.
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// Largest response body accepted, in bytes.
    pub fn max_response_bytes(mut self, bytes: usize) -> Self {
        self.max_response_bytes = bytes;
        self
    }

    /// Builds the client.
    ///
    /// Fails with [`Error::Config`] when the base URL is not an absolute `http(s)` URL or the
    /// token cannot be sent as a header.
    pub fn build(self) -> Result<Client> {
        let base_url = normalize_base_url(&self.base_url)?;
        let authorization = match &self.access_token {
            Some(token) => Some(token.bearer_header().ok_or_else(|| {
                Error::config(
                    "the access token contains characters that cannot be sent in a header",
                )
            })?),
            None => None,
        };

        let mut default_headers = HeaderMap::new();
        default_headers.insert(header::ACCEPT, HeaderValue::from_static("application/json"));
        let http = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .default_headers(default_headers)
            .connect_timeout(self.connect_timeout)
            .timeout(self.request_timeout)
            // A redirect would carry the Authorization header to wherever it points.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| {
                Error::Config(Box::new(crate::error::ConfigError {
                    message: "the HTTP client could not be initialised".to_owned(),
                    source: Some(Box::new(e)),
                }))
            })?;

        Ok(Client {
            inner: Arc::new(ClientInner {
                http,
                base_url,
                authorization,
                request_timeout: self.request_timeout,
                max_response_bytes: self.max_response_bytes,
            }),
        })
    }
}

fn normalize_base_url(raw: &str) -> Result<String> {
    let trimmed = raw.trim_end_matches('/');
    let url = reqwest::Url::parse(trimmed).map_err(|e| {
        Error::config(format!(
            "base URL {trimmed:?} is not an absolute URL ({e}); write it like `https://api.mypurecloud.com`"
        ))
    })?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Error::config(format!(
            "base URL {trimmed:?} must use http or https"
        )));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::config(format!(
            "base URL {trimmed:?} must not have a query or fragment"
        )));
    }
    Ok(trimmed.to_owned())
}
