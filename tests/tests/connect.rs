//! `Client::connect`: a byte stream with the client's network settings (the notification
//! socket's transport): through the proxy's CONNECT tunnel, refusals explained, plain text to
//! a remote host refused.

use std::time::Duration;

use genesys_runtime::{Client, Error};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// A proxy that answers CONNECT with `status`, then echoes what the tunnel carries.
async fn proxy(status: &'static str) -> (String, tokio::task::JoinHandle<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://user:p%40ss@{}", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.unwrap();
        let mut head = Vec::new();
        while !head.ends_with(b"\r\n\r\n") {
            head.push(stream.read_u8().await.unwrap());
        }
        stream
            .write_all(format!("HTTP/1.1 {status}\r\n\r\n").as_bytes())
            .await
            .unwrap();
        let mut buf = [0u8; 5];
        if stream.read_exact(&mut buf).await.is_ok() {
            stream.write_all(&buf).await.unwrap();
        }
        String::from_utf8(head).unwrap()
    });
    (url, task)
}

fn client(proxy: &str) -> Client {
    Client::builder()
        .base_url("http://127.0.0.1:9")
        .proxy(proxy)
        .connect_timeout(Duration::from_secs(5))
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_connection_goes_through_the_proxys_tunnel_with_its_credentials() {
    let (url, proxy) = proxy("200 Connection established").await;
    let mut stream = client(&url)
        .connect("ws://127.0.0.1:4444/channels/abc")
        .await
        .unwrap();
    assert!(!stream.is_tls());
    stream.write_all(b"hello").await.unwrap();
    let mut echoed = [0u8; 5];
    stream.read_exact(&mut echoed).await.unwrap();
    assert_eq!(&echoed, b"hello");
    let head = proxy.await.unwrap();
    assert!(
        head.starts_with("CONNECT 127.0.0.1:4444 HTTP/1.1\r\n"),
        "{head}"
    );
    // user:p@ss, percent-decoded, in Basic.
    assert!(
        head.contains("Proxy-Authorization: Basic dXNlcjpwQHNz\r\n"),
        "{head}"
    );
}

#[tokio::test]
async fn a_refused_tunnel_says_what_to_do() {
    let (url, _proxy) = proxy("407 Proxy Authentication Required").await;
    let err = client(&url)
        .connect("ws://127.0.0.1:4444/x")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    let text = format!(
        "{err} {:?}",
        std::error::Error::source(&err).map(|s| s.to_string())
    );
    assert!(
        text.contains("407") && text.contains("credentials"),
        "{text}"
    );
}

#[tokio::test]
async fn plain_text_to_a_remote_host_and_other_schemes_are_refused() {
    let client = Client::builder()
        .base_url("http://127.0.0.1:9")
        .build()
        .unwrap();
    for url in [
        "ws://streaming.example.com/channels/x",
        "ftp://127.0.0.1/x",
        "not a url",
    ] {
        let err = client.connect(url).await.unwrap_err();
        assert!(matches!(err, Error::Config(_)), "{url}: {err:?}");
    }
    let socks = Client::builder()
        .base_url("http://127.0.0.1:9")
        .proxy("socks5://127.0.0.1:1080")
        .build()
        .unwrap();
    let err = socks.connect("ws://127.0.0.1:4444/x").await.unwrap_err();
    assert!(err.to_string().contains("http://"), "{err}");
}

/// TLS with the client's roots: the test CA added, the connection verifies; without it, the
/// certificate is refused.
#[cfg(feature = "rustls-ring")]
mod tls {
    use std::sync::Arc;

    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};

    use super::*;

    const CA: &[u8] = include_bytes!("../fixtures/ca.crt");
    const CERT: &[u8] = include_bytes!("../fixtures/localhost.crt");
    const KEY: &[u8] = include_bytes!("../fixtures/localhost.key");

    /// A TLS echo server on 127.0.0.1 with the test CA's certificate.
    async fn tls_echo() -> u16 {
        let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(CERT)
            .map(|c| c.unwrap())
            .collect();
        let key = PrivateKeyDer::from_pem_slice(KEY).unwrap();
        let config = rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .unwrap();
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let acceptor = acceptor.clone();
                tokio::spawn(async move {
                    let Ok(mut tls) = acceptor.accept(stream).await else {
                        return;
                    };
                    let mut buf = [0u8; 5];
                    if tls.read_exact(&mut buf).await.is_ok() {
                        let _ = tls.write_all(&buf).await;
                        let _ = tls.flush().await;
                    }
                });
            }
        });
        port
    }

    #[tokio::test]
    async fn wss_verifies_with_the_clients_roots() {
        let port = tls_echo().await;
        let trusted = Client::builder()
            .base_url("http://127.0.0.1:9")
            .add_root_certificate(CA)
            .build()
            .unwrap();
        let mut stream = trusted
            .connect(&format!("wss://127.0.0.1:{port}/channels/x"))
            .await
            .unwrap();
        assert!(stream.is_tls());
        stream.write_all(b"hello").await.unwrap();
        let mut echoed = [0u8; 5];
        stream.read_exact(&mut echoed).await.unwrap();
        assert_eq!(&echoed, b"hello");

        let untrusted = Client::builder()
            .base_url("http://127.0.0.1:9")
            .build()
            .unwrap();
        let err = untrusted
            .connect(&format!("wss://127.0.0.1:{port}/channels/x"))
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Transport(_)), "{err:?}");
    }
}
