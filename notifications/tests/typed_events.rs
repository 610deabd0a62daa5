//! Events for two topics arrive typed, against the bundled fake: one decoded into
//! genesys-cloud's generated topic payload, one into an operation's generated model.
//! (The other behaviours are tested in the repository's `tests/tests/notifications*.rs`.)

use std::time::Duration;

use futures_util::StreamExt as _;
use genesys_api_tokens::fake::{DEFAULT_USER_ID, FakeGenesys};
use genesys_notifications::{Notification, Notifications, Topic};
use serde_json::json;

#[tokio::test]
async fn events_for_two_topics_arrive_typed() {
    let fake = FakeGenesys::start().await;
    let presence = Topic::user_presence(DEFAULT_USER_ID).unwrap();
    let routing = Topic::user_routing_status(DEFAULT_USER_ID).unwrap();
    let client = fake.client_builder().build().unwrap();
    let mut events = Notifications::builder(client)
        .topics([presence.clone(), routing.clone()])
        .connect()
        .await
        .unwrap();
    let channels = fake.channels();
    assert_eq!(channels.len(), 1);
    assert_eq!(channels[0].topics.len(), 2);

    fake.publish(
        presence.as_str(),
        json!({"presenceDefinition": {"systemPresence": "Available"}}),
    );
    fake.publish(
        routing.as_str(),
        json!({"status": "INTERACTING", "startTime": "2026-12-04T05:00:00Z"}),
    );
    fake.publish("v2.users.someone-else.presence", json!({}));
    let mut got = Vec::new();
    while let Ok(Some(item)) = tokio::time::timeout(Duration::from_millis(500), events.next()).await
    {
        match item.unwrap() {
            Notification::Event(e) => got.push(e),
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(got.len(), 2, "only the subscribed topics: {got:?}");
    assert_eq!(got[0].topic, presence.as_str());
    // The topic's generated payload model (genesys-cloud's `notification-topics`).
    let p: genesys_cloud::models::PresenceEventUserPresence = got[0].decode().unwrap();
    let definition = p.presence_definition.unwrap();
    assert_eq!(definition.system_presence.as_deref(), Some("Available"));
    assert_eq!(got[1].topic, routing.as_str());
    // An operation's generated model.
    let r: genesys_cloud::models::RoutingStatus = got[1].decode().unwrap();
    assert_eq!(r.status.unwrap().as_str(), "INTERACTING");
    assert!(got[1].correlation_id.is_some());
}
