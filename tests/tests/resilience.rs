//! Retries, `Retry-After`, backoff and cancellation, against loopback servers that misbehave
//! on purpose. Each test asserts what arrived at the server and what the caller got.

use std::time::{Duration, Instant};

use genesys_api_tokens::{IdleTokenTimeout, TokensApi};
use genesys_runtime::{Api, Client, Result, RetryPolicy, endpoint};
use genesys_tests::{Reply, TestServer, client_at};
use serde_json::json;

fn client(server: &TestServer, policy: RetryPolicy) -> Client {
    client_at(&server.url()).retry(policy).build().unwrap()
}

/// Fast backoff so that tests do not sleep for long; the rules are the default ones.
fn fast() -> RetryPolicy {
    RetryPolicy::default().initial_backoff(Duration::from_millis(20))
}

fn error_reply(status: u16) -> Reply {
    Reply::json(
        status,
        &json!({"message": format!("status {status}"), "code": "unavailable", "status": status}),
    )
    .header("ININ-Correlation-Id", &format!("corr-{status}"))
}

/// A POST and a PATCH endpoint, for the non-idempotent rules.
pub trait WritesApi: Api {
    /// A POST.
    #[endpoint(method = "POST", path = "/api/v2/groups")]
    async fn post_group(&self, #[body] body: &serde_json::Value) -> Result<()>;

    /// A PATCH.
    #[endpoint(method = "PATCH", path = "/api/v2/groups/{groupId}")]
    async fn patch_group(&self, group_id: &str, #[body] body: &serde_json::Value) -> Result<()>;
}
impl<T: Api + ?Sized> WritesApi for T {}

#[tokio::test]
async fn retries_are_on_by_default_with_a_documented_budget() {
    let policy = RetryPolicy::default();
    assert_eq!(policy, RetryPolicy::default().max_attempts(4));
    assert_ne!(policy, RetryPolicy::disabled());
}

#[tokio::test]
async fn a_429_with_retry_after_1_is_retried_after_one_second() {
    let server = TestServer::start(|_, index| match index {
        0 => error_reply(429).header("Retry-After", "1"),
        _ => Reply::json(200, &json!({"idleTokenTimeoutSeconds": 900})),
    })
    .await;

    let timeout = client(&server, RetryPolicy::default())
        .get_tokens_timeout()
        .await
        .expect("the retry succeeds");

    assert_eq!(timeout.idle_token_timeout_seconds, Some(900));
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    let gap = requests[1].at - requests[0].at;
    assert!(gap >= Duration::from_secs(1), "retried after {gap:?}");
    assert!(gap < Duration::from_secs(3), "retried after {gap:?}");
}

#[tokio::test]
async fn a_retry_after_as_an_http_date_is_honoured() {
    let server = TestServer::start(|_, index| match index {
        0 => {
            let at = std::time::SystemTime::now() + Duration::from_secs(2);
            error_reply(429).header("Retry-After", &httpdate(at))
        }
        _ => Reply::status(200),
    })
    .await;

    client(&server, RetryPolicy::default())
        .head_tokens_me()
        .await
        .unwrap();

    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    // HTTP-dates have whole seconds: the wait is between 1 and 2 s.
    let gap = requests[1].at - requests[0].at;
    assert!(gap >= Duration::from_millis(900), "retried after {gap:?}");
}

fn httpdate(at: std::time::SystemTime) -> String {
    // Format by hand to keep the test independent of the runtime's parser.
    let secs = at.duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() + 1;
    let days = secs / 86400;
    let (h, m, s) = ((secs / 3600) % 24, (secs / 60) % 60, secs % 60);
    let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][(days % 7) as usize];
    // Civil-from-days (Howard Hinnant).
    let z = days as i64 + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    format!(
        "{weekday}, {day:02} {} {year} {h:02}:{m:02}:{s:02} GMT",
        months[(month - 1) as usize]
    )
}

#[tokio::test]
async fn a_retry_after_beyond_the_budget_stops_at_once_and_exposes_the_wait() {
    let server = TestServer::always(error_reply(429).header("Retry-After", "86400")).await;
    let started = Instant::now();

    let error = client(&server, RetryPolicy::default())
        .get_tokens_me(None)
        .await
        .unwrap_err();

    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(server.requests().len(), 1);
    let api = error.as_api().expect("the 429 is the error");
    assert_eq!(api.status().as_u16(), 429);
    assert_eq!(api.retry_after(), Some(Duration::from_secs(86400)));
    assert_eq!(api.correlation_id(), Some("corr-429"));
    assert_eq!(api.attempts(), 1);
    assert!(error.to_string().contains("retry in 86400 s"), "{error}");
}

#[tokio::test]
async fn a_get_answered_503_three_times_then_200_succeeds() {
    let server = TestServer::start(|_, index| match index {
        0..=2 => error_reply(503),
        _ => Reply::json(200, &json!({"idleTokenTimeoutSeconds": 600})),
    })
    .await;

    let timeout = client(&server, fast()).get_tokens_timeout().await.unwrap();

    assert_eq!(timeout.idle_token_timeout_seconds, Some(600));
    assert_eq!(server.requests().len(), 4);
}

#[tokio::test]
async fn put_and_delete_are_idempotent_and_retried_on_502_and_504() {
    let server = TestServer::start(|_, index| match index {
        0 => error_reply(502),
        1 => error_reply(504),
        2 => Reply::json(200, &json!({})),
        3 => error_reply(503),
        _ => Reply::status(204),
    })
    .await;
    let client = client(&server, fast());

    client
        .put_tokens_timeout(Some(
            &IdleTokenTimeout::new().with_idle_token_timeout_seconds(900),
        ))
        .await
        .unwrap();
    client.delete_token("u-1").await.unwrap();

    let methods: Vec<String> = server
        .requests()
        .iter()
        .map(|r| r.method.to_string())
        .collect();
    assert_eq!(methods, ["PUT", "PUT", "PUT", "DELETE", "DELETE"]);
    let bodies: Vec<_> = server
        .requests()
        .iter()
        .take(3)
        .map(|r| r.body.clone())
        .collect();
    assert!(
        bodies.iter().all(|b| b == &bodies[0]),
        "the same body is replayed"
    );
}

#[tokio::test]
async fn post_and_patch_are_never_repeated_after_a_5xx() {
    let server = TestServer::always(error_reply(503)).await;
    let client = client(&server, fast());

    let post = client.post_group(&json!({"name": "x"})).await.unwrap_err();
    let patch = client
        .patch_group("g", &json!({"name": "y"}))
        .await
        .unwrap_err();

    assert_eq!(server.requests().len(), 2, "one request each");
    assert_eq!(post.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(patch.as_api().unwrap().attempts(), 1);
}

#[tokio::test]
async fn a_post_is_retried_on_429_because_it_was_not_processed() {
    let server = TestServer::start(|_, index| match index {
        0 => error_reply(429).header("Retry-After", "0"),
        _ => Reply::status(201),
    })
    .await;

    client(&server, fast())
        .post_group(&json!({"name": "x"}))
        .await
        .unwrap();

    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn when_retries_run_out_the_last_answer_is_the_typed_error() {
    let server = TestServer::always(error_reply(503)).await;

    let error = client(&server, fast().max_attempts(3))
        .get_tokens_timeout()
        .await
        .unwrap_err();

    assert_eq!(server.requests().len(), 3);
    let api = error
        .as_api()
        .expect("an API error, not a generic 'gave up'");
    assert_eq!(api.status().as_u16(), 503);
    assert_eq!(api.attempts(), 3);
    assert_eq!(api.message(), Some("status 503"));
    assert_eq!(api.correlation_id(), Some("corr-503"));
    assert!(error.to_string().contains("after 3 attempts"), "{error}");
}

#[tokio::test]
async fn retries_can_be_turned_off() {
    let server = TestServer::always(error_reply(503)).await;

    let error = client(&server, RetryPolicy::disabled())
        .get_tokens_timeout()
        .await
        .unwrap_err();

    assert_eq!(server.requests().len(), 1);
    assert_eq!(error.as_api().unwrap().attempts(), 1);
}

#[tokio::test]
async fn other_statuses_are_not_retried() {
    for status in [400, 401, 403, 404, 409, 500] {
        let server = TestServer::always(error_reply(status)).await;
        let error = client(&server, fast())
            .get_tokens_timeout()
            .await
            .unwrap_err();
        assert_eq!(server.requests().len(), 1, "{status}");
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
    }
}

#[tokio::test]
async fn dropping_the_call_cancels_the_pending_retry() {
    let server = TestServer::always(error_reply(429).header("Retry-After", "1")).await;
    let client = client(&server, RetryPolicy::default());

    let call = client.get_tokens_timeout();
    let cut = tokio::time::timeout(Duration::from_millis(300), call).await;
    assert!(cut.is_err(), "the call was still waiting to retry");
    tokio::time::sleep(Duration::from_millis(1500)).await;

    assert_eq!(
        server.requests().len(),
        1,
        "no retry after the future was dropped"
    );
}

#[tokio::test]
async fn the_backoff_between_5xx_retries_grows() {
    let server = TestServer::always(error_reply(503)).await;
    let policy = RetryPolicy::default()
        .initial_backoff(Duration::from_millis(100))
        .max_attempts(4);

    client(&server, policy)
        .get_tokens_timeout()
        .await
        .unwrap_err();

    let at: Vec<Instant> = server.requests().iter().map(|r| r.at).collect();
    let gaps: Vec<Duration> = at.windows(2).map(|w| w[1] - w[0]).collect();
    // Full jitter in [ceiling / 2, ceiling]: 50-100 ms, 100-200 ms, 200-400 ms.
    assert!(gaps[0] >= Duration::from_millis(50), "{gaps:?}");
    assert!(gaps[1] >= Duration::from_millis(100), "{gaps:?}");
    assert!(gaps[2] >= Duration::from_millis(200), "{gaps:?}");
    assert!(gaps[2] < Duration::from_millis(1000), "{gaps:?}");
}

/// A port that refuses connections now and serves `reply` from `after` on.
async fn late_server(after: Duration) -> (String, std::sync::Arc<std::sync::Mutex<usize>>) {
    let port = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        probe.local_addr().unwrap().port()
    };
    let served = std::sync::Arc::new(std::sync::Mutex::new(0usize));
    let counter = served.clone();
    tokio::spawn(async move {
        tokio::time::sleep(after).await;
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
            .await
            .unwrap();
        while let Ok((mut socket, _)) = listener.accept().await {
            use tokio::io::{AsyncReadExt, AsyncWriteExt};
            let mut buf = [0u8; 4096];
            let _ = socket.read(&mut buf).await;
            *counter.lock().unwrap() += 1;
            let _ = socket
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
                .await;
        }
    });
    (format!("http://127.0.0.1:{port}"), served)
}

#[tokio::test]
async fn a_refused_connection_is_retried_for_idempotent_methods() {
    let (url, served) = late_server(Duration::from_millis(300)).await;
    let client = client_at(&url)
        .retry(
            RetryPolicy::default()
                .initial_backoff(Duration::from_millis(200))
                .max_attempts(6),
        )
        .build()
        .unwrap();

    client
        .head_tokens_me()
        .await
        .expect("connected on a later attempt");

    assert_eq!(*served.lock().unwrap(), 1);
}

#[tokio::test]
async fn a_refused_connection_is_not_retried_for_post() {
    let (url, served) = late_server(Duration::from_millis(100)).await;
    let client = client_at(&url)
        .retry(RetryPolicy::default().initial_backoff(Duration::from_millis(200)))
        .build()
        .unwrap();

    let error = client.post_group(&json!({"name": "x"})).await.unwrap_err();

    assert!(
        matches!(error, genesys_runtime::Error::Transport(_)),
        "{error:?}"
    );
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(*served.lock().unwrap(), 0, "the POST was not sent again");
}
