//! The fake's notifications, as a test drives them: settings, events, faults.

use std::time::Duration;

use super::notify::Published;
use super::{FakeGenesys, FakeGenesysBuilder};

/// The longest duration the fake's settings take (tokio's clock cannot add much more).
const YEAR: Duration = Duration::from_secs(365 * 24 * 3600);

impl FakeGenesysBuilder {
    /// How long a notification channel lives; 24 hours by default, as the real service's
    /// (at most a year).
    pub fn channel_lifetime(mut self, lifetime: Duration) -> Self {
        self.notify.channel_lifetime = lifetime.min(YEAR);
        self
    }

    /// How often a socket gets `channel.metadata`'s heartbeat; 30 seconds by default (1 ms
    /// to a year).
    pub fn notification_heartbeat(mut self, every: Duration) -> Self {
        self.notify.heartbeat = every.clamp(Duration::from_millis(1), YEAR);
        self
    }

    /// How long a socket stays open after `v2.system.socket_closing`; a minute by default
    /// (at most a year).
    pub fn socket_closing_grace(mut self, grace: Duration) -> Self {
        self.notify.closing_grace = grace.min(YEAR);
        self
    }
}

/// A notification channel, as [`FakeGenesys::channels`] reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct FakeChannel {
    /// The channel id.
    pub id: String,
    /// The OAuth client it belongs to.
    pub client_id: String,
    /// Its topics.
    pub topics: Vec<String>,
    /// Its open sockets.
    pub sockets: usize,
}

impl FakeGenesys {
    /// Publishes an event on `topic`: every live socket of every channel subscribed to it
    /// gets `{"topicName", "version": "2", "eventBody": body, "metadata": {"CorrelationId"}}`.
    /// The answer says how many sockets it went to (0: no client could receive it).
    pub fn publish(&self, topic: &str, body: serde_json::Value) -> Published {
        let mut state = self.shared.notifications();
        state.expire();
        state.publish(topic, body)
    }

    /// Every event published so far, oldest first.
    pub fn published(&self) -> Vec<Published> {
        self.shared.notifications().published.clone()
    }

    /// The notification channels that exist now.
    pub fn channels(&self) -> Vec<FakeChannel> {
        let mut state = self.shared.notifications();
        state.expire();
        let mut channels: Vec<FakeChannel> = state
            .channels
            .iter()
            .map(|(id, c)| FakeChannel {
                id: id.clone(),
                client_id: c.client_id.clone(),
                topics: c.topics.iter().cloned().collect(),
                sockets: c.sockets.len(),
            })
            .collect();
        channels.sort_by(|a, b| a.id.cmp(&b.id));
        channels
    }

    /// Fault: every live socket gets this text frame as it is, such as one that is not an
    /// event envelope. The answer says how many sockets it went to.
    pub fn send_frame(&self, text: &str) -> usize {
        self.shared.notifications().frame(text)
    }

    /// Fault: every socket's TCP connection ends at once, with no close frame (a network
    /// drop). The channels and their subscriptions stay.
    pub fn drop_sockets(&self) {
        self.shared.notifications().abort_sockets();
    }

    /// Fault: every open socket goes quiet (no events, heartbeats or pongs) while its TCP
    /// connection stays open: a connection that died where neither end can see it. Events
    /// published meanwhile reach no one.
    pub fn silence_sockets(&self) {
        let mut state = self.shared.notifications();
        for channel in state.channels.values_mut() {
            for socket in &mut channel.sockets {
                socket.silent = true;
            }
        }
    }

    /// Maintenance: every open socket gets `v2.system.socket_closing` and closes after the
    /// grace ([`FakeGenesysBuilder::socket_closing_grace`]); events go on flowing to it
    /// until then, and to any new socket of the same channel.
    pub fn close_sockets_for_maintenance(&self) {
        let mut state = self.shared.notifications();
        let grace = state.settings.closing_grace;
        state.closing(grace);
    }

    /// Makes every access token issued so far expire now, so that the API answers `401` to
    /// them and clients must log in again.
    pub fn expire_tokens(&self) -> usize {
        self.org().expire_all()
    }
}
