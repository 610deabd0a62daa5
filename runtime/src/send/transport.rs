//! The wire: the reqwest client (TLS stack, proxy, root certificates, or one the caller
//! supplies), one attempt on it, reading its body under the cap, and mapping what reqwest
//! reports to [`Error::Transport`] or [`Error::Timeout`].

use std::future::Future;
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use http::{HeaderMap, HeaderValue, header};

use super::auth::Credential;
use super::call::Call;
use crate::client::USER_AGENT;
use crate::error::{
    BodyTooLarge, ConfigError, Error, Result, TimeoutError, TransportError, Waiting,
};

/// Whether this build can speak https (one of the TLS features is on).
pub(crate) const TLS: bool = cfg!(any(
    feature = "rustls-ring",
    feature = "rustls-aws-lc",
    feature = "native-tls"
));

pub(crate) const APPLICATION_JSON: HeaderValue = HeaderValue::from_static("application/json");

/// The reqwest timeout of a streamed attempt: none to speak of (the call and the stream
/// bound the waits themselves).
pub(crate) const UNBOUNDED: Duration = Duration::from_secs(100 * 365 * 24 * 3600);

/// What the client's own reqwest client is built with.
pub(crate) struct Settings<'a> {
    pub(crate) connect_timeout: Duration,
    pub(crate) request_timeout: Duration,
    /// A proxy for every request (`http://`, `https://` or `socks5://` URL).
    pub(crate) proxy: Option<&'a str>,
    /// Extra trusted roots, PEM (one or more certificates each).
    pub(crate) root_certificates: &'a [Vec<u8>],
}

/// Builds the reqwest client: `Accept: application/json` and this crate's `User-Agent` by
/// default, the timeouts, no redirects (a redirect would carry the `Authorization` header to
/// wherever it points), and the proxy and extra roots asked for.
pub(crate) fn http_client(settings: &Settings<'_>) -> Result<reqwest::Client> {
    let mut default_headers = HeaderMap::new();
    default_headers.insert(header::ACCEPT, APPLICATION_JSON);
    let mut builder = reqwest::Client::builder()
        .user_agent(USER_AGENT)
        .default_headers(default_headers)
        .connect_timeout(settings.connect_timeout)
        .timeout(settings.request_timeout)
        .redirect(reqwest::redirect::Policy::none());
    if let Some(url) = settings.proxy {
        let proxy = reqwest::Proxy::all(url).map_err(|e| {
            config_error(
                format!(
                    "the proxy URL {:?} is not usable; write it like `http://proxy.example.com:3128`",
                    crate::config::endpoints::redact_userinfo(url)
                ),
                e,
            )
        })?;
        builder = builder.proxy(proxy);
    }
    builder = add_roots(builder, settings.root_certificates)?;
    install_crypto_provider();
    builder
        .build()
        .map_err(|e| config_error("the HTTP client could not be initialised", e))
}

#[cfg(any(
    feature = "rustls-ring",
    feature = "rustls-aws-lc",
    feature = "native-tls"
))]
fn add_roots(
    mut builder: reqwest::ClientBuilder,
    roots: &[Vec<u8>],
) -> Result<reqwest::ClientBuilder> {
    for pem in roots {
        let certificates = reqwest::Certificate::from_pem_bundle(pem).map_err(|e| {
            config_error(
                "a root certificate is not PEM (`-----BEGIN CERTIFICATE-----`)",
                e,
            )
        })?;
        if certificates.is_empty() {
            return Err(Error::config(
                "a root certificate holds no PEM certificate (`-----BEGIN CERTIFICATE-----`)",
            ));
        }
        for certificate in certificates {
            builder = builder.add_root_certificate(certificate);
        }
    }
    Ok(builder)
}

#[cfg(not(any(
    feature = "rustls-ring",
    feature = "rustls-aws-lc",
    feature = "native-tls"
)))]
fn add_roots(builder: reqwest::ClientBuilder, roots: &[Vec<u8>]) -> Result<reqwest::ClientBuilder> {
    if roots.is_empty() {
        Ok(builder)
    } else {
        Err(Error::config(
            "root certificates need TLS, and this build has none: enable the `rustls-ring` (default), `rustls-aws-lc` or `native-tls` feature",
        ))
    }
}

