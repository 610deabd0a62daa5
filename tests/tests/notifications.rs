//! The notifications stream against the fake's channels and WebSocket, one behaviour each
//! (typed events are in `notifications/tests/typed_events.rs`): the `socket_closing` switch, a dropped socket, a silent one, the 24-hour
//! rollover, the limits, a slow consumer (and a drop while it is behind), unreadable frames, expired credentials.

use std::time::Duration;

use futures_util::StreamExt as _;
use genesys_api_tokens::fake::{
    DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_USER_ID, FakeClient, FakeGenesys,
    FakeGenesysBuilder,
};
use genesys_notifications::{
    Error, Event, Gap, GapReason, MAX_CHANNELS, MAX_TOPICS, Notification, Notifications, Topic,
};
use serde_json::json;
use tokio::time::Instant;

/// Everything the stream yields within `wait` of quiet.
async fn drain(events: &mut Notifications, wait: Duration) -> (Vec<Event>, Vec<Gap>) {
    let (mut got, mut gaps) = (Vec::new(), Vec::new());
    while let Ok(Some(item)) = tokio::time::timeout(wait, events.next()).await {
        match item.expect("the stream goes on") {
            Notification::Event(e) => got.push(e),
            Notification::Gap(g) => gaps.push(g),
            other => panic!("unexpected {other:?}"),
        }
    }
    (got, gaps)
}

/// A fake with the default client and user, for settings of its own.
fn default_fake_builder() -> FakeGenesysBuilder {
    FakeGenesys::builder()
        .client(FakeClient::new(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET))
        .user(DEFAULT_USER_ID, "Ada Lovelace")
}

fn presence() -> Topic {
    Topic::user_presence(DEFAULT_USER_ID).unwrap()
}

/// A stream of the presence topic holding at most `capacity` items for its reader.
async fn buffered(fake: &FakeGenesys, capacity: usize) -> Notifications {
    let client = fake.client_builder().build().unwrap();
    Notifications::builder(client)
        .topic(presence())
        .buffer(capacity)
        .connect()
        .await
        .unwrap()
}

async fn stream(fake: &FakeGenesys, topics: &[Topic]) -> Notifications {
    let client = fake.client_builder().build().unwrap();
    Notifications::builder(client)
        .topics(topics.iter().cloned())
        .connect()
        .await
        .unwrap()
}

#[tokio::test]
async fn socket_closing_switches_sockets_losing_and_repeating_nothing() {
    let fake = default_fake_builder()
        .socket_closing_grace(Duration::from_millis(400))
        .start()
        .await;
    let mut events = stream(&fake, &[presence()]).await;
    let reader = tokio::spawn(async move { drain(&mut events, Duration::from_millis(800)).await });
    // Events before, across and after the switch, 5 ms apart.
    for n in 0..200 {
        if n == 50 {
            fake.close_sockets_for_maintenance();
        }
        fake.publish(presence().as_str(), json!({"n": n}));
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let (got, gaps) = reader.await.unwrap();
    let published = fake.published();
    let overlap = published.iter().filter(|p| p.sockets == 2).count();
    assert!(overlap > 0, "the old and new sockets overlapped");
    assert!(
        published.iter().all(|p| p.sockets >= 1),
        "always a socket open"
    );
    let numbers: Vec<u64> = got.iter().map(|e| e.body["n"].as_u64().unwrap()).collect();
    assert_eq!(numbers, (0..200).collect::<Vec<_>>(), "each once, in order");
    assert!(gaps.is_empty(), "{gaps:?}");
    assert_eq!(fake.channels()[0].sockets, 1, "the old socket closed");
}

#[tokio::test]
async fn an_abrupt_drop_reconnects_resubscribes_and_reports_the_gap() {
    let fake = FakeGenesys::start().await;
    let mut events = stream(&fake, &[presence()]).await;
    fake.publish(presence().as_str(), json!({"n": 1}));
    tokio::time::sleep(Duration::from_millis(100)).await;
    fake.drop_sockets();
    // Published with no socket open: nobody could receive it.
    let lost = fake.publish(presence().as_str(), json!({"n": 2}));
    assert_eq!(lost.sockets, 0);
    let (got, gaps) = drain(&mut events, Duration::from_millis(500)).await;
    assert_eq!(got.len(), 1);
    assert_eq!(gaps.len(), 1, "{gaps:?}");
    let gap = &gaps[0];
    assert_eq!(gap.reason, GapReason::SocketLost);
    assert!(
        gap.since <= lost.at && lost.at <= gap.until,
        "{gap:?} {lost:?}"
    );
    // Subscriptions restored on the channel (a PUT after the reconnection), then events flow.
    let puts = fake
        .requests()
        .iter()
        .filter(|r| r.method == http::Method::PUT && r.path.ends_with("/subscriptions"))
        .count();
    assert_eq!(puts, 2);
    fake.publish(presence().as_str(), json!({"n": 3}));
    let (got, gaps) = drain(&mut events, Duration::from_millis(300)).await;
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].body["n"], 3);
    assert!(gaps.is_empty());
}

