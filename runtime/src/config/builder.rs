//! [`ClientBuilder`]: everything a [`Client`] is configured with, checked at `build()`.

use std::sync::Arc;
use std::time::Duration;

use super::credentials::{Credentials, token_cache};
use super::endpoints::{self, redact_userinfo, refuse_plain_http};
use super::region::{Region, UnknownRegion};
use crate::budget::{LocalBudget, RateBudget, RateLimit};
use crate::client::{
    Client, ClientInner, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_REQUEST_TIMEOUT,
};
use crate::error::{Error, Result};
use crate::send::auth::{
    AccessToken, ClientCredentials, ClientSecret, Member, Pool, TOKEN_PATH, TokenSource, type_label,
};
use crate::send::layer::{Hook, Layers, Transport};
use crate::send::retry::RetryPolicy;
use crate::send::transport::{self, TLS};

/// `GENESYSCLOUD_REGION`: a region id or domain, as [`Region`] parses it.
pub const ENV_REGION: &str = "GENESYSCLOUD_REGION";
/// `GENESYSCLOUD_ACCESS_TOKEN`: a ready access token.
pub const ENV_ACCESS_TOKEN: &str = "GENESYSCLOUD_ACCESS_TOKEN";
/// `GENESYSCLOUD_OAUTHCLIENT_ID`: the id of an OAuth client using the client-credentials grant.
pub const ENV_OAUTHCLIENT_ID: &str = "GENESYSCLOUD_OAUTHCLIENT_ID";
/// `GENESYSCLOUD_OAUTHCLIENT_SECRET`: that client's secret.
pub const ENV_OAUTHCLIENT_SECRET: &str = "GENESYSCLOUD_OAUTHCLIENT_SECRET";

/// A proxy URL, whose credentials (`http://user:password@proxy`) never show in `Debug`.
#[derive(Clone)]
struct ProxyUrl(String);

impl std::fmt::Debug for ProxyUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        redact_userinfo(&self.0).fmt(f)
    }
}

