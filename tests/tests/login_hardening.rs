//! A misbehaving OAuth token server, one behaviour per test: the sign-in path holds like
//! every call (no panic, typed errors, bounded text, no secret, retries, timeouts).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use genesys_api_tokens::TokensApi;
use genesys_runtime::{Client, Error, RetryPolicy};
use genesys_tests::{Recorded, Reply, TestServer};
use serde_json::json;

const CLIENT_ID: &str = "client-1";
const SECRET: &str = "secret-1";
/// `base64("client-1:secret-1")`, the Basic credentials a reflecting server would echo.
const BASIC: &str = "Y2xpZW50LTE6c2VjcmV0LTE=";

fn is_token_request(request: &Recorded) -> bool {
    request.path == "/oauth/token"
}

/// A server whose token endpoint answers `token(index of the token request)` and whose API
/// answers 200 to any bearer token.
async fn server(
    token: impl Fn(usize) -> Reply + Send + Sync + 'static,
) -> (TestServer, Arc<AtomicUsize>) {
    let count = Arc::new(AtomicUsize::new(0));
    let counter = count.clone();
    let server = TestServer::start(move |request, _| {
        if is_token_request(request) {
            token(counter.fetch_add(1, Ordering::SeqCst))
        } else {
            Reply::json(200, &json!({"idleTokenTimeoutSeconds": 900}))
        }
    })
    .await;
    (server, count)
}

fn client(server: &TestServer) -> Client {
    Client::builder()
        .base_url(server.url())
        .client_credentials(CLIENT_ID, SECRET)
        .retry(RetryPolicy::default().initial_backoff(Duration::from_millis(10)))
        .build()
        .unwrap()
}

fn issued(expires_in: serde_json::Value) -> Reply {
    Reply::json(
        200,
        &json!({"access_token": "tok", "token_type": "bearer", "expires_in": expires_in}),
    )
}

#[tokio::test]
async fn a_huge_expires_in_is_clamped_not_a_panic() {
    for huge in [json!(u64::MAX), json!(9.3e18), json!(1e308)] {
        let (server, tokens) = server(move |_| issued(huge.clone())).await;
        let client = client(&server);
        client.get_tokens_timeout().await.unwrap();
        client.get_tokens_timeout().await.unwrap();
        assert_eq!(tokens.load(Ordering::SeqCst), 1, "the token is cached");
    }
}

