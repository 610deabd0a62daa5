//! The user's business logic, generic over their own `SessionApi`, tested in process with
//! `Stubs`: no socket is opened. Happy path, a 429 then success (the wait is virtual time),
//! a 404 `ApiError`, a decode failure, and what was sent.

mod common;

use std::time::Duration;

use genesys::testing::{Reply, Stubs};
use genesys::{Error, ErrorBody, StatusCode};
use serde_json::json;
use user_group::{DIRECTORY_API, DirectoryApi, SESSION_API, SessionApi, State, session_report};

/// The sockets this process holds (Linux: `/proc/self/fd` links to `socket:[…]`).
fn sockets() -> usize {
    std::fs::read_dir("/proc/self/fd")
        .unwrap()
        .filter_map(|entry| std::fs::read_link(entry.ok()?.path()).ok())
        .filter(|target| target.to_string_lossy().starts_with("socket:"))
        .count()
}

fn me() -> Reply {
    Reply::json(&json!({
        "organization": { "name": "Fake Organization" },
        "authorizedScope": ["tokens", "directory"],
    }))
}

fn stubs() -> Stubs {
    let stubs = Stubs::new();
    stubs.on(&SESSION_API, "whoami").reply(me());
    stubs.on(&SESSION_API, "sign_out").replies([
        Reply::status(StatusCode::NO_CONTENT),
        Reply::error(
            StatusCode::NOT_FOUND,
            ErrorBody::new().with_message("User nobody was not found."),
        ),
    ]);
    stubs
        .on(&SESSION_API, "set_idle_timeout")
        .reply(Reply::json(&common::timeout()));
    stubs
}

#[tokio::test(start_paused = true)]
async fn the_business_logic_runs_on_stubs_without_a_socket() {
    let before = sockets();

    // Happy path, and what was sent.
    let stubs = stubs();
    let client = stubs.client();
    let (report, set) = common::run(&client).await;
    assert_eq!(report, common::expected(2));
    assert_eq!(set, common::timeout());
    let calls = stubs.calls();
    let sent: Vec<(&str, &str)> = calls
        .iter()
        .map(|c| (c.method().as_str(), c.path()))
        .collect();
    assert_eq!(sent[..3], common::ROUTES);
    assert_eq!(stubs.calls_to(&SESSION_API, "sign_out").len(), 2);
    let put = &calls[3];
    assert_eq!(put.operation(), "set_idle_timeout");
    assert_eq!(put.header("content-type"), Some("application/json"));
    assert_eq!(put.header("authorization"), Some("Bearer stub-token"));
    assert_eq!(
        put.json::<serde_json::Value>().unwrap(),
        json!({ "enableIdleTokenTimeout": true, "idleTokenTimeoutSeconds": 3600 })
    );
    assert_eq!(put.query("anything"), None);

    // Query values as sent, decoded, on any group the user declares.
    stubs
        .on(&DIRECTORY_API, "count_in_state")
        .reply(Reply::json(&7));
    let count = client
        .count_in_state(State::Active, &[State::Active, State::Deleted])
        .await
        .unwrap();
    assert_eq!(count, 7);
    let counted = &stubs.calls_to(&DIRECTORY_API, "count_in_state")[0];
    assert_eq!(counted.path(), "/api/v2/users/states/active");
    assert_eq!(counted.query_all("also"), ["active", "deleted"]);
    assert_eq!(stubs.calls().len(), 5);

    // A 429 with `Retry-After: 30`, then success: retried after 30 s of virtual time.
    let stubs = Stubs::new();
    stubs.on(&SESSION_API, "whoami").replies([
        Reply::status(StatusCode::TOO_MANY_REQUESTS).with_header("retry-after", "30"),
        me(),
    ]);
    let started = tokio::time::Instant::now();
    let report = session_report(&stubs.client(), &[]).await.unwrap();
    assert_eq!(
        report,
        "Fake Organization: 2 scopes; signed out 0; unknown []"
    );
    assert!(
        started.elapsed() >= Duration::from_secs(30),
        "the wait was honoured"
    );
    assert_eq!(stubs.calls_to(&SESSION_API, "whoami").len(), 2);

    // A 404 is an `ApiError` with its status and `ErrorBody`.
    let stubs = stubs_with_sign_out(Reply::error(
        StatusCode::NOT_FOUND,
        ErrorBody::new()
            .with_message("User x was not found.")
            .with_code("not.found"),
    ));
    let Err(Error::Api(error)) = stubs.client().sign_out("x").await else {
        panic!("a 404 is an ApiError")
    };
    assert_eq!(error.status(), StatusCode::NOT_FOUND);
    assert_eq!(error.code(), Some("not.found"));
    assert_eq!(error.message(), Some("User x was not found."));
    assert_eq!(error.attempts(), 1, "a 404 is not retried");

    // A body that is not the declared model is a decode error, through the business logic.
    let stubs = Stubs::new();
    stubs
        .on(&SESSION_API, "whoami")
        .reply(Reply::json(&json!({ "organization": 5 })));
    let error = session_report(&stubs.client(), &[]).await.unwrap_err();
    assert!(matches!(error, Error::Decode(_)), "{error:?}");

    // A call nobody stubbed gets a 501 naming the route.
    let error = Stubs::new().client().whoami().await.unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::NOT_IMPLEMENTED));
    assert!(
        error
            .to_string()
            .contains("no stub for GET /api/v2/tokens/me"),
        "{error}"
    );

    assert_eq!(sockets(), before, "no socket was opened");
}

