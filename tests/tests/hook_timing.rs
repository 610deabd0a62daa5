//! What a hook's `Incoming::elapsed` reports: the time from sending to the answer, read once
//! for every hook of the attempt.

use std::sync::Mutex;
use std::time::Duration;

use genesys_api_tokens::TokensApi;
use genesys_runtime::{Hook, Incoming};
use genesys_tests::{Reply, TestServer, client_at};
use serde_json::json;

/// Records what `elapsed` says, asking twice.
#[derive(Default)]
struct Clock {
    seen: Mutex<Vec<Duration>>,
}

impl Hook for Clock {
    fn after(&self, answer: &Incoming<'_>) {
        let first = answer.elapsed();
        std::thread::sleep(Duration::from_millis(5));
        assert_eq!(answer.elapsed(), first, "read once per attempt");
        self.seen.lock().unwrap().push(first);
    }
}

#[tokio::test]
async fn every_hook_sees_the_same_elapsed_time_and_it_covers_the_wait_for_the_answer() {
    let delay = Duration::from_millis(150);
    let server =
        TestServer::always(Reply::json(200, &json!({"idleTokenTimeoutSeconds": 9})).delay(delay))
            .await;
    let first = std::sync::Arc::new(Clock::default());
    let second = std::sync::Arc::new(Clock::default());
    let client = client_at(&server.url())
        .hook(first.clone())
        .hook(second.clone())
        .build()
        .unwrap();

    client.get_tokens_timeout().await.unwrap();

    let first = first.seen.lock().unwrap().clone();
    let second = second.seen.lock().unwrap().clone();
    assert_eq!(first.len(), 1);
    assert_eq!(
        first, second,
        "the second hook sees the first hook's reading"
    );
    assert!(
        first[0] >= delay,
        "{:?} covers the server's {delay:?}",
        first[0]
    );
    assert!(first[0] < Duration::from_secs(5), "{:?}", first[0]);
}
