//! The transport features, each over loopback: TLS with an added root certificate (with
//! whichever stack this build has), HTTP/2 negotiated over TLS, response decompression
//! (and the cap applied to what it decodes), a proxy, and a caller-supplied reqwest client.
//!
//! CI runs this file once per TLS stack (`rustls-ring`, `rustls-aws-lc`, `native-tls`) and
//! once without TLS; each test is compiled where its feature is on.

use std::time::Duration;

use genesys_api_tokens::TokensApi;
use genesys_runtime::{Client, Error};
use genesys_tests::{Reply, TestServer, client_at};
use serde_json::json;

const TIMEOUT_BODY: &str = r#"{"idleTokenTimeoutSeconds":900}"#;

#[test]
fn a_proxy_url_with_credentials_is_never_shown() {
    let builder = client_at("http://127.0.0.1:9").proxy("http://user:hunter2@127.0.0.1:3128");
    let shown = format!("{builder:?}");
    assert!(
        !shown.contains("hunter2") && shown.contains("<redacted>@127.0.0.1:3128"),
        "{shown}"
    );
    let error = client_at("http://127.0.0.1:9")
        .proxy("not a url")
        .build()
        .unwrap_err();
    assert!(matches!(error, Error::Config(_)), "{error:?}");
}

#[tokio::test]
async fn every_request_goes_through_the_proxy() {
    // The "proxy" answers itself and records the absolute-form target it was asked for.
    let proxy =
        TestServer::always(Reply::json(200, &json!({"idleTokenTimeoutSeconds": 900}))).await;
    let client = client_at("http://127.0.0.2:9")
        .proxy(proxy.url())
        .build()
        .unwrap();

    client.get_tokens_timeout().await.unwrap();

    let request = proxy.only_request();
    assert_eq!(request.authority.as_deref(), Some("127.0.0.2:9"));
    assert_eq!(request.path, "/api/v2/tokens/timeout");
    assert_eq!(
        request.header("authorization"),
        Some("Bearer test-token-123")
    );
}

#[tokio::test]
async fn a_caller_supplied_reqwest_client_keeps_this_crates_headers_and_timeout() {
    let server = TestServer::start(|request, _| match request.path.as_str() {
        "/slow" => Reply::status(200).delay(Duration::from_secs(5)),
        _ => Reply::json(200, &json!({"idleTokenTimeoutSeconds": 900})),
    })
    .await;
    let mut headers = http::HeaderMap::new();
    headers.insert("x-from-caller", "yes".parse().unwrap());
    // With the rustls-ring default, reqwest has no crypto provider until one is installed.
    genesys_runtime::install_crypto_provider();
    let http = reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .unwrap();
    let client = client_at(&server.url())
        .http_client(http.clone())
        .request_timeout(Duration::from_millis(300))
        .build()
        .unwrap();

    client.get_tokens_timeout().await.unwrap();

    let request = server.only_request();
    assert_eq!(request.header("x-from-caller"), Some("yes"));
    assert_eq!(
        request.header("authorization"),
        Some("Bearer test-token-123")
    );
    assert_eq!(request.header("accept"), Some("application/json"));
    assert!(
        request
            .header("user-agent")
            .unwrap()
            .starts_with("genesys-rs/")
    );

    // The per-attempt timeout still holds.
    #[allow(dead_code)]
    trait Slow: genesys_runtime::Api {
        #[genesys_runtime::endpoint(method = "GET", path = "/slow")]
        async fn slow(&self) -> genesys_runtime::Result<()>;
    }
    impl<T: genesys_runtime::Api + ?Sized> Slow for T {}
    let started = std::time::Instant::now();
    let error = client.slow().await.unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(3));

    // Settings of the reqwest client itself cannot also be set here.
    let error = client_at(&server.url())
        .http_client(http)
        .proxy("http://127.0.0.1:1")
        .build()
        .unwrap_err();
    assert!(error.to_string().contains("`proxy`"), "{error}");
}

