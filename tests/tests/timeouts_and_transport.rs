//! Timeouts, redirects and plain-http safety, against real sockets.

use std::time::{Duration, Instant};

use genesys_api_tokens::TokensApi;
use genesys_runtime::{Client, Error, RetryPolicy};
use genesys_tests::{Reply, TestServer, client_at};
use tokio::net::TcpListener;

#[tokio::test]
async fn a_server_that_never_answers_gives_a_timeout_within_the_bound() {
    // Accepts connections and reads nothing, answers nothing.
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let _held = tokio::spawn(async move {
        let mut sockets = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            sockets.push(socket);
        }
    });
    let bound = Duration::from_millis(500);
    let client = client_at(&url).request_timeout(bound).build().unwrap();

    let started = Instant::now();
    let error = client.get_tokens_timeout().await.unwrap_err();
    let elapsed = started.elapsed();

    let Error::Timeout(timeout) = &error else {
        panic!("expected a timeout, got {error:?}");
    };
    assert_eq!(timeout.timeout(), bound);
    assert!(elapsed >= bound, "{elapsed:?}");
    assert!(elapsed < bound + Duration::from_millis(500), "{elapsed:?}");
    assert!(
        error.to_string().contains("timed out after 500ms"),
        "{error}"
    );
}

#[tokio::test]
async fn a_slow_body_counts_against_the_request_timeout() {
    let server = TestServer::always(Reply::status(200).delay(Duration::from_secs(5))).await;
    let client = client_at(&server.url())
        .request_timeout(Duration::from_millis(300))
        .retry(RetryPolicy::disabled())
        .build()
        .unwrap();

    let started = Instant::now();
    let error = client.head_tokens_me().await.unwrap_err();

    assert!(matches!(error, Error::Timeout(_)), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn redirects_are_not_followed_so_the_token_stays_with_its_origin() {
    let elsewhere = TestServer::always(Reply::status(200)).await;
    let target = format!("{}/steal", elsewhere.url());
    let server = TestServer::always(Reply::status(302).header("Location", &target)).await;
    let client = client_at(&server.url()).build().unwrap();

    let error = client.head_tokens_me().await.unwrap_err();

    assert_eq!(error.status().map(|s| s.as_u16()), Some(302));
    assert!(
        elsewhere.requests().is_empty(),
        "nothing reached the other origin"
    );
}

#[test]
fn a_token_over_plain_http_to_another_host_is_refused() {
    let error = client_at("http://api.mypurecloud.com").build().unwrap_err();
    assert!(matches!(error, Error::Config(_)), "{error:?}");
    let shown = error.to_string();
    assert!(
        shown.contains("plain http") && shown.contains("https"),
        "{shown}"
    );
    assert!(!shown.contains("test-token-123"));

    let error = Client::builder()
        .base_url("http://gateway.internal:8080")
        .client_credentials("id", "secret")
        .build()
        .unwrap_err();
    assert!(error.to_string().contains("allow_insecure_http"), "{error}");

    // Loopback is fine, and the opt-in works.
    for url in ["http://127.0.0.1:1", "http://localhost:1", "http://[::1]:1"] {
        Client::builder()
            .base_url(url)
            .access_token("t")
            .build()
            .unwrap();
    }
    Client::builder()
        .base_url("http://gateway.internal:8080")
        .access_token("t")
        .allow_insecure_http(true)
        .build()
        .unwrap();
}

#[test]
fn malformed_base_urls_are_refused_with_an_example() {
    for url in ["api.mypurecloud.com", "ftp://x", "https://x?a=1", ""] {
        let error = Client::builder().base_url(url).build().unwrap_err();
        assert!(matches!(error, Error::Config(_)), "{url}: {error:?}");
    }
    let error = Client::builder()
        .base_url("api.mypurecloud.com")
        .build()
        .unwrap_err();
    assert!(
        error.to_string().contains("https://api.mypurecloud.com"),
        "{error}"
    );
}