#[tokio::test(start_paused = true)]
async fn a_silent_socket_is_detected_within_the_silence_limit() {
    let fake = FakeGenesys::start().await;
    let client = fake.client_builder().build().unwrap();
    let limit = Duration::from_secs(75);
    let mut events = Notifications::builder(client)
        .topic(presence())
        .silence_limit(limit)
        .connect()
        .await
        .unwrap();
    // Heartbeats keep a quiet socket alive: ten minutes, no gap.
    tokio::time::sleep(Duration::from_secs(600)).await;
    fake.silence_sockets();
    let silenced = Instant::now();
    let lost = fake.publish(presence().as_str(), json!({"n": 1}));
    assert_eq!(lost.sockets, 0);
    let Some(Ok(Notification::Gap(gap))) = events.next().await else {
        panic!("a gap")
    };
    assert_eq!(gap.reason, GapReason::Silent);
    // The last heartbeat came at most 30 s before the silence; detection within the limit.
    assert!(gap.since <= silenced && silenced - gap.since <= Duration::from_secs(30));
    assert!(
        gap.until - gap.since <= limit + Duration::from_secs(1),
        "{gap:?}"
    );
    assert!(gap.since <= lost.at && lost.at <= gap.until);
    fake.publish(presence().as_str(), json!({"n": 2}));
    let Some(Ok(Notification::Event(e))) = events.next().await else {
        panic!("an event")
    };
    assert_eq!(e.body["n"], 2);
}

#[tokio::test(start_paused = true)]
async fn the_channel_is_rolled_over_before_it_expires_losing_nothing() {
    let fake = FakeGenesys::start().await; // channels live 24 hours
    let mut events = stream(&fake, &[presence()]).await;
    let first = fake.channels()[0].id.clone();
    let reader = tokio::spawn(async move { drain(&mut events, Duration::from_secs(600)).await });
    // An event a minute for 50 hours: two rollovers.
    for n in 0..3000u64 {
        fake.publish(presence().as_str(), json!({"n": n}));
        tokio::time::sleep(Duration::from_secs(60)).await;
    }
    let (got, gaps) = reader.await.unwrap();
    assert!(gaps.is_empty(), "{gaps:?}");
    let numbers: Vec<u64> = got.iter().map(|e| e.body["n"].as_u64().unwrap()).collect();
    assert_eq!(numbers, (0..3000).collect::<Vec<_>>());
    let channels = fake.channels();
    assert_eq!(channels.len(), 1, "expired channels are gone");
    assert_ne!(channels[0].id, first);
    let created = fake
        .requests()
        .iter()
        .filter(|r| r.method == http::Method::POST && r.path == "/api/v2/notifications/channels")
        .count();
    assert_eq!(created, 3);
}