/// Configures a [`Client`].
///
/// Defaults: region `us-east-1`, no credentials, retries on ([`RetryPolicy::default`]),
/// connect timeout [`DEFAULT_CONNECT_TIMEOUT`], request timeout [`DEFAULT_REQUEST_TIMEOUT`],
/// response cap [`DEFAULT_MAX_RESPONSE_BYTES`], tokens only over `https` (or plain `http` to
/// loopback).
///
/// # Where requests and the client secret go
///
/// The same whatever the order of the calls:
///
/// | set | API requests | token request (the client secret) |
/// |---|---|---|
/// | nothing | `https://api.mypurecloud.com` | `https://login.mypurecloud.com` |
/// | [`region(R)`](Self::region) | R's API host | R's login host |
/// | [`base_url(B)`](Self::base_url) | B | B with `api.` turned into `login.`; B itself for any other host |
/// | `region(R)` and `base_url(B)` | B | R's login host |
/// | [`login_url(L)`](Self::login_url), with any of the above | as above | L |
///
/// `build()` refuses, with [`Error::Config`], what cannot be right: a Genesys host of one
/// region with a region or a login host of another, a login host as the base URL or an API
/// host as the login URL, and credentials in a URL (`https://user:password@...`).
#[derive(Clone, Debug)]
#[must_use = "a builder does nothing until `build` is called"]
pub struct ClientBuilder {
    region: Option<Region>,
    base_url: Option<String>,
    login_url: Option<String>,
    credentials: Credentials,
    /// More credentials, used in turn with the first (`add_*`).
    pub(super) more_credentials: Vec<Credentials>,
    retry: RetryPolicy,
    connect_timeout: Duration,
    request_timeout: Duration,
    max_response_bytes: usize,
    allow_insecure_http: bool,
    proxy: Option<ProxyUrl>,
    root_certificates: Vec<Vec<u8>>,
    http_client: Option<reqwest::Client>,
    layers: Layers,
    /// The first credential's budget, when not the default.
    pub(crate) budget: Option<Arc<dyn RateBudget>>,
    /// The pace of each credential's default budget.
    pub(crate) pace: Option<RateLimit>,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            region: None,
            base_url: None,
            login_url: None,
            credentials: Credentials::None,
            more_credentials: Vec::new(),
            retry: RetryPolicy::default(),
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            allow_insecure_http: false,
            proxy: None,
            root_certificates: Vec::new(),
            http_client: None,
            layers: Layers::default(),
            budget: None,
            pace: None,
        }
    }
}

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
            let region: Region = region
                .parse()
                .map_err(|e: UnknownRegion| Error::config(format!("{ENV_REGION}: {e}")))?;
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

    /// The region: its API host for requests and its login host for tokens, unless
    /// [`base_url`](Self::base_url) or [`login_url`](Self::login_url) say otherwise (see the
    /// table above).
    pub fn region(mut self, region: Region) -> Self {
        self.region = Some(region);
        self
    }

    /// Sends requests to this base URL instead of a region's, for a gateway or a local
    /// server (`http://127.0.0.1:8080`). A trailing `/` is ignored. Tokens are requested at
    /// the region's login host when [`region`](Self::region) is set too; otherwise at this
    /// URL with `api.` turned into `login.` (other hosts: this URL itself); see the table
    /// above.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Requests tokens at this base URL (`<url>/oauth/token`), whatever the region and base
    /// URL.
    pub fn login_url(mut self, url: impl Into<String>) -> Self {
        self.login_url = Some(url.into());
        self
    }

    /// Authenticates every request with this OAuth access token. A `401` is final.
    pub fn access_token(mut self, token: impl Into<AccessToken>) -> Self {
        self.credentials = Credentials::Fixed(token.into());
        self
    }

    /// Logs in with the client-credentials grant ([`ClientCredentials`]); tokens are cached,
    /// renewed before they expire, and renewed once when the API answers `401`.
    pub fn client_credentials(
        self,
        client_id: impl Into<String>,
        secret: impl Into<ClientSecret>,
    ) -> Self {
        self.token_source(ClientCredentials::new(client_id, secret))
    }

    /// Gets tokens from `source`: your own [`TokenSource`], or a built-in one such as
    /// [`RefreshTokenGrant`](crate::auth::RefreshTokenGrant). Tokens are cached, renewed
    /// before they expire, one fetch at a time, and renewed once when the API answers `401`.
    ///
    /// The source is named by its type in errors and in `Debug` (never by its own `Debug`);
    /// see [`TokenSource`] for how concurrent calls share one fetch and its outcome.
    pub fn token_source<S: TokenSource>(mut self, source: S) -> Self {
        self.credentials = Credentials::Source(Arc::new(source), type_label::<S>());
        self
    }

    /// The retry policy; [`RetryPolicy::disabled`] turns retries off.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Time allowed to establish a connection. Zero is refused at `build()`.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Time allowed for one attempt, from sending to the last byte of the response (token
    /// requests included); also the longest a call waits for an access token. Zero is
    /// refused at `build()`.
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// Largest response body accepted, in bytes (token responses included).
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

    /// Sends every request (API calls and token requests) through this proxy: an `http://`,
    /// `https://` or `socks5://` URL, with `user:password@` if the proxy asks for it (never
    /// shown in `Debug`).
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy = Some(ProxyUrl(url.into()));
        self
    }

    /// Also trusts the certificates in this PEM (one or more `-----BEGIN CERTIFICATE-----`
    /// blocks), besides the system's roots: for a TLS-inspecting proxy or a private gateway.
    /// Needs a TLS feature (the default `rustls-ring`, `rustls-aws-lc` or `native-tls`).
    pub fn add_root_certificate(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.root_certificates.push(pem.into());
        self
    }

    /// Sends requests with this reqwest client instead of building one, for settings this
    /// builder does not offer (a custom resolver, client certificates, ...). The request
    /// timeout, `Accept` and `User-Agent` are still set on each request; the connect timeout,
    /// proxy, roots and redirect policy are the client's own (reqwest drops `Authorization`
    /// on a redirect to another host). With the default `rustls-ring` feature, call
    /// [`install_crypto_provider`](crate::install_crypto_provider) before building that
    /// client. Setting [`proxy`](Self::proxy),
    /// [`add_root_certificate`](Self::add_root_certificate) or
    /// [`connect_timeout`](Self::connect_timeout) as well is a configuration error: set them
    /// on the client you pass.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// Runs `hook` before and after every attempt of every API call (after the hooks added
    /// before it): add a header, count attempts per route, write an audit record. See
    /// [`Hook`].
    pub fn hook(mut self, hook: impl Hook) -> Self {
        self.layers.hooks.push(Arc::new(hook));
        self
    }

    /// Sends every attempt through `transport` instead of the network: the in-process
    /// [`Stubs`](crate::testing::Stubs) for tests, or your own. Encoding, credentials,
    /// retries, timeouts, the body cap and decoding still run. See [`Transport`].
    ///
    /// A client with a transport makes no reqwest client (unless you pass one with
    /// [`http_client`](Self::http_client)), so it loads no TLS root certificates and is
    /// cheap to make; the proxy and root certificate settings are not used.
    pub fn transport(mut self, transport: impl Transport) -> Self {
        self.layers.transport = Some(Arc::new(transport));
        self
    }

    /// Builds the client.
    ///
    /// Fails with [`Error::Config`] when a URL is not an absolute `http(s)` URL or has
    /// credentials in it, when `region`, `base_url` and `login_url` contradict each other
    /// (see the table above), when credentials would travel over plain `http` to a
    /// non-loopback host, when the access token cannot be sent as a header, when an `https`
    /// URL is used in a build without TLS, when the proxy or a root certificate is not
    /// usable, or when a timeout is zero.
    pub fn build(self) -> Result<Client> {
        for (setting, timeout) in [
            ("connect_timeout", self.connect_timeout),
            ("request_timeout", self.request_timeout),
        ] {
            if timeout.is_zero() {
                return Err(Error::config(format!(
                    "`{setting}` is zero, which would fail every call before it is sent; give a positive duration (a long one, such as an hour, for no practical limit)"
                )));
            }
        }
        let endpoints = endpoints::resolve(
            self.region,
            self.base_url.as_deref(),
            self.login_url.as_deref(),
        )?;
        if !TLS {
            for (what, url) in [
                ("base URL", &endpoints.api),
                ("login URL", &endpoints.login),
            ] {
                if url.starts_with("https:") {
                    return Err(Error::config(format!(
                        "the {what} {url:?} is https, and this build has no TLS: enable the `rustls-ring` (default), `rustls-aws-lc` or `native-tls` feature"
                    )));
                }
            }
        }
        let given: Vec<Credentials> = std::iter::once(self.credentials)
            .chain(self.more_credentials)
            .filter(|c| !matches!(c, Credentials::None))
            .collect();
        if !given.is_empty() && !self.allow_insecure_http {
            refuse_plain_http("base URL", &endpoints.api)?;
            refuse_plain_http("login URL", &endpoints.login)?;
        }
        // Each credential its own budget: the first's may be the caller's own.
        let pace = self.pace;
        let mut first = Member {
            auth: None,
            budget: self
                .budget
                .unwrap_or_else(|| Arc::new(LocalBudget::new(pace))),
        };
        let mut more = Vec::new();
        for (i, credentials) in given.into_iter().enumerate() {
            let auth = token_cache(credentials)?;
            if i == 0 {
                first.auth = auth;
            } else {
                more.push(Member {
                    auth,
                    budget: Arc::new(LocalBudget::new(pace)),
                });
            }
        }
        let credentials = Pool::new(first, more);

        let base = parse_url("base URL", &endpoints.api)?;
        let token_url = format!("{}{TOKEN_PATH}", endpoints.login);
        let token_wire_url = parse_url("login URL", &token_url)?;

        // With a transport of the caller's, `Accept` and `User-Agent` are set on each request.
        let supplied_http = self.http_client.is_some() || self.layers.transport.is_some();
        let http = match self.http_client {
            Some(client) => {
                let mut own = Vec::new();
                if self.proxy.is_some() {
                    own.push("`proxy`");
                }
                if !self.root_certificates.is_empty() {
                    own.push("`add_root_certificate`");
                }
                if self.connect_timeout != DEFAULT_CONNECT_TIMEOUT {
                    own.push("`connect_timeout`");
                }
                if !own.is_empty() {
                    return Err(Error::config(format!(
                        "{} set together with `http_client`: they are settings of the reqwest client, so set them on the client you pass",
                        own.join(", ")
                    )));
                }
                Some(client)
            }
            // Every attempt goes to the transport: no reqwest client, no TLS roots loaded.
            None if self.layers.transport.is_some() => None,
            None => Some(transport::http_client(&transport::Settings {
                connect_timeout: self.connect_timeout,
                request_timeout: self.request_timeout,
                proxy: self.proxy.as_ref().map(|p| p.0.as_str()),
                root_certificates: &self.root_certificates,
            })?),
        };

        Ok(Client {
            inner: Arc::new(ClientInner {
                http,
                base_url: endpoints.api,
                base,
                token_url,
                token_wire_url,
                credentials,
                retry: self.retry,
                connect_timeout: self.connect_timeout,
                request_timeout: self.request_timeout,
                max_response_bytes: self.max_response_bytes,
                supplied_http,
                layers: self.layers,
                network: crate::client::Network {
                    proxy: self.proxy.map(|p| p.0),
                    root_certificates: self.root_certificates,
                    allow_insecure_http: self.allow_insecure_http,
                },
            }),
            options: None,
        })
    }
}

/// A URL the builder resolved, parsed once for every call (already checked by
/// `endpoints::resolve`, so this fails only on what that check let through).
fn parse_url(what: &str, url: &str) -> Result<reqwest::Url> {
    reqwest::Url::parse(url).map_err(|e| {
        Error::config(format!(
            "the {what} {:?} is not a valid URL ({e}); write it like `https://api.mypurecloud.com`",
            crate::config::endpoints::redact_userinfo(url)
        ))
    })
}