/// Makes sure reqwest can build a TLS client in this process.
///
/// With the `rustls-ring` feature (the default), reqwest is built without a crypto provider
/// of its own, so this makes ring the process's rustls provider unless the program installed
/// one already; with any other TLS feature it does nothing. Building a [`Client`](crate::Client)
/// calls it; call it yourself before building a `reqwest::Client` of your own (for
/// [`ClientBuilder::http_client`](crate::ClientBuilder::http_client), say), which would
/// otherwise panic in a program whose reqwest has no TLS feature besides this crate's.
pub fn install_crypto_provider() {
    #[cfg(all(feature = "rustls-ring", not(feature = "rustls-aws-lc")))]
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // Another thread may have installed one in between: theirs stays, which is fine.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}

fn config_error(message: impl Into<String>, source: reqwest::Error) -> Error {
    Error::Config(Box::new(ConfigError {
        message: message.into(),
        source: Some(std::sync::Arc::new(source)),
    }))
}

/// Sends one attempt of `call` with `credential`.
pub(crate) fn attempt(
    call: &Call<'_>,
    credential: &Credential,
) -> impl Future<Output = Result<reqwest::Response, reqwest::Error>> + use<> {
    request(call, Some(credential)).send()
}

/// The attempt's request, with `credential` when given (the layered path adds it after the
/// hooks have run, so that they never see it).
pub(crate) fn request(call: &Call<'_>, credential: Option<&Credential>) -> reqwest::RequestBuilder {
    let mut builder = call
        .inner
        .http
        .request(call.endpoint.method.clone(), call.url.as_str());
    // The declared media type replaces the client's `Accept: application/json`.
    let accept = call
        .endpoint
        .accept
        .and_then(|accept| HeaderValue::from_str(accept).ok());
    if call.inner.supplied_http {
        // A caller-supplied reqwest client has its own defaults: this crate's still apply.
        builder = builder.header(header::USER_AGENT, HeaderValue::from_static(USER_AGENT));
        if accept.is_none() {
            builder = builder.header(header::ACCEPT, APPLICATION_JSON);
        }
    }
    if call.streamed {
        // The call bounds the wait for the headers, and the stream each chunk: reqwest's
        // timeout would bound the whole body.
        builder = builder.timeout(UNBOUNDED);
    } else if let Some((timeout, _)) = call.attempt_timeout() {
        builder = builder.timeout(timeout);
    }
    if let Some(accept) = accept {
        builder = builder.header(header::ACCEPT, accept);
    }
    if let Some(options) = call.options {
        if !options.headers.is_empty() {
            builder = builder.headers(options.headers.clone());
        }
    }
    if let Some(authorization) = credential.and_then(|c| c.header.as_ref()) {
        builder = builder.header(header::AUTHORIZATION, authorization.clone());
    }
    if let Some(headers) = &call.headers {
        builder = builder.headers(headers.clone());
    }
    if let Some((body, content_type)) = &call.body {
        builder = builder
            .header(header::CONTENT_TYPE, content_type.clone())
            .body(body.clone());
    }
    builder
}

/// A reqwest failure as this crate's error: a timeout names the timeout that expired
/// (connect or request), anything else is a transport error; `reading_body` when the status
/// and headers had arrived.
pub(crate) fn error(call: &Call<'_>, source: reqwest::Error, reading_body: bool) -> Error {
    if source.is_timeout() {
        // A timeout while connecting is the connect timeout; any other, the attempt's.
        let (timeout, what) = if source.is_connect() {
            (call.inner.connect_timeout, "client's `connect_timeout`")
        } else {
            call.attempt_timeout()
                .unwrap_or((call.inner.request_timeout, "client's `request_timeout`"))
        };
        let timeout = TimeoutError::new(call.route(), timeout, what);
        Error::Timeout(Box::new(if reading_body {
            timeout.waiting(Waiting::Body)
        } else {
            timeout
        }))
    } else {
        Error::Transport(Box::new(TransportError::from_reqwest(
            call.route(),
            source,
            reading_body,
        )))
    }
}

/// Reads the whole body, refusing to grow past the client's cap.
///
/// A body that arrives in one chunk (the common case for small JSON) is kept without a copy.
pub(crate) async fn read_body(call: &Call<'_>, response: &mut reqwest::Response) -> Result<Bytes> {
    let limit = call.inner.max_response_bytes;
    let status = response.status();
    let too_large = || {
        Error::BodyTooLarge(Box::new(BodyTooLarge {
            route: call.route(),
            status,
            limit,
        }))
    };
    if response
        .content_length()
        .is_some_and(|len| len > limit as u64)
    {
        return Err(too_large());
    }
    let mut next = async || response.chunk().await.map_err(|e| error(call, e, true));
    let Some(first) = next().await? else {
        return Ok(Bytes::new());
    };
    if first.len() > limit {
        return Err(too_large());
    }
    let Some(second) = next().await? else {
        return Ok(first);
    };
    let mut buf = BytesMut::with_capacity(first.len() + second.len());
    buf.extend_from_slice(&first);
    let mut chunk = Some(second);
    while let Some(piece) = chunk {
        if buf.len() + piece.len() > limit {
            return Err(too_large());
        }
        buf.extend_from_slice(&piece);
        chunk = next().await?;
    }
    Ok(buf.freeze())
}
