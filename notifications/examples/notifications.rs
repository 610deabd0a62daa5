//! Events arriving, against the bundled fake (or a real org when `GENESYSCLOUD_*` is set):
//! `cargo run -p genesys-notifications --example notifications`.
//!
//! Against the fake it publishes presence events, drops the socket once (the stream
//! reconnects and reports the gap), sends `socket_closing` (the stream switches sockets and
//! loses nothing), and prints what arrived. Against a real org it subscribes to the calling
//! user's presence (`GENESYSCLOUD_USER_ID`) and prints events for a minute.

use std::time::Duration;

use futures_util::StreamExt as _;
use genesys_api_tokens::fake::{DEFAULT_USER_ID, FakeGenesys};
use genesys_notifications::{Notification, Notifications, Topic};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    if std::env::var_os("GENESYSCLOUD_OAUTHCLIENT_ID").is_some()
        || std::env::var_os("GENESYSCLOUD_ACCESS_TOKEN").is_some()
    {
        return real_org().await;
    }
    let fake = FakeGenesys::builder()
        .client(
            genesys_api_tokens::fake::FakeClient::new(
                genesys_api_tokens::fake::DEFAULT_CLIENT_ID,
                genesys_api_tokens::fake::DEFAULT_CLIENT_SECRET,
            )
            .name("Notifications example"),
        )
        .user(DEFAULT_USER_ID, "Ada Lovelace")
        .socket_closing_grace(Duration::from_millis(500))
        .start()
        .await;
    let client = fake.client_builder().build()?;
    let presence = Topic::user_presence(DEFAULT_USER_ID)?;
    let routing = Topic::user_routing_status(DEFAULT_USER_ID)?;
    let mut events = Notifications::builder(client)
        .topics([presence.clone(), routing.clone()])
        .connect()
        .await?;
    println!("connected; subscribed to {presence} and {routing}");

    let mut published = 0;
    for (round, status) in ["AVAILABLE", "BUSY", "AWAY"].iter().enumerate() {
        fake.publish(
            presence.as_str(),
            serde_json::json!({"presenceDefinition": {"systemPresence": status}}),
        );
        fake.publish(
            routing.as_str(),
            serde_json::json!({"routingStatus": {"status": "IDLE"}}),
        );
        published += 2;
        match round {
            0 => fake.drop_sockets(),
            1 => fake.close_sockets_for_maintenance(),
            _ => {}
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // Wait for the reconnection and the maintenance switch to settle, then one more.
    tokio::time::sleep(Duration::from_secs(2)).await;
    fake.publish(
        presence.as_str(),
        serde_json::json!({"presenceDefinition": {"systemPresence": "OFFLINE"}}),
    );
    published += 1;

    let (mut delivered, mut gaps) = (0, 0);
    while let Ok(Some(item)) = tokio::time::timeout(Duration::from_secs(2), events.next()).await {
        match item? {
            Notification::Event(event) => {
                delivered += 1;
                println!("event  {} {}", event.topic, event.body);
            }
            Notification::Gap(gap) => {
                gaps += 1;
                println!("gap    {:?}, {:?} long", gap.reason, gap.until - gap.since);
            }
            _ => {}
        }
    }
    let unreachable = fake.published().iter().filter(|p| p.sockets == 0).count();
    println!(
        "{published} published, {delivered} delivered, {unreachable} published while no socket was open (inside the {gaps} reported gap(s))"
    );
    if delivered + unreachable != published {
        return Err("an event was lost or repeated".into());
    }
    Ok(())
}

async fn real_org() -> Result<(), Box<dyn std::error::Error>> {
    let client = genesys_runtime::ClientBuilder::from_env()?.build()?;
    let user_id = std::env::var("GENESYSCLOUD_USER_ID")
        .map_err(|_| "set GENESYSCLOUD_USER_ID to the id of the user whose presence to follow")?;
    let mut events = Notifications::builder(client)
        .topic(Topic::user_presence(&user_id)?)
        .connect()
        .await?;
    println!("connected; following the presence of {user_id} for a minute");
    let until = tokio::time::Instant::now() + Duration::from_secs(60);
    while let Ok(Some(item)) = tokio::time::timeout_at(until, events.next()).await {
        match item? {
            Notification::Event(event) => println!("event  {} {}", event.topic, event.body),
            Notification::Gap(gap) => println!("gap    {gap:?}"),
            _ => {}
        }
    }
    Ok(())
}
