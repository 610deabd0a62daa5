//! Policy in the declaration (`timeout`, `retry`) and per-call options, over loopback.

use std::time::{Duration, Instant};

use genesys_runtime::http::{HeaderName, HeaderValue};
use genesys_runtime::{Api, CallOptions, Error, Result, RetryPolicy, endpoint};
use genesys_tests::{Reply, TestServer, client_at};
use serde_json::json;

/// A group exercising every policy key.
trait ReportsApi: Api {
    /// Bounded at 300 ms per attempt, whatever the client's request timeout.
    #[endpoint(method = "GET", path = "/slow", timeout = "300ms")]
    async fn slow_bounded(&self) -> Result<()>;

    /// The client's bounds.
    #[endpoint(method = "GET", path = "/slow")]
    async fn slow(&self) -> Result<()>;

    /// A read-only POST, safe to repeat.
    #[endpoint(method = "POST", path = "/query", retry = "safe")]
    async fn query_safe(&self, #[body] body: &serde_json::Value) -> Result<()>;

    /// The same POST, undeclared: never repeated after a 5xx.
    #[endpoint(method = "POST", path = "/query")]
    async fn query(&self, #[body] body: &serde_json::Value) -> Result<()>;

    /// One request, whatever the answer.
    #[endpoint(method = "GET", path = "/limited", retry = "never")]
    async fn once(&self) -> Result<()>;

    /// The client's retry rules.
    #[endpoint(method = "GET", path = "/limited")]
    async fn limited(&self) -> Result<()>;
}
impl<T: Api + ?Sized> ReportsApi for T {}

fn fast_retries() -> RetryPolicy {
    RetryPolicy::default().initial_backoff(Duration::from_millis(10))
}

/// `/slow` answers after 3 s; `/query` and `/limited` answer `first` to the first request
/// and 200 after.
async fn server(first: Reply) -> TestServer {
    TestServer::start(move |request, index| match request.path.as_str() {
        "/slow" => Reply::status(200).delay(Duration::from_secs(3)),
        _ if index == 0 => first.clone(),
        _ => Reply::json(200, &json!({})),
    })
    .await
}

#[tokio::test]
async fn a_declared_timeout_bounds_each_attempt_below_the_clients() {
    let server = server(Reply::status(200)).await;
    let client = client_at(&server.url()).build().unwrap(); // 30 s by default

    let started = Instant::now();
    let error = client.slow_bounded().await.unwrap_err();
    let elapsed = started.elapsed();

    let Error::Timeout(timeout) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(timeout.timeout(), Duration::from_millis(300));
    assert!(
        timeout.setting().contains("endpoint"),
        "{}",
        timeout.setting()
    );
    assert!(
        elapsed >= Duration::from_millis(300) && elapsed < Duration::from_secs(2),
        "{elapsed:?}"
    );
    assert!(error.to_string().contains("declared `timeout`"), "{error}");
}

#[tokio::test]
async fn a_post_declared_safe_is_retried_after_a_503_and_an_undeclared_one_is_not() {
    let body = json!({"filter": "x"});
    let safe = server(Reply::status(503)).await;
    client_at(&safe.url())
        .retry(fast_retries())
        .build()
        .unwrap()
        .query_safe(&body)
        .await
        .unwrap();
    assert_eq!(safe.requests().len(), 2, "retried once");

    let plain = server(Reply::status(503)).await;
    let error = client_at(&plain.url())
        .retry(fast_retries())
        .build()
        .unwrap()
        .query(&body)
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(
        plain.requests().len(),
        1,
        "a POST is not repeated by default"
    );
}

#[tokio::test]
async fn retry_never_sends_one_request_after_a_429() {
    let server = server(Reply::status(429).header("Retry-After", "0")).await;
    let client = client_at(&server.url())
        .retry(fast_retries())
        .build()
        .unwrap();

    let error = client.once().await.unwrap_err();

    assert_eq!(error.status().map(|s| s.as_u16()), Some(429));
    assert_eq!(error.as_api().unwrap().retry_after(), Some(Duration::ZERO));
    assert_eq!(server.requests().len(), 1);
    // The same endpoint without the rule is retried.
    let again = self::server(Reply::status(429).header("Retry-After", "0")).await;
    client_at(&again.url())
        .retry(fast_retries())
        .build()
        .unwrap()
        .limited()
        .await
        .unwrap();
    assert_eq!(again.requests().len(), 2);
}

#[tokio::test]
async fn a_deadline_ends_a_retrying_call_within_it() {
    // Always 503 with Retry-After: 1; the client would try 10 times over 9 s.
    let server = TestServer::always(Reply::status(503).header("Retry-After", "1")).await;
    let client = client_at(&server.url())
        .retry(
            RetryPolicy::default()
                .max_attempts(10)
                .max_total_wait(Duration::from_secs(60)),
        )
        .build()
        .unwrap();
    let within = client.with_options(CallOptions::new().deadline(Duration::from_millis(2500)));

    let started = Instant::now();
    let error = within.limited().await.unwrap_err();
    let elapsed = started.elapsed();

    // The wait that would cross the deadline is not started: the last answer is the error.
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503), "{error:?}");
    assert!(elapsed < Duration::from_millis(2500), "{elapsed:?}");
    assert_eq!(server.requests().len(), 3, "attempts at 0 s, 1 s and 2 s");
}

