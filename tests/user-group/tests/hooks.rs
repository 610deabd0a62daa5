//! Hooks on every call: a header added to every attempt and a count of attempts per route,
//! seen by a loopback server and, identically, in the stubs' records.

mod support;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use genesys::testing::{Reply as StubReply, Stubs};
use genesys::{Hook, Incoming, Outgoing, StatusCode};
use serde_json::json;
use support::{Reply, Server};
use user_group::{SESSION_API, SessionApi};

/// Tags every request with the tenant and counts attempts per route.
#[derive(Default)]
struct Audit {
    attempts: Mutex<BTreeMap<String, u32>>,
    answers: Mutex<Vec<(String, u32, Option<u16>)>>,
}

impl Hook for Audit {
    fn before(&self, request: &mut Outgoing<'_>) {
        request
            .headers_mut()
            .insert("x-tenant", "acme".parse().unwrap());
        *self
            .attempts
            .lock()
            .unwrap()
            .entry(request.route().to_string())
            .or_default() += 1;
    }

    fn after(&self, answer: &Incoming<'_>) {
        self.answers.lock().unwrap().push((
            answer.endpoint().operation.to_owned(),
            answer.attempt(),
            answer.status().map(|s| s.as_u16()),
        ));
    }
}

/// Two calls, the first rate-limited once.
async fn calls(api: &impl SessionApi) {
    api.whoami().await.unwrap();
    api.sign_out("ann").await.unwrap();
}

fn expected_attempts() -> BTreeMap<String, u32> {
    [
        ("GET /api/v2/tokens/me".to_owned(), 2),
        ("DELETE /api/v2/tokens/{userId}".to_owned(), 1),
    ]
    .into()
}

fn expected_answers() -> Vec<(String, u32, Option<u16>)> {
    vec![
        ("whoami".into(), 1, Some(429)),
        ("whoami".into(), 2, Some(200)),
        ("sign_out".into(), 1, Some(204)),
    ]
}

#[tokio::test]
async fn a_hook_tags_every_attempt_and_counts_them_over_loopback() {
    let server = Server::start(|request, index| match (request.method.as_str(), index) {
        ("GET", 0) => Reply::json(429, json!({})).with_header("retry-after", "0"),
        ("GET", _) => Reply::json(200, json!({ "authorizedScope": [] })),
        _ => Reply::json(204, json!(null)),
    })
    .await;
    let audit = Arc::new(Audit::default());
    let client = genesys::Client::builder()
        .base_url(&server.url)
        .access_token("t")
        .hook(audit.clone())
        .build()
        .unwrap();

    calls(&client).await;

    let recorded = server.recorded();
    assert_eq!(recorded.len(), 3);
    assert!(
        recorded
            .iter()
            .all(|r| r.header("x-tenant") == Some("acme"))
    );
    assert!(
        recorded
            .iter()
            .all(|r| r.header("authorization") == Some("Bearer t"))
    );
    assert_eq!(*audit.attempts.lock().unwrap(), expected_attempts());
    assert_eq!(*audit.answers.lock().unwrap(), expected_answers());
}

#[tokio::test]
async fn the_same_hook_sees_the_same_on_stubs() {
    let stubs = Stubs::new();
    stubs.on(&SESSION_API, "whoami").replies([
        StubReply::status(StatusCode::TOO_MANY_REQUESTS).with_header("retry-after", "0"),
        StubReply::json(&json!({ "authorizedScope": [] })),
    ]);
    stubs
        .on(&SESSION_API, "sign_out")
        .reply(StubReply::status(StatusCode::NO_CONTENT));
    let audit = Arc::new(Audit::default());
    let client = stubs.client_builder().hook(audit.clone()).build().unwrap();

    calls(&client).await;

    let recorded = stubs.calls();
    assert_eq!(recorded.len(), 3);
    assert!(
        recorded
            .iter()
            .all(|c| c.header("x-tenant") == Some("acme"))
    );
    assert_eq!(*audit.attempts.lock().unwrap(), expected_attempts());
    assert_eq!(*audit.answers.lock().unwrap(), expected_answers());
}
