//! The headers that say where a request goes and how it is framed are the runtime's alone:
//! neither a hook nor a call option can send the token-bearing request to another virtual
//! host (`Host`) or misframe it on a shared connection (`Content-Length`,
//! `Transfer-Encoding`, `Connection`).

use genesys_api_tokens::TokensApi;
use genesys_runtime::http::{HeaderName, HeaderValue, header};
use genesys_runtime::{CallOptions, Hook, Outgoing};
use genesys_tests::{Recorded, Reply, TEST_TOKEN, TestServer, client_at};
use serde_json::json;

/// A hook that tries to take over the connection-level headers, and adds one of its own.
struct Hijack;

impl Hook for Hijack {
    fn before(&self, request: &mut Outgoing<'_>) {
        let headers = request.headers_mut();
        headers.insert(header::HOST, HeaderValue::from_static("billing.internal"));
        headers.insert(header::CONTENT_LENGTH, HeaderValue::from_static("5"));
        headers.insert(
            header::TRANSFER_ENCODING,
            HeaderValue::from_static("chunked"),
        );
        headers.insert(header::CONNECTION, HeaderValue::from_static("upgrade"));
        headers.insert(header::UPGRADE, HeaderValue::from_static("websocket"));
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Bearer hook"),
        );
        headers.insert("x-tenant", HeaderValue::from_static("blue"));
    }
}

/// The one request `server` got, checked for the runtime's own `Host`, framing and
/// credential, whatever a hook or an option tried.
fn the_runtimes_headers_only(server: &TestServer) -> Recorded {
    let sent = server.only_request();
    let own_host = server.url().trim_start_matches("http://").to_owned();
    assert_eq!(sent.header("host"), Some(own_host.as_str()));
    assert_eq!(sent.header("content-length"), None);
    assert_eq!(sent.header("transfer-encoding"), None);
    assert_eq!(
        sent.header("authorization"),
        Some(format!("Bearer {TEST_TOKEN}").as_str())
    );
    sent
}

async fn server() -> TestServer {
    TestServer::always(Reply::json(200, &json!({"idleTokenTimeoutSeconds": 900}))).await
}

#[tokio::test]
async fn a_hook_cannot_set_host_framing_or_the_credential() {
    let server = server().await;
    let client = client_at(&server.url()).hook(Hijack).build().unwrap();

    client.get_tokens_timeout().await.unwrap();

    let sent = the_runtimes_headers_only(&server);
    assert_eq!(sent.header("upgrade"), None);
    assert_ne!(sent.header("connection"), Some("upgrade"));
    assert_eq!(
        sent.header("x-tenant"),
        Some("blue"),
        "the hook's own header stays"
    );
    assert!(sent.body.is_empty());
}

#[tokio::test]
async fn a_call_option_cannot_set_host_or_framing_either() {
    let server = server().await;
    let client = client_at(&server.url()).build().unwrap();
    let mut options = CallOptions::new();
    for (name, value) in [
        (header::HOST, "billing.internal"),
        (header::CONTENT_LENGTH, "5"),
        (header::TRANSFER_ENCODING, "chunked"),
        (header::AUTHORIZATION, "Bearer option"),
        (HeaderName::from_static("proxy-connection"), "keep-alive"),
        (HeaderName::from_static("x-request-id"), "run-42"),
    ] {
        options = options.header(name, HeaderValue::from_static(value));
    }
    // Only the names show in `Debug`: a header's value may be a key.
    let shown = format!("{options:?}");
    assert!(
        shown.contains("x-request-id") && !shown.contains("run-42"),
        "{shown}"
    );

    client
        .with_options(options)
        .get_tokens_timeout()
        .await
        .unwrap();

    let sent = the_runtimes_headers_only(&server);
    assert_eq!(sent.header("proxy-connection"), None);
    assert_eq!(sent.header("x-request-id"), Some("run-42"));
}