#[tokio::test]
async fn a_deadline_also_ends_an_attempt_in_flight() {
    let server = server(Reply::status(200)).await;
    let client = client_at(&server.url()).build().unwrap();
    let started = Instant::now();
    let error = client
        .with_options(CallOptions::new().deadline(Duration::from_millis(400)))
        .slow()
        .await
        .unwrap_err();
    let Error::Timeout(timeout) = &error else {
        panic!("{error:?}")
    };
    assert!(
        timeout.setting().contains("deadline"),
        "{}",
        timeout.setting()
    );
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn per_call_options_apply_to_their_calls_only() {
    let server = TestServer::start(|request, _| match request.path.as_str() {
        "/slow" => Reply::status(200).delay(Duration::from_millis(600)),
        _ => Reply::status(503),
    })
    .await;
    let client = client_at(&server.url())
        .retry(fast_retries())
        .build()
        .unwrap();
    let scoped = client.with_options(
        CallOptions::new()
            .timeout(Duration::from_millis(200))
            .retry(RetryPolicy::disabled())
            .header(
                HeaderName::from_static("x-scope"),
                HeaderValue::from_static("batch-7"),
            )
            .header(
                HeaderName::from_static("authorization"),
                HeaderValue::from_static("Bearer stolen"),
            ),
    );

    // Through the scoped client: its timeout, no retries, its header.
    let error = scoped.slow().await.unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
    scoped.limited().await.unwrap_err();
    // Through the original, concurrently and after: the client's settings.
    let (slow, limited) = tokio::join!(client.slow(), client.limited());
    slow.unwrap();
    limited.unwrap_err();

    let requests = server.requests();
    let scope_of = |r: &genesys_tests::Recorded| r.header("x-scope").map(str::to_owned);
    let limited: Vec<_> = requests.iter().filter(|r| r.path == "/limited").collect();
    assert_eq!(
        limited.iter().filter(|r| scope_of(r).is_some()).count(),
        1,
        "scoped: 1 attempt"
    );
    assert_eq!(
        limited.iter().filter(|r| scope_of(r).is_none()).count(),
        4,
        "original: 4 attempts"
    );
    for request in &requests {
        assert_eq!(
            request.header("authorization"),
            Some("Bearer test-token-123"),
            "{request:?}"
        );
    }
    assert!(client.options().is_none());
    assert!(scoped.options().is_some());
}