#[tokio::test]
async fn the_limits_are_typed_errors() {
    let fake = FakeGenesys::start().await;
    let client = fake.client_builder().build().unwrap();
    let many: Vec<Topic> = (0..=MAX_TOPICS)
        .map(|n| Topic::user_presence(&format!("user-{n}")).unwrap())
        .collect();
    let err = Notifications::builder(client.clone())
        .topics(many.clone())
        .connect()
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::TooManyTopics {
                requested: 1001,
                limit: 1000
            }
        ),
        "{err}"
    );
    assert!(fake.channels().is_empty(), "nothing was made");

    let events = Notifications::builder(client.clone())
        .topics(many[..MAX_TOPICS].iter().cloned())
        .connect()
        .await
        .unwrap();
    let err = events.subscribe([presence()]).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::TooManyTopics {
                requested: 1001,
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(fake.channels()[0].topics.len(), MAX_TOPICS);

    for _ in 1..MAX_CHANNELS {
        use genesys_cloud::NotificationsApi as _;
        client.post_notifications_channels().await.unwrap();
    }
    let err = Notifications::builder(client).connect().await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::TooManyChannels {
                existing: 20,
                limit: 20
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("remove the oldest"));
    assert!(
        err.to_string().contains("check_channel_limit(false)"),
        "says what to do"
    );
    assert_eq!(fake.channels().len(), MAX_CHANNELS);

    assert!(matches!(
        Topic::user_presence("x.y"),
        Err(Error::InvalidTopic { .. })
    ));
    for silence in [Duration::ZERO, Duration::MAX] {
        let fresh = FakeGenesys::start().await;
        let err = Notifications::builder(fresh.client_builder().build().unwrap())
            .silence_limit(silence)
            .connect()
            .await
            .unwrap_err();
        assert!(
            matches!(
                err,
                Error::InvalidSetting {
                    setting: "silence_limit",
                    ..
                }
            ),
            "{err}"
        );
        assert!(fresh.channels().is_empty(), "nothing was made");
    }
}

#[tokio::test]
async fn a_slow_consumer_holds_at_most_its_buffer_and_is_told_what_it_missed() {
    let fake = FakeGenesys::start().await;
    let mut events = buffered(&fake, 64).await;
    let payload = "x".repeat(1_000);
    for n in 0..5_000u64 {
        fake.publish(presence().as_str(), json!({"n": n, "pad": payload}));
    }
    // Nobody reads while they arrive.
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    let usage = events.buffer_usage();
    assert_eq!(usage.capacity, 64);
    assert!(usage.peak <= 64, "{usage:?}");
    let (got, gaps) = drain(&mut events, Duration::from_millis(300)).await;
    let missed: u64 = gaps.iter().map(|g| g.missed.unwrap()).sum();
    assert!(gaps.iter().all(|g| g.reason == GapReason::Overflow));
    assert_eq!(
        got.len() as u64 + missed,
        5_000,
        "every event delivered or counted"
    );
    assert_eq!(got.len(), 64);
    assert_eq!(
        got.last().unwrap().body["n"],
        63,
        "the first ones kept, in order"
    );
}

