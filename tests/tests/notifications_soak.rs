//! A soak run: the fake's sockets dropped, silenced and closed for maintenance at random,
//! channels expiring every 20 minutes, events published at random, for six hours of virtual
//! time. Every event published is either delivered exactly once or was published inside a
//! gap the stream reported: sent = delivered + inside gaps, exactly.

use std::collections::HashMap;
use std::time::Duration;

use futures_util::StreamExt as _;
use genesys_api_tokens::fake::{
    DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_USER_ID, FakeClient, FakeGenesys,
};
use genesys_notifications::{Notification, Notifications, Topic};
use serde_json::json;

/// A small deterministic generator (xorshift), so a failure can be replayed.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

#[tokio::test(start_paused = true)]
async fn random_faults_lose_nothing_unreported() {
    let fake = FakeGenesys::builder()
        .client(FakeClient::new(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET))
        .user(DEFAULT_USER_ID, "Ada Lovelace")
        .channel_lifetime(Duration::from_secs(20 * 60))
        .socket_closing_grace(Duration::from_secs(20))
        .start()
        .await;
    let client = fake.client_builder().build().unwrap();
    let topics: Vec<Topic> = (0..3)
        .map(|n| Topic::user_presence(&format!("user-{n}")).unwrap())
        .collect();
    let mut events = Notifications::builder(client)
        .topics(topics.clone())
        .rollover_margin(Duration::from_secs(5 * 60))
        .connect()
        .await
        .unwrap();
    let reader = tokio::spawn(async move {
        let (mut delivered, mut gaps) = (Vec::new(), Vec::new());
        while let Ok(Some(item)) =
            tokio::time::timeout(Duration::from_secs(900), events.next()).await
        {
            match item.expect("the stream goes on") {
                Notification::Event(e) => delivered.push(e.correlation_id.unwrap()),
                Notification::Gap(g) => gaps.push(g),
                other => panic!("unexpected {other:?}"),
            }
        }
        (delivered, gaps)
    });

    // Another seed: `SOAK_SEED=<n> cargo test --test notifications_soak`.
    let seed = std::env::var("SOAK_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5eed_2026_1204_u64);
    let mut random = Random(seed);
    let end = tokio::time::Instant::now() + Duration::from_secs(6 * 3600);
    let mut faults = HashMap::new();
    while tokio::time::Instant::now() < end {
        tokio::time::sleep(Duration::from_millis(200 + random.below(20_000))).await;
        let topic = &topics[random.below(3) as usize];
        fake.publish(topic.as_str(), json!({"at": random.next()}));
        let fault = match random.below(100) {
            0 => Some("drop"),
            1 => Some("silence"),
            2 => Some("maintenance"),
            _ => None,
        };
        match fault {
            Some("drop") => fake.drop_sockets(),
            Some("silence") => fake.silence_sockets(),
            Some("maintenance") => fake.close_sockets_for_maintenance(),
            _ => {}
        }
        if let Some(f) = fault {
            *faults.entry(f).or_insert(0) += 1;
        }
    }
    let (delivered, gaps) = reader.await.unwrap();

    let published = fake.published();
    let mut seen = HashMap::new();
    for id in &delivered {
        *seen.entry(id.as_str()).or_insert(0) += 1;
    }
    assert!(
        seen.values().all(|n| *n == 1),
        "an event was delivered twice"
    );
    let mut inside_gaps = 0;
    for p in &published {
        if seen.contains_key(p.correlation_id.as_str()) {
            continue;
        }
        let covered = gaps.iter().any(|g| g.since <= p.at && p.at <= g.until);
        assert!(
            covered,
            "{p:?} was neither delivered nor inside a reported gap (seed {seed:#x})"
        );
        inside_gaps += 1;
    }
    assert_eq!(published.len(), delivered.len() + inside_gaps);
    println!(
        "soak: {} published = {} delivered + {} inside {} gaps; faults {faults:?}",
        published.len(),
        delivered.len(),
        inside_gaps,
        gaps.len()
    );
    // The run exercised what it claims to.
    assert!(
        faults.len() == 3 && faults.values().all(|n| *n >= 3),
        "{faults:?}"
    );
    assert!(inside_gaps > 0 && gaps.len() >= 3);
    assert!(
        fake.requests()
            .iter()
            .filter(|r| r.path == "/api/v2/notifications/channels")
            .count()
            >= 10
    );
}