#[cfg(not(any(
    feature = "rustls-ring",
    feature = "rustls-aws-lc",
    feature = "native-tls"
)))]
#[test]
fn without_tls_an_https_url_is_a_config_error() {
    let error = Client::builder().access_token("t").build().unwrap_err();
    assert!(error.to_string().contains("rustls-ring"), "{error}");
}

#[cfg(any(
    feature = "gzip",
    feature = "deflate",
    feature = "brotli",
    feature = "zstd"
))]
mod decompression {
    use super::*;
    use std::io::Write;

    /// A server answering `body` with `Content-Encoding: encoding`.
    async fn encoded(encoding: &'static str, body: Vec<u8>) -> TestServer {
        TestServer::always(
            Reply::status(200)
                .header("content-type", "application/json")
                .header("content-encoding", encoding)
                .body(body),
        )
        .await
    }

    async fn decoded(encoding: &'static str, body: Vec<u8>) {
        let server = encoded(encoding, body).await;
        let timeout = genesys_tests::client_for(&server)
            .get_tokens_timeout()
            .await
            .unwrap();
        assert_eq!(timeout.idle_token_timeout_seconds, Some(900), "{encoding}");
        let asked = server
            .only_request()
            .header("accept-encoding")
            .unwrap_or_default()
            .to_owned();
        assert!(asked.contains(encoding), "{encoding} offered in {asked:?}");
    }

    #[cfg(feature = "gzip")]
    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(data).unwrap();
        encoder.finish().unwrap()
    }

    #[cfg(feature = "gzip")]
    #[tokio::test]
    async fn gzip_is_offered_and_decoded() {
        decoded("gzip", gzip(TIMEOUT_BODY.as_bytes())).await;
    }

    #[cfg(feature = "gzip")]
    #[tokio::test]
    async fn the_cap_applies_to_the_decoded_body() {
        // 64 MiB of spaces compress to about 64 KiB: a bomb for a 1 MiB cap.
        let bomb = gzip(&vec![b' '; 64 * 1024 * 1024]);
        assert!(bomb.len() < 1024 * 1024);
        let server = encoded("gzip", bomb).await;
        let client = client_at(&server.url())
            .max_response_bytes(1024 * 1024)
            .build()
            .unwrap();
        let error = client.get_tokens_timeout().await.unwrap_err();
        assert!(matches!(error, Error::BodyTooLarge(_)), "{error:?}");
    }

    #[cfg(feature = "deflate")]
    #[tokio::test]
    async fn deflate_is_offered_and_decoded() {
        let mut encoder =
            flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(TIMEOUT_BODY.as_bytes()).unwrap();
        decoded("deflate", encoder.finish().unwrap()).await;
    }

    #[cfg(feature = "brotli")]
    #[tokio::test]
    async fn brotli_is_offered_and_decoded() {
        let mut out = Vec::new();
        {
            let mut encoder = brotli::CompressorWriter::new(&mut out, 4096, 5, 22);
            encoder.write_all(TIMEOUT_BODY.as_bytes()).unwrap();
        }
        decoded("br", out).await;
    }

    #[cfg(feature = "zstd")]
    #[tokio::test]
    async fn zstd_is_offered_and_decoded() {
        decoded(
            "zstd",
            zstd::encode_all(TIMEOUT_BODY.as_bytes(), 3).unwrap(),
        )
        .await;
    }
}

#[cfg(any(
    feature = "rustls-ring",
    feature = "rustls-aws-lc",
    feature = "native-tls"
))]
mod tls {
    use super::*;
    use std::sync::{Arc, Mutex};