#[tokio::test]
async fn a_drop_while_the_buffer_is_full_is_still_reported() {
    let fake = FakeGenesys::start().await;
    let mut events = buffered(&fake, 8).await;
    for n in 0..20u64 {
        fake.publish(presence().as_str(), json!({"n": n}));
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    // The buffer is full when the socket drops: the gap must not be counted as an event.
    fake.drop_sockets();
    let lost = fake.publish(presence().as_str(), json!({"n": 20}));
    assert_eq!(lost.sockets, 0);
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    fake.publish(presence().as_str(), json!({"n": 21}));
    tokio::time::sleep(Duration::from_millis(200)).await;
    let (got, gaps) = drain(&mut events, Duration::from_millis(300)).await;
    let numbers: Vec<u64> = got.iter().map(|e| e.body["n"].as_u64().unwrap()).collect();
    // Nobody read: the first eight are held, the rest (after the reconnection too) dropped.
    assert_eq!(numbers, [0, 1, 2, 3, 4, 5, 6, 7]);
    let lost_gap = gaps
        .iter()
        .find(|g| g.reason == GapReason::SocketLost)
        .unwrap_or_else(|| panic!("the drop's gap was reported: {gaps:?}"));
    assert!(lost_gap.since <= lost.at && lost.at <= lost_gap.until);
    let overflow: Vec<_> = gaps
        .iter()
        .filter(|g| g.reason == GapReason::Overflow)
        .collect();
    assert_eq!(overflow.len(), 1, "{gaps:?}");
    assert_eq!(overflow[0].missed, Some(13), "events only: 8 to 19, and 21");
}

#[tokio::test]
async fn a_frame_that_is_not_an_event_is_reported_not_skipped() {
    let fake = FakeGenesys::start().await;
    let mut events = stream(&fake, &[presence()]).await;
    fake.publish(presence().as_str(), json!({"n": 1}));
    for frame in [
        "not json",
        r#"{"eventBody": {"n": 2}}"#,
        r#"{"topicName": 7}"#,
    ] {
        assert_eq!(fake.send_frame(frame), 1);
    }
    // An envelope whose fields other than its topic are odd is still an event.
    fake.send_frame(r#"{"topicName": "v2.users.x.presence", "version": 2, "metadata": []}"#);
    fake.publish(presence().as_str(), json!({"n": 3}));
    let (got, gaps) = drain(&mut events, Duration::from_millis(300)).await;
    let topics: Vec<&str> = got.iter().map(|e| e.topic.as_str()).collect();
    assert_eq!(
        topics,
        [
            presence().as_str(),
            "v2.users.x.presence",
            presence().as_str()
        ]
    );
    assert_eq!(got[1].version.as_deref(), Some("2"));
    assert_eq!(gaps.len(), 3, "{gaps:?}");
    assert!(
        gaps.iter()
            .all(|g| g.reason == GapReason::Unreadable && g.missed == Some(1))
    );
}

#[tokio::test]
async fn expired_credentials_are_renewed_through_the_token_source() {
    let fake = FakeGenesys::start().await;
    let mut events = stream(&fake, &[presence()]).await;
    assert!(fake.expire_tokens() >= 1);
    fake.drop_sockets();
    tokio::time::sleep(Duration::from_millis(300)).await;
    fake.publish(presence().as_str(), json!({"n": 1}));
    let (got, gaps) = drain(&mut events, Duration::from_millis(300)).await;
    assert_eq!(gaps.len(), 1);
    assert_eq!(got.len(), 1, "subscribed again with a new token");
    let log = fake.requests();
    let logins = log.iter().filter(|r| r.path == "/oauth/token").count();
    assert_eq!(logins, 2, "one login, one renewal");
    assert!(
        log.iter().any(|r| r.status == 401),
        "the old token was refused"
    );
}

#[tokio::test]
async fn ids_from_outside_cannot_name_another_topic() {
    for id in ["", "a.b", "*", "u 1", "{id}"] {
        assert!(Topic::user_presence(id).is_err(), "{id:?}");
    }
}

#[tokio::test]
async fn a_credential_that_cannot_be_renewed_ends_the_stream_with_the_error() {
    let fake = FakeGenesys::start().await;
    // A fixed token: nothing can renew it.
    let token = fake.issue_user_token(DEFAULT_USER_ID).unwrap();
    let client = genesys_runtime::Client::builder()
        .base_url(fake.url())
        .access_token(token)
        .allow_insecure_http(true)
        .build()
        .unwrap();
    let mut events = Notifications::builder(client)
        .topic(presence())
        .connect()
        .await
        .unwrap();
    fake.expire_tokens();
    fake.drop_sockets();
    let end = tokio::time::timeout(Duration::from_secs(5), events.next())
        .await
        .expect("the stream ends, it does not retry forever");
    let Some(Err(Error::Api(e))) = end else {
        panic!("the API's refusal, not {end:?}")
    };
    assert_eq!(e.status().map(|s| s.as_u16()), Some(401));
    assert!(events.next().await.is_none(), "and then nothing");
}
