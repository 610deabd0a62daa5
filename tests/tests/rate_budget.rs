//! The credential's rate budget over loopback: what one `429` teaches, every call on the
//! credential waits out; a known limit paces calls; the bulk preset waits a minute when the
//! server asks; no budget wait ends past a call's bounds; several credentials take turns,
//! each with its own budget; and hooks see what was waited.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use genesys_api_tokens::TokensApi;
use genesys_runtime::{CallOptions, Error, Hook, Incoming, Outgoing, RateLimit, RetryPolicy};
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

/// The credential (the token) each request carried, in order.
fn tokens(server: &TestServer) -> Vec<String> {
    server
        .requests()
        .iter()
        .map(|r| {
            let auth = r.header("authorization").unwrap_or_default();
            auth.trim_start_matches("Bearer ").to_owned()
        })
        .collect()
}

#[tokio::test]
async fn two_credentials_alternate_and_keep_separate_budgets() {
    // While `limit` is set, the first token's next request finds its limit (1 s).
    let limit = Arc::new(AtomicBool::new(false));
    let server = TestServer::start({
        let limit = limit.clone();
        move |request, _| {
            if request.header("authorization") == Some("Bearer first")
                && limit.swap(false, Ordering::SeqCst)
            {
                Reply::json(429, &json!({"message": "Rate limit exceeded"}))
                    .header("retry-after", "1")
            } else {
                timeout_json()
            }
        }
    })
    .await;
    let client = client_at(&server.url())
        .access_token("first")
        .add_access_token("second")
        .build()
        .unwrap();

    for _ in 0..4 {
        client.get_tokens_timeout().await.unwrap();
    }
    assert_eq!(tokens(&server), ["first", "second", "first", "second"]);

    // The first credential's 429: that call goes on at once with the second, and so do the
    // next calls while the first is held, none of them waiting.
    limit.store(true, Ordering::SeqCst);
    let started = std::time::Instant::now();
    for _ in 0..5 {
        client.get_tokens_timeout().await.unwrap();
    }
    assert!(
        started.elapsed() < Duration::from_millis(500),
        "the second credential's calls waited: {:?}",
        started.elapsed()
    );
    assert_eq!(
        tokens(&server)[4..],
        ["first", "second", "second", "second", "second", "second"]
    );
    let budgets = client.rate_budgets();
    assert_eq!(budgets.len(), 2);
    assert_eq!(budgets[0].limited, 1, "{:?}", budgets[0]);
    assert!(budgets[0].blocked_until.is_some(), "the first is held");
    assert_eq!(budgets[1].limited, 0, "{:?}", budgets[1]);
    assert!(budgets[1].blocked_until.is_none(), "the second is not");

    // Once the Retry-After has passed, they take turns again.
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    for _ in 0..2 {
        client.get_tokens_timeout().await.unwrap();
    }
    let mut last: Vec<String> = tokens(&server)[10..].to_vec();
    last.sort();
    assert_eq!(last, ["first", "second"]);
    assert_eq!(client.rate_budgets()[0].delayed, 0, "nothing waited for it");
}

/// What a hook saw of each attempt: the credential, the rate-budget wait before it, its
/// status, and the 429s its credential had counted by then.
#[derive(Default)]
struct Budgets(Mutex<Vec<(usize, Duration)>>, Mutex<Vec<(u16, u64)>>);

impl Hook for Budgets {
    fn before(&self, request: &mut Outgoing<'_>) {
        let seen = (request.credential(), request.rate_wait());
        self.0.lock().unwrap().push(seen);
    }

    fn after(&self, answer: &Incoming<'_>) {
        let status = answer.status().map_or(0, |s| s.as_u16());
        self.1
            .lock()
            .unwrap()
            .push((status, answer.rate_budget().limited));
    }
}

#[tokio::test]
async fn a_hook_sees_each_attempts_budget_wait_and_the_429s_so_far() {
    let server = limited_once("1").await;
    let seen = Arc::new(Budgets::default());
    let client = client_at(&server.url()).hook(seen.clone()).build().unwrap();
    // One call gets the 429; a second comes during the hold and waits for the budget.
    let first = tokio::spawn({
        let client = client.clone();
        async move { client.get_tokens_timeout().await }
    });
    while server.requests().is_empty() {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    tokio::time::sleep(Duration::from_millis(50)).await;
    client.get_tokens_timeout().await.unwrap();
    first.await.unwrap().unwrap();

    let before = seen.0.lock().unwrap().clone();
    let after = seen.1.lock().unwrap().clone();
    // The 429 (counted from the next answer on), then the two calls' attempts.
    assert_eq!(after, [(429, 0), (200, 1), (200, 1)]);
    assert!(before.iter().all(|(credential, _)| *credential == 0));
    assert_eq!(
        before[0].1,
        Duration::ZERO,
        "the first attempt did not wait"
    );
    // The call that came during the hold waited most of the second for the budget.
    let longest = before[1..].iter().map(|(_, wait)| *wait).max().unwrap();
    assert!(
        longest >= Duration::from_millis(800) && longest <= Duration::from_millis(1_100),
        "{before:?}"
    );
    let state = client.rate_budget();
    assert_eq!(state.limited, 1);
    assert!(state.delay >= longest, "{state:?}");
}

#[tokio::test]
async fn a_429_in_the_opening_wave_holds_the_next_calls_of_those_answered_before_it() {
    // Four calls at once; the server answers three at once and the fourth, 429, 5 ms later
    // (as a server that answers in order does when the wave overran its limit).
    let server = TestServer::start(|_, index| match index {
        0..=2 => timeout_json(),
        3 => Reply::json(429, &json!({"message": "Rate limit exceeded"}))
            .header("retry-after", "1")
            .delay(Duration::from_millis(5)),
        _ => timeout_json(),
    })
    .await;
    let client = client_at(&server.url()).build().unwrap();
    let started = std::time::Instant::now();
    // Each task makes two calls: the second of those answered first would go out before the
    // 429 arrives, and find the limit again, without the opening wave's hold.
    let tasks: Vec<_> = (0..4)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move {
                client.get_tokens_timeout().await?;
                client.get_tokens_timeout().await
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    let requests = server.requests();
    assert_eq!(requests.len(), 9, "four, the 429's retry, four more");
    let limited_at = requests[3].at;
    for request in &requests[4..] {
        let after = request.at.saturating_duration_since(limited_at);
        assert!(
            after >= Duration::from_millis(900),
            "sent {after:?} after the 429 was asked for (its answer came 5 ms later)"
        );
    }
    assert!(started.elapsed() < Duration::from_secs(3));
    assert_eq!(client.rate_budget().limited, 1);
}