fn stubs_with_sign_out(reply: Reply) -> Stubs {
    let stubs = Stubs::new();
    stubs.on(&SESSION_API, "sign_out").reply(reply);
    stubs
}

#[tokio::test(start_paused = true)]
async fn a_reply_slower_than_the_timeout_is_a_timeout() {
    let stubs = Stubs::new();
    stubs
        .on(&SESSION_API, "whoami")
        .reply(me().after(Duration::from_secs(60)));
    let client = stubs
        .client_builder()
        .request_timeout(Duration::from_secs(5))
        .build()
        .unwrap();

    let error = client.whoami().await.unwrap_err();

    assert!(error.is_timeout(), "{error:?}");
}

#[tokio::test]
async fn a_body_paged_query_and_a_recording_download_are_stubbed_without_a_socket() {
    use user_group::contact_center::{CONTACT_CENTER_API, ContactCenterApi, ConversationQuery};
    let before = sockets();
    let stubs = Stubs::new();
    stubs
        .on(
            &CONTACT_CENTER_API,
            "post_analytics_conversations_details_query",
        )
        .replies([
            Reply::json(&json!({ "conversations": [{"conversationId": "c1"}], "totalHits": 2 })),
            Reply::json(&json!({ "conversations": [{"conversationId": "c2"}], "totalHits": 2 })),
        ]);
    stubs
        .on_download_links()
        .reply(Reply::status(StatusCode::OK).with_body(&b"OggS"[..]));
    let client = stubs.client();

    let query = ConversationQuery {
        interval: "2026-11-01/2026-12-01".into(),
        order: None,
    };
    let conversations = client
        .post_analytics_conversations_details_query(&query)
        .all()
        .await
        .unwrap();
    let mut media = client
        .download_link("https://recordings.example-bucket.test/r1.ogg?sig=1")
        .await
        .unwrap();
    let chunk = media.chunk().await.unwrap().unwrap();

    assert_eq!(conversations.len(), 2);
    assert_eq!(&chunk[..], b"OggS");
    let calls = stubs.calls();
    let pages: Vec<u64> = calls[..2]
        .iter()
        .map(|c| {
            c.json::<serde_json::Value>().unwrap()["paging"]["pageNumber"]
                .as_u64()
                .unwrap()
        })
        .collect();
    assert_eq!(pages, [1, 2]);
    assert_eq!(calls[2].host(), Some("recordings.example-bucket.test"));
    assert_eq!(calls[2].header("authorization"), None);
    assert_eq!(calls[0].header("authorization"), Some("Bearer stub-token"));
    assert_eq!(sockets(), before, "a stubbed test opened a socket");
}
