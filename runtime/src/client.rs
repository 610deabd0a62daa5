//! The [`Client`] every declared API group calls through, and its [`ClientBuilder`].

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use http::{HeaderMap, HeaderValue, header};

use crate::auth::{Auth, TokenSource};
use crate::error::{Error, Result};
use crate::region::Region;
use crate::retry::RetryPolicy;
use crate::secret::{AccessToken, ClientSecret};

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
}

pub(crate) struct ClientInner {
    pub(crate) http: reqwest::Client,
    pub(crate) base_url: String,
    pub(crate) auth: Auth,
    pub(crate) retry: RetryPolicy,
    pub(crate) connect_timeout: Duration,
    pub(crate) request_timeout: Duration,
    pub(crate) max_response_bytes: usize,
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

    /// The API base URL, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("auth", &self.inner.auth)
            .field("retry", &self.inner.retry)
            .field("connect_timeout", &self.inner.connect_timeout)
            .field("request_timeout", &self.inner.request_timeout)
            .field("max_response_bytes", &self.inner.max_response_bytes)
            .finish()
    }
}

/// The credentials a builder was given.
#[derive(Clone, Debug)]
enum Credentials {
    None,
    AccessToken(AccessToken),
    OAuthClient { id: String, secret: ClientSecret },
}

/// Configures a [`Client`].
///
/// Defaults: region `us-east-1` ([`DEFAULT_BASE_URL`]), no credentials, retries on
/// ([`RetryPolicy::default`]), connect timeout [`DEFAULT_CONNECT_TIMEOUT`], request timeout
/// [`DEFAULT_REQUEST_TIMEOUT`], response cap [`DEFAULT_MAX_RESPONSE_BYTES`], tokens only over
/// `https` (or plain `http` to loopback).
#[derive(Clone, Debug)]
#[must_use = "a builder does nothing until `build` is called"]
pub struct ClientBuilder {
    base_url: String,
    login_url: Option<String>,
    credentials: Credentials,
    retry: RetryPolicy,
    connect_timeout: Duration,
    request_timeout: Duration,
    max_response_bytes: usize,
    allow_insecure_http: bool,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            base_url: DEFAULT_BASE_URL.to_owned(),
            login_url: None,
            credentials: Credentials::None,
            retry: RetryPolicy::default(),
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            allow_insecure_http: false,
        }
    }
}

/// `GENESYSCLOUD_REGION`: a region id or domain, as [`Region`] parses it.
pub const ENV_REGION: &str = "GENESYSCLOUD_REGION";
/// `GENESYSCLOUD_ACCESS_TOKEN`: a ready access token.
pub const ENV_ACCESS_TOKEN: &str = "GENESYSCLOUD_ACCESS_TOKEN";
/// `GENESYSCLOUD_OAUTHCLIENT_ID`: the id of an OAuth client using the client-credentials grant.
pub const ENV_OAUTHCLIENT_ID: &str = "GENESYSCLOUD_OAUTHCLIENT_ID";
/// `GENESYSCLOUD_OAUTHCLIENT_SECRET`: that client's secret.
pub const ENV_OAUTHCLIENT_SECRET: &str = "GENESYSCLOUD_OAUTHCLIENT_SECRET";

impl ClientBuilder {
    /// A builder configured from the environment variables the Genesys tooling (CLI,
    /// Terraform provider) uses: [`ENV_REGION`], and either [`ENV_ACCESS_TOKEN`] or
    /// [`ENV_OAUTHCLIENT_ID`] with [`ENV_OAUTHCLIENT_SECRET`]. Further settings can be
    /// chained before `build`.
    ///
    /// Fails when the region is unknown, or when no credentials are set.
    pub fn from_env() -> Result<ClientBuilder> {
        Self::from_lookup(|name| std::env::var(name).ok().filter(|v| !v.trim().is_empty()))
    }

