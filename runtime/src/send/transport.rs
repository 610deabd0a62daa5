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

/// Sends one attempt of `call` with `credential` on the client's reqwest client; `hooked`
/// is the attempt's number when the client's hooks run on it.
pub(crate) fn attempt(
    call: &Call<'_>,
    http: &reqwest::Client,
    credential: &Credential,
    hooked: Option<u32>,
) -> impl Future<Output = Result<reqwest::Response, reqwest::Error>> + use<> {
    http.execute(request(call, credential, hooked))
}

/// The URL reqwest sends to, parsed without parsing the client's base URL again: the path
/// and query after it are joined to the base parsed when the client was built (a full
/// parse re-reads the scheme and the host, IDNA included, on every call). `None` when the
/// URL does not parse.
pub(crate) fn wire_url(base: &reqwest::Url, base_str: &str, url: &str) -> Option<reqwest::Url> {
    match url.strip_prefix(base_str) {
        // A path-absolute reference on the base's origin: `/x`, never `//host` or `/\host`
        // (a network-path reference would replace the host).
        Some(rest)
            if base.path() == "/"
                && rest.starts_with('/')
                && !matches!(rest.as_bytes().get(1), Some(b'/' | b'\\')) =>
        {
            base.join(rest).ok()
        }
        _ => reqwest::Url::parse(url).ok(),
    }
}

/// The attempt's request with `credential`. When `hooked` holds the attempt's number, the
/// client's hooks run on the request first (`layer::before_hooks`), so that they never see
/// the credential. Built directly, without a reqwest client: a client with a
/// [`Transport`](super::layer::Transport) has none.
pub(crate) fn request(
    call: &Call<'_>,
    credential: &Credential,
    hooked: Option<u32>,
) -> reqwest::Request {
    let mut request = reqwest::Request::new(call.endpoint.method.clone(), call.url.clone());
    let headers = request.headers_mut();
    // The declared media type replaces the client's `Accept: application/json`.
    let accept = call
        .endpoint
        .accept
        .and_then(|accept| HeaderValue::from_str(accept).ok());
    if call.inner.supplied_http {
        // A caller-supplied reqwest client (or transport) has its own defaults: this
        // crate's still apply.
        headers.append(header::USER_AGENT, HeaderValue::from_static(USER_AGENT));
        if accept.is_none() {
            headers.append(header::ACCEPT, APPLICATION_JSON);
        }
    }
    if let Some(accept) = accept {
        headers.append(header::ACCEPT, accept);
    }
    if let Some(options) = call.options {
        replace_headers(headers, &options.headers);
    }
    if let Some(extra) = &call.headers {
        replace_headers(headers, extra);
    }
    if let Some((body, content_type)) = &call.body {
        headers.append(header::CONTENT_TYPE, content_type.clone());
        *request.body_mut() = Some(body.clone().into());
    }
    let headers = request.headers_mut();
    if let Some(number) = hooked {
        super::layer::before_hooks(call, number, headers);
    }
    // Last, and replacing: neither a declared header nor a hook can stand in for it.
    if let Some(authorization) = &credential.header {
        headers.insert(header::AUTHORIZATION, authorization.clone());
    }
    if call.streamed {
        // The call bounds the wait for the headers, and the stream each chunk: reqwest's
        // timeout would bound the whole body.
        *request.timeout_mut() = Some(UNBOUNDED);
    } else if let Some((timeout, _)) = call.attempt_timeout() {
        *request.timeout_mut() = Some(timeout);
    }
    request
}

/// `from`'s headers over `into`'s: each name in `from` replaces that name's values (what
/// reqwest's `RequestBuilder::headers` does).
fn replace_headers(into: &mut HeaderMap, from: &HeaderMap) {
    if from.is_empty() {
        return;
    }
    for name in from.keys() {
        into.remove(name);
    }
    for (name, value) in from {
        into.append(name, value.clone());
    }
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
    let announced = response.content_length();
    if announced.is_some_and(|len| len > limit as u64) {
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
    // Room for the announced length (already within the cap), so that a body in several
    // chunks is copied once; at most 1 MiB ahead of what arrived, whatever the server says.
    let arrived = first.len() + second.len();
    let capacity = usize::try_from(announced.unwrap_or(0))
        .unwrap_or(usize::MAX)
        .min(arrived.saturating_add(1 << 20))
        .max(arrived);
    let mut buf = BytesMut::with_capacity(capacity);
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

#[cfg(test)]
mod tests {
    use super::wire_url;

    fn joined(base: &str, url: &str) -> Option<String> {
        let parsed = reqwest::Url::parse(base).unwrap();
        wire_url(&parsed, base, url).map(String::from)
    }

    #[test]
    fn a_call_url_joined_to_the_parsed_base_is_what_a_full_parse_gives() {
        for (base, url) in [
            (
                "https://api.mypurecloud.com",
                "https://api.mypurecloud.com/api/v2/users/a%20b?x=1&y=%2F",
            ),
            (
                "http://127.0.0.1:8080",
                "http://127.0.0.1:8080/api/v2/tokens/me",
            ),
            // A base with a path of its own: parsed whole.
            (
                "http://127.0.0.1:8080/prefix",
                "http://127.0.0.1:8080/prefix/api/v2/x",
            ),
            // A link to another host (a download): parsed whole.
            (
                "https://api.mypurecloud.com",
                "https://bucket.s3.amazonaws.com/x?sig=1",
            ),
        ] {
            assert_eq!(
                joined(base, url).as_deref(),
                Some(reqwest::Url::parse(url).unwrap().as_str()),
                "{url}"
            );
        }
    }

    #[test]
    fn a_network_path_after_the_base_never_changes_the_host() {
        let base = "https://api.mypurecloud.com";
        for url in [
            "https://api.mypurecloud.com//evil.example/x",
            "https://api.mypurecloud.com/\\evil.example/x",
        ] {
            let wire = joined(base, url).unwrap();
            assert!(
                wire.starts_with("https://api.mypurecloud.com/"),
                "{url} became {wire}"
            );
        }
        assert_eq!(joined(base, "not a url"), None);
    }
}