    use http_body_util::Full;
    use hyper_util::rt::{TokioExecutor, TokioIo};
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};

    const CA: &[u8] = include_bytes!("../fixtures/ca.crt");
    const CERT: &[u8] = include_bytes!("../fixtures/localhost.crt");
    const KEY: &[u8] = include_bytes!("../fixtures/localhost.key");

    /// An HTTPS server on 127.0.0.1 with the test CA's `localhost` certificate, offering
    /// HTTP/2 and HTTP/1.1 (ALPN); it records the HTTP version of each request.
    async fn https_server() -> (String, Arc<Mutex<Vec<http::Version>>>) {
        let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(CERT)
            .map(|c| c.unwrap())
            .collect();
        let key = PrivateKeyDer::from_pem_slice(KEY).unwrap();
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(certs, key)
            .unwrap();
        config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!(
            "https://127.0.0.1:{}",
            listener.local_addr().unwrap().port()
        );
        let versions = Arc::new(Mutex::new(Vec::new()));
        let seen = versions.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (acceptor, seen) = (acceptor.clone(), seen.clone());
                tokio::spawn(async move {
                    let Ok(tls) = acceptor.accept(stream).await else {
                        return;
                    };
                    let service = hyper::service::service_fn(
                        move |request: hyper::Request<hyper::body::Incoming>| {
                            seen.lock().unwrap().push(request.version());
                            async {
                                let mut response = hyper::Response::new(Full::new(
                                    bytes::Bytes::from_static(TIMEOUT_BODY.as_bytes()),
                                ));
                                response
                                    .headers_mut()
                                    .insert("content-type", "application/json".parse().unwrap());
                                Ok::<_, std::convert::Infallible>(response)
                            }
                        },
                    );
                    let _ = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new())
                        .serve_connection(TokioIo::new(tls), service)
                        .await;
                });
            }
        });
        (url, versions)
    }

    /// A client for `url` that trusts the test CA.
    fn trusted(url: &str) -> Client {
        Client::builder()
            .base_url(url)
            .access_token("t")
            .add_root_certificate(CA)
            .build()
            .unwrap()
    }

    #[tokio::test]
    async fn https_with_an_added_root_certificate() {
        let (url, versions) = https_server().await;

        // Unknown to the system's roots: refused, nothing decoded.
        let untrusted = Client::builder()
            .base_url(&url)
            .access_token("t")
            .build()
            .unwrap();
        let error = untrusted.get_tokens_timeout().await.unwrap_err();
        assert!(matches!(error, Error::Transport(_)), "{error:?}");
        let shown = error.to_string();
        assert!(
            shown.contains("certificate was refused") && shown.contains("add_root_certificate"),
            "{shown}"
        );

        let trusted = trusted(&url);
        let timeout = trusted.get_tokens_timeout().await.unwrap();
        assert_eq!(timeout.idle_token_timeout_seconds, Some(900));
        assert_eq!(
            versions.lock().unwrap().len(),
            1,
            "only the trusted client got through"
        );
    }

    #[test]
    fn a_root_certificate_that_is_not_pem_is_a_config_error() {
        let error = Client::builder()
            .access_token("t")
            .add_root_certificate(&b"junk"[..])
            .build()
            .unwrap_err();
        assert!(matches!(error, Error::Config(_)), "{error:?}");
    }

    #[cfg(feature = "http2")]
    #[tokio::test]
    async fn http2_is_negotiated_over_tls() {
        let (url, versions) = https_server().await;
        let client = trusted(&url);
        client.get_tokens_timeout().await.unwrap();
        client.get_tokens_timeout().await.unwrap();
        assert_eq!(
            *versions.lock().unwrap(),
            [http::Version::HTTP_2, http::Version::HTTP_2]
        );
    }

    #[cfg(not(feature = "http2"))]
    #[tokio::test]
    async fn without_http2_the_client_speaks_http1_over_tls() {
        let (url, versions) = https_server().await;
        let client = trusted(&url);
        client.get_tokens_timeout().await.unwrap();
        assert_eq!(*versions.lock().unwrap(), [http::Version::HTTP_11]);
    }
}