    /// [`from_env`](Self::from_env) with a custom variable lookup (for tests and for
    /// configuration read from elsewhere).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<ClientBuilder> {
        let mut builder = ClientBuilder::default();
        if let Some(region) = lookup(ENV_REGION) {
            let region: Region = region.parse().map_err(|e: crate::region::UnknownRegion| {
                Error::config(format!("{ENV_REGION}: {e}"))
            })?;
            builder = builder.region(region);
        }
        match (
            lookup(ENV_ACCESS_TOKEN),
            lookup(ENV_OAUTHCLIENT_ID),
            lookup(ENV_OAUTHCLIENT_SECRET),
        ) {
            (_, Some(id), Some(secret)) => Ok(builder.client_credentials(id, secret)),
            (Some(token), _, _) => Ok(builder.access_token(token)),
            (None, Some(_), None) => Err(Error::config(format!(
                "{ENV_OAUTHCLIENT_ID} is set but {ENV_OAUTHCLIENT_SECRET} is not; set both"
            ))),
            (None, None, Some(_)) => Err(Error::config(format!(
                "{ENV_OAUTHCLIENT_SECRET} is set but {ENV_OAUTHCLIENT_ID} is not; set both"
            ))),
            (None, None, None) => Err(Error::config(format!(
                "no credentials in the environment: set {ENV_ACCESS_TOKEN}, or {ENV_OAUTHCLIENT_ID} and {ENV_OAUTHCLIENT_SECRET}"
            ))),
        }
    }

    /// Calls this region's API and logs in at its login host.
    pub fn region(mut self, region: Region) -> Self {
        self.base_url = region.api_base_url().to_owned();
        self.login_url = Some(region.login_base_url().to_owned());
        self
    }

    /// Sends requests to this base URL instead of a region's, for a gateway or a local
    /// server (`http://127.0.0.1:8080`). A trailing `/` is ignored. The login URL follows
    /// (`api.` becomes `login.`, other hosts log in at the same URL) unless set with
    /// [`login_url`](Self::login_url).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self.login_url = None;
        self
    }

    /// Logs in (client credentials) at this base URL: the token request goes to
    /// `<url>/oauth/token`.
    pub fn login_url(mut self, url: impl Into<String>) -> Self {
        self.login_url = Some(url.into());
        self
    }

    /// Authenticates every request with this OAuth access token. A `401` is final.
    pub fn access_token(mut self, token: impl Into<AccessToken>) -> Self {
        self.credentials = Credentials::AccessToken(token.into());
        self
    }

    /// Logs in with the client-credentials grant; tokens are cached, renewed before they
    /// expire, and renewed once when the API answers `401`.
    pub fn client_credentials(
        mut self,
        client_id: impl Into<String>,
        secret: impl Into<ClientSecret>,
    ) -> Self {
        self.credentials = Credentials::OAuthClient {
            id: client_id.into(),
            secret: secret.into(),
        };
        self
    }

    /// The retry policy; [`RetryPolicy::disabled`] turns retries off.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Time allowed to establish a connection.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Time allowed for one attempt, from sending to the last byte of the response.
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// Largest response body accepted, in bytes.
    pub fn max_response_bytes(mut self, bytes: usize) -> Self {
        self.max_response_bytes = bytes;
        self
    }

    /// Allows sending credentials over plain `http://` to hosts other than loopback. Off by
    /// default: anyone on the path could read the token.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// Builds the client.
    ///
    /// Fails with [`Error::Config`] when a URL is not an absolute `http(s)` URL, when
    /// credentials would travel over plain `http` to a non-loopback host, or when the token
    /// cannot be sent as a header.
    pub fn build(self) -> Result<Client> {
        let base_url = normalize_url("base URL", &self.base_url)?;
        let has_credentials = !matches!(self.credentials, Credentials::None);
        if has_credentials && !self.allow_insecure_http {
            refuse_plain_http("base URL", &base_url)?;
        }
        let auth = match self.credentials {
            Credentials::None => Auth::None,
            Credentials::AccessToken(token) => {
                Auth::Fixed(token.bearer_header().ok_or_else(|| {
                    Error::config(
                        "the access token contains characters that cannot be sent in a header",
                    )
                })?)
            }
            Credentials::OAuthClient { id, secret } => {
                let login_url = match &self.login_url {
                    Some(url) => normalize_url("login URL", url)?,
                    None => derive_login_url(&base_url),
                };
                if !self.allow_insecure_http {
                    refuse_plain_http("login URL", &login_url)?;
                }
                Auth::ClientCredentials(Arc::new(TokenSource::new(&login_url, id, secret)))
            }
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
                auth,
                retry: self.retry,
                connect_timeout: self.connect_timeout,
                request_timeout: self.request_timeout,
                max_response_bytes: self.max_response_bytes,
            }),
        })
    }
}

fn normalize_url(what: &str, raw: &str) -> Result<String> {
    let trimmed = raw.trim().trim_end_matches('/');
    let url = reqwest::Url::parse(trimmed).map_err(|e| {
        Error::config(format!(
            "{what} {trimmed:?} is not an absolute URL ({e}); write it like `https://api.mypurecloud.com`"
        ))
    })?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Error::config(format!(
            "{what} {trimmed:?} must use http or https"
        )));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::config(format!(
            "{what} {trimmed:?} must not have a query or fragment"
        )));
    }
    Ok(trimmed.to_owned())
}

/// `https://api.example.com/x` → `https://login.example.com/x`; other hosts log in at the
/// same URL (a gateway or a local fake serving `/oauth/token` itself).
fn derive_login_url(base_url: &str) -> String {
    match base_url.split_once("://api.") {
        Some((scheme, rest)) => format!("{scheme}://login.{rest}"),
        None => base_url.to_owned(),
    }
}

/// Refuses plain `http` to anything but loopback: the token would cross the network in clear.
fn refuse_plain_http(what: &str, url: &str) -> Result<()> {
    let parsed = reqwest::Url::parse(url).map_err(|e| Error::config(format!("{what}: {e}")))?;
    if parsed.scheme() != "http" {
        return Ok(());
    }
    let host = parsed.host_str().unwrap_or_default();
    let loopback = host.eq_ignore_ascii_case("localhost")
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    if loopback {
        Ok(())
    } else {
        Err(Error::config(format!(
            "{what} {url:?} is plain http to a non-loopback host, so the token would travel in clear text; use https, or call `allow_insecure_http(true)` if this network is trusted"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn login_url_follows_the_api_host() {
        assert_eq!(
            derive_login_url("https://api.mypurecloud.ie"),
            "https://login.mypurecloud.ie"
        );
        assert_eq!(
            derive_login_url("http://127.0.0.1:9000"),
            "http://127.0.0.1:9000"
        );
    }

    #[test]
    fn plain_http_is_refused_except_to_loopback() {
        assert!(refuse_plain_http("base URL", "http://127.0.0.1:8080").is_ok());
        assert!(refuse_plain_http("base URL", "http://[::1]:8080").is_ok());
        assert!(refuse_plain_http("base URL", "http://localhost:8080").is_ok());
        assert!(refuse_plain_http("base URL", "https://api.mypurecloud.com").is_ok());
        let error = refuse_plain_http("base URL", "http://api.mypurecloud.com").unwrap_err();
        assert!(error.to_string().contains("allow_insecure_http"), "{error}");
    }
}
