//! The credential's rate budget over loopback: what one `429` teaches, every call on the
//! credential waits out; a known limit paces calls; the bulk preset waits a minute when the
//! server asks; and no budget wait ends past a call's bounds.

use std::time::Duration;

use genesys_api_tokens::TokensApi;
use genesys_runtime::{CallOptions, Error, RateLimit, RetryPolicy};
use genesys_tests::{Reply, TestServer, client_at};
use serde_json::json;

fn timeout_json() -> Reply {
    Reply::json(200, &json!({"idleTokenTimeoutSeconds": 900}))
}

/// A server whose first answer is `429` with `Retry-After: retry_after`.
async fn limited_once(retry_after: &'static str) -> TestServer {
    TestServer::start(move |_, index| match index {
        0 => Reply::json(429, &json!({"message": "Rate limit exceeded"}))
            .header("retry-after", retry_after),
        _ => timeout_json(),
    })
    .await
}

#[tokio::test]
async fn one_429_makes_every_concurrent_caller_wait_its_retry_after() {
    let server = limited_once("1").await;
    let client = client_at(&server.url()).build().unwrap();

    let first = tokio::spawn({
        let client = client.clone();
        async move { client.get_tokens_timeout().await }
    });
    while server.requests().is_empty() {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let limited_at = server.requests()[0].at;
    let others: Vec<_> = (0..8)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.get_tokens_timeout().await })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(
        server.requests().len(),
        1,
        "nobody sends while the limit holds"
    );

    first.await.unwrap().unwrap();
    for call in others {
        call.await.unwrap().unwrap();
    }
    let requests = server.requests();
    assert_eq!(
        requests.len(),
        10,
        "the 429, its retry, and one request per caller"
    );
    for request in &requests[1..] {
        let after = request.at.duration_since(limited_at);
        assert!(
            after >= Duration::from_millis(950),
            "sent {after:?} after the 429"
        );
    }
    let state = client.rate_budget();
    assert_eq!(state.limited, 1);
    assert!(state.delayed >= 8, "{state:?}");
}

#[tokio::test(start_paused = true)]
async fn a_58_second_retry_after_is_waited_in_full_under_the_bulk_preset() {
    let server = limited_once("58").await;
    let client = client_at(&server.url())
        .retry(RetryPolicy::bulk())
        .build()
        .unwrap();
    let started = tokio::time::Instant::now();

    client.get_tokens_timeout().await.unwrap();

    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_secs(58) && waited < Duration::from_secs(59),
        "{waited:?}"
    );
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn a_budget_wait_past_the_calls_bounds_ends_it_at_once_and_sends_nothing() {
    let server = limited_once("40").await;
    let client = client_at(&server.url()).build().unwrap();
    // Under the default policy (30 s of waiting at most) the call that got the 429 ends
    // with it; the limit it learned holds for the next calls.
    let Error::Api(refused) = client.get_tokens_timeout().await.unwrap_err() else {
        panic!("not the 429")
    };
    assert_eq!(refused.retry_after(), Some(Duration::from_secs(40)));

    let started = std::time::Instant::now();
    let error = client.get_tokens_timeout().await.unwrap_err();
    let Error::Timeout(timeout) = &error else {
        panic!("{error:?}")
    };
    assert!(timeout.is_rate_budget(), "{timeout}");
    assert_eq!(timeout.timeout(), Duration::from_secs(30));
    let text = timeout.to_string();
    assert!(
        text.contains("rate budget") && text.contains("max_total_wait"),
        "{text}"
    );

    let bounded = client.with_options(
        CallOptions::new()
            .retry(RetryPolicy::bulk())
            .deadline(Duration::from_secs(5)),
    );
    let Error::Timeout(timeout) = bounded.get_tokens_timeout().await.unwrap_err() else {
        panic!("not a timeout")
    };
    assert!(timeout.is_rate_budget());
    assert_eq!(timeout.setting(), "call's `deadline` option");
    assert!(started.elapsed() < Duration::from_secs(2), "ended at once");
    assert_eq!(server.requests().len(), 1, "nothing more was sent");
}

#[tokio::test]
async fn a_known_limit_paces_concurrent_calls() {
    let server = TestServer::always(timeout_json()).await;
    let client = client_at(&server.url())
        .rate_limit(RateLimit::per_second(20))
        .build()
        .unwrap();

    let calls: Vec<_> = (0..10)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.get_tokens_timeout().await })
        })
        .collect();
    for call in calls {
        call.await.unwrap().unwrap();
    }

    let requests = server.requests();
    assert_eq!(requests.len(), 10);
    let mut at: Vec<_> = requests.iter().map(|r| r.at).collect();
    at.sort();
    let span = at[9].duration_since(at[0]);
    assert!(
        span >= Duration::from_millis(430),
        "10 requests at 20/s took {span:?}"
    );
    let state = client.rate_budget();
    assert_eq!((state.limited, state.delayed), (0, 9), "{state:?}");
    assert_eq!(state.pace, Some(RateLimit::per_second(20)));
}