#[tokio::test]
async fn a_float_expires_in_is_a_lifetime() {
    let (server, tokens) = server(|_| issued(json!(3600.0))).await;
    let client = client(&server);
    client.get_tokens_timeout().await.unwrap();
    client.get_tokens_timeout().await.unwrap();
    assert_eq!(tokens.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_zero_expires_in_does_not_fetch_a_token_before_every_call() {
    let (server, tokens) = server(|_| issued(json!(0))).await;
    let client = client(&server);
    for _ in 0..5 {
        client.get_tokens_timeout().await.unwrap();
    }
    assert_eq!(tokens.load(Ordering::SeqCst), 1);
}

async fn retried_then_issued(status: u16) {
    let (server, tokens) = server(move |n| match n {
        0 => Reply::json(
            status,
            &json!({"message": "slow down", "code": "too.many.requests"}),
        )
        .header("Retry-After", "1"),
        _ => issued(json!(3600)),
    })
    .await;

    client(&server).get_tokens_timeout().await.unwrap();

    assert_eq!(tokens.load(Ordering::SeqCst), 2, "{status}: retried once");
    let logins: Vec<Instant> = server
        .requests()
        .iter()
        .filter(|r| is_token_request(r))
        .map(|r| r.at)
        .collect();
    let spacing = logins[1] - logins[0];
    assert!(
        spacing >= Duration::from_millis(950),
        "{status}: Retry-After honoured, {spacing:?}"
    );
}

#[tokio::test]
async fn a_429_on_the_token_request_is_retried_after_retry_after() {
    retried_then_issued(429).await;
}

#[tokio::test]
async fn a_503_on_the_token_request_is_retried_after_retry_after() {
    retried_then_issued(503).await;
}

#[tokio::test]
async fn a_token_request_rate_limited_to_the_end_keeps_the_message() {
    let (server, tokens) = server(|_| {
        Reply::json(
            429,
            &json!({"message": "Rate limit exceeded", "code": "too.many.requests"}),
        )
        .header("Retry-After", "0")
        .header("ININ-Correlation-Id", "corr-429")
    })
    .await;

    let error = client(&server).get_tokens_timeout().await.unwrap_err();

    let Error::Auth(auth) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(auth.status().as_u16(), 429);
    assert_eq!(auth.description(), Some("Rate limit exceeded"));
    assert_eq!(auth.error(), Some("too.many.requests"));
    assert_eq!(auth.attempts(), 4);
    assert_eq!(auth.correlation_id(), Some("corr-429"));
    assert_eq!(tokens.load(Ordering::SeqCst), 4);
    let shown = error.to_string();
    assert!(
        shown.contains("Rate limit exceeded") && shown.contains("after 4 attempts"),
        "{shown}"
    );
}

#[tokio::test]
async fn a_token_server_that_never_answers_is_a_timeout() {
    let (server, _) = server(|_| issued(json!(3600)).delay(Duration::from_secs(30))).await;
    let client = Client::builder()
        .base_url(server.url())
        .client_credentials(CLIENT_ID, SECRET)
        .request_timeout(Duration::from_millis(500))
        .build()
        .unwrap();

    let started = Instant::now();
    let error = client.get_tokens_timeout().await.unwrap_err();
    let elapsed = started.elapsed();

    let Error::Timeout(timeout) = &error else {
        panic!("expected a timeout: {error:?}")
    };
    assert_eq!(timeout.timeout(), Duration::from_millis(500));
    // The token request's own timeout, or the call's wait for it (the same 500 ms, so either
    // may fire first): both say what was waited for.
    assert!(
        timeout.route().template == "/oauth/token"
            || timeout.token_source() == Some("ClientCredentials"),
        "{error}"
    );
    assert!(
        elapsed >= Duration::from_millis(500) && elapsed < Duration::from_secs(3),
        "{elapsed:?}"
    );
    assert_eq!(
        server.requests().len(),
        1,
        "a timeout is not retried; no API call"
    );
}

#[tokio::test]
async fn hostile_error_text_is_bounded_single_line_and_free_of_secrets() {
    let descriptions = [
        "line one\nline two\r\nFAKE LOG LINE level=ERROR user=admin".to_owned(),
        "x".repeat(100 * 1024),
        // A server that reflects the request.
        format!("bad request; you sent Authorization: Basic {BASIC} and secret {SECRET}"),
    ];
    for description in descriptions {
        let body = json!({"error": "invalid_client\ninjected", "error_description": description});
        let (server, _) = server(move |_| Reply::json(401, &body)).await;

        let error = client(&server).get_tokens_timeout().await.unwrap_err();

        let Error::Auth(auth) = &error else {
            panic!("{error:?}")
        };
        for shown in [
            error.to_string(),
            format!("{error:?}"),
            format!("{error:#?}"),
        ] {
            assert!(
                !shown.contains(BASIC) && !shown.contains(SECRET),
                "a secret leaked: {shown}"
            );
            assert!(shown.len() < 2048, "unbounded: {} bytes", shown.len());
        }
        let display = error.to_string();
        assert!(
            !display.contains('\n') && !display.contains('\r'),
            "{display}"
        );
        let kept = auth.description().unwrap();
        assert!(
            !kept.contains('\n') && kept.chars().count() <= 513,
            "{kept}"
        );
        assert_eq!(auth.error(), Some("invalid_client\\ninjected"));
    }
}

#[tokio::test]
async fn a_reflected_secret_in_a_non_json_body_is_redacted_too() {
    let (server, _) =
        server(|_| Reply::status(400).body(format!("echo: Basic {BASIC}\n{SECRET}"))).await;

    let error = client(&server).get_tokens_timeout().await.unwrap_err();

    let Error::Auth(auth) = &error else {
        panic!("{error:?}")
    };
    let snippet = auth.body_snippet().unwrap();
    assert_eq!(snippet, "echo: Basic <redacted>\\n<redacted>");
    assert!(!format!("{error} {error:?}").contains(SECRET));
}

#[test]
fn credentials_in_a_url_are_refused() {
    for (base, login) in [
        ("https://user:hunter2@api.mypurecloud.com", None),
        ("http://user:hunter2@127.0.0.1:9", None),
        (
            "https://api.mypurecloud.com",
            Some("https://user:hunter2@login.mypurecloud.com"),
        ),
    ] {
        let mut builder = Client::builder().base_url(base).access_token("tok");
        if let Some(login) = login {
            builder = builder.login_url(login);
        }
        let error = builder.build().unwrap_err();
        assert!(matches!(error, Error::Config(_)), "{error:?}");
        let shown = format!("{error} {error:?}");
        assert!(
            shown.contains("credentials") && !shown.contains("hunter2"),
            "{shown}"
        );
    }
}
