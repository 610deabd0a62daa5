//! A capturing `tracing` subscriber over a full run, and the `Debug`/`Display` of the
//! client, its configuration and every error kind: the token and the client secret appear
//! nowhere; the spans carry the route template (never the filled path), status, attempts,
//! elapsed time and correlation id.

use std::time::Duration;

use genesys_api_tokens::TokensApi;
use genesys_runtime::{Client, ClientBuilder, Error, RetryPolicy};
use genesys_tests::{CapturedLog, Reply, TestServer};
use serde_json::json;
use tracing_subscriber::fmt::format::FmtSpan;

const TOKEN: &str = "SuperSecretAccessToken-4242";
const ISSUED: &str = "IssuedTokenFromLogin-7777";
const SECRET: &str = "hunter2-client-secret";
const PERSONAL_ID: &str = "jane.doe-personal-id";

fn assert_no_secret(what: &str, text: &str) {
    for secret in [TOKEN, ISSUED, SECRET] {
        assert!(!text.contains(secret), "{what} leaks a secret:\n{text}");
    }
}

#[tokio::test]
async fn no_secret_in_logs_debug_or_errors_over_a_full_run() {
    let captured = CapturedLog::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(captured.clone())
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(FmtSpan::CLOSE)
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    // A server that logs in, refuses the first issued token once, rate limits once, and
    // answers a mix of successes and failures.
    let server = TestServer::start(|request, index| {
        if request.path == "/oauth/token" {
            return Reply::json(200, &json!({"access_token": ISSUED, "expires_in": 3600}));
        }
        match (request.path.as_str(), index) {
            (_, 1) => Reply::json(401, &json!({"message": "expired"})),
            (_, 3) => Reply::status(429).header("Retry-After", "0"),
            ("/api/v2/tokens/timeout", _) => {
                Reply::json(200, &json!({"idleTokenTimeoutSeconds": 60}))
                    .header("ININ-Correlation-Id", "corr-ok")
            }
            ("/api/v2/tokens/me", _) => Reply::status(200).body("{broken"),
            _ => Reply::json(
                403,
                &json!({"message": "denied", "code": "missing.permissions"}),
            )
            .header("ININ-Correlation-Id", "corr-403"),
        }
    })
    .await;
    let builder = Client::builder()
        .base_url(server.url())
        .client_credentials("client-1", SECRET)
        .retry(RetryPolicy::default().initial_backoff(Duration::from_millis(5)));
    let client = builder.clone().build().unwrap();

    let mut shown = vec![format!("{builder:?}"), format!("{client:?}")];
    client.get_tokens_timeout().await.unwrap(); // login, 401, renewal, replay
    client.get_tokens_timeout().await.unwrap(); // 429, retry
    let mut errors: Vec<Error> = vec![
        client.delete_token(PERSONAL_ID).await.unwrap_err(), // Api
        client.get_tokens_me(None).await.unwrap_err(),       // Decode
        client.delete_token("").await.unwrap_err(),          // InvalidArgument
    ];

    // The other error kinds, each with the secrets configured.
    let fixed = |url: String| {
        Client::builder()
            .base_url(url)
            .access_token(TOKEN)
            .retry(RetryPolicy::disabled())
    };
    errors.push(
        fixed("http://api.example.com".into()).build().unwrap_err(), // Config
    );
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", listener.local_addr().unwrap())
    };
    errors.push(
        fixed(closed)
            .build()
            .unwrap()
            .get_tokens_timeout()
            .await
            .unwrap_err(),
    ); // Transport
    let slow = TestServer::always(Reply::status(200).delay(Duration::from_secs(2))).await;
    errors.push(
        fixed(slow.url())
            .request_timeout(Duration::from_millis(100))
            .build()
            .unwrap()
            .head_tokens_me()
            .await
            .unwrap_err(), // Timeout
    );
    let big = TestServer::always(Reply::json(200, &json!({"x": "y".repeat(4096)}))).await;
    errors.push(
        fixed(big.url())
            .max_response_bytes(100)
            .build()
            .unwrap()
            .get_tokens_timeout()
            .await
            .unwrap_err(), // BodyTooLarge
    );
    let refusing = TestServer::always(Reply::json(
        401,
        &json!({"error": "invalid_client", "error_description": "bad secret"}),
    ))
    .await;
    errors.push(
        Client::builder()
            .base_url(refusing.url())
            .client_credentials("client-1", SECRET)
            .build()
            .unwrap()
            .get_tokens_timeout()
            .await
            .unwrap_err(), // Auth
    );

    let kinds: Vec<&str> = errors
        .iter()
        .map(|e| match e {
            Error::Api(_) => "api",
            Error::Decode(_) => "decode",
            Error::Transport(_) => "transport",
            Error::Timeout(_) => "timeout",
            Error::InvalidArgument(_) => "invalid",
            Error::Config(_) => "config",
            Error::BodyTooLarge(_) => "too large",
            Error::Auth(_) => "auth",
            _ => "other",
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "api",
            "decode",
            "invalid",
            "config",
            "transport",
            "timeout",
            "too large",
            "auth"
        ]
    );
    for error in &errors {
        shown.push(format!("{error}"));
        shown.push(format!("{error:?}"));
        shown.push(format!("{error:#?}"));
        let mut source = std::error::Error::source(error);
        while let Some(inner) = source {
            shown.push(format!("{inner} / {inner:?}"));
            source = inner.source();
        }
    }
    shown.push(format!(
        "{:?}",
        ClientBuilder::from_lookup(|name| match name {
            "GENESYSCLOUD_ACCESS_TOKEN" => Some(TOKEN.to_owned()),
            _ => None,
        })
    ));

    for text in &shown {
        assert_no_secret("Debug/Display", text);
    }

    drop(_guard);
    let log = captured.text();
    assert_no_secret("the tracing output", &log);
    assert!(!log.contains(PERSONAL_ID), "the filled path leaked:\n{log}");
    assert!(log.contains(r#"route="/api/v2/tokens/{userId}""#), "{log}");
    // The span names the operation from the route table (`TOKENS_API`).
    let operation = genesys_api_tokens::TOKENS_API
        .route(&http::Method::DELETE, "/api/v2/tokens/x")
        .unwrap()
        .0
        .operation;
    assert!(log.contains(&format!("operation=\"{operation}\"")), "{log}");
    assert!(log.contains("genesys.request"), "{log}");
    assert!(
        log.contains("attempts=3"),
        "401 replay, then 429 retry:\n{log}"
    );
    assert!(log.contains("status=200"), "{log}");
    assert!(log.contains("status=403"), "{log}");
    assert!(log.contains("correlation_id=\"corr-ok\""), "{log}");
    assert!(log.contains("correlation_id=\"corr-403\""), "{log}");
    assert!(log.contains("elapsed_ms="), "{log}");
    // What the call waited for its credential's rate budget, and which credential it was.
    assert!(log.contains("rate_wait_ms="), "{log}");
    assert!(log.contains("credential=0"), "{log}");
    assert!(log.contains("access token renewed"), "{log}");
    assert!(log.contains("renewing and replaying once"), "{log}");
    assert!(log.contains("retryable answer"), "{log}");
}
