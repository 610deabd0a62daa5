//! Tracing of the notifications stream (target `genesys.notifications`): connects,
//! heartbeats, drops, silence, gaps and rollovers each leave a record.

use std::time::Duration;

use futures_util::StreamExt as _;
use genesys_api_tokens::fake::{
    DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_USER_ID, FakeClient, FakeGenesys,
};
use genesys_notifications::{Notification, Notifications, Topic};
use genesys_tests::CapturedLog;

#[tokio::test(start_paused = true)]
async fn connects_heartbeats_drops_silence_gaps_and_rollovers_are_traced() {
    let captured = CapturedLog::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(captured.clone())
        .with_max_level(tracing::Level::DEBUG)
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let fake = FakeGenesys::builder()
        .client(FakeClient::new(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET))
        .channel_lifetime(Duration::from_secs(30 * 60))
        .start()
        .await;
    let client = fake.client_builder().build().unwrap();
    let mut events = Notifications::builder(client)
        .topic(Topic::user_presence(DEFAULT_USER_ID).unwrap())
        .connect()
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_secs(40)).await; // a heartbeat
    fake.drop_sockets();
    let Some(Ok(Notification::Gap(_))) = events.next().await else {
        panic!("a gap")
    };
    fake.silence_sockets();
    let Some(Ok(Notification::Gap(_))) = events.next().await else {
        panic!("a gap")
    };
    tokio::time::sleep(Duration::from_secs(25 * 60)).await; // past the rollover
    drop(events);

    let text = captured.text();
    for record in [
        "channel created",
        "socket connected",
        "heartbeat",
        "no socket open: events may be missed",
        "reconnected: reporting the gap",
        "ping",
        "socket silent",
        "rolling over before the channel expires",
        "rolled over to a new channel",
        "the old channel's socket delivered everything",
    ] {
        assert!(text.contains(record), "no {record:?} in:\n{text}");
    }
    assert!(text.contains("genesys.notifications"));
}
