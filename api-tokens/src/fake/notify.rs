//! The fake's Notifications API: channels, their subscriptions, and what is published to
//! them, with the real service's limits and lifetimes (see `socket.rs` for the WebSocket).

use std::collections::{BTreeSet, HashMap};
use std::time::Duration;

use http::{Method, StatusCode};
use serde_json::json;
use tokio::sync::mpsc;
use tokio::time::Instant;

use super::server::{Reply, empty, error_body, json_reply};

/// Channels per OAuth client (the real service removes the oldest when a 21st is made).
pub const MAX_CHANNELS: usize = 20;
/// Topics per channel.
pub const MAX_TOPICS: usize = 1_000;

/// What the fake sends a socket.
#[derive(Debug)]
pub(crate) enum ToSocket {
    /// A text frame.
    Text(String),
    /// `v2.system.socket_closing`, then the close after the grace.
    Closing(Duration),
    /// A close frame (the channel expired or was removed).
    Close,
    /// The TCP connection dropped with no close frame.
    Abort,
}

/// A connected socket.
#[derive(Debug)]
pub(crate) struct Socket {
    pub(crate) id: u64,
    pub(crate) tx: mpsc::UnboundedSender<ToSocket>,
    /// Sends nothing (no events, heartbeats or pongs): a connection that died quietly.
    pub(crate) silent: bool,
}

/// A channel.
#[derive(Debug)]
pub(crate) struct Channel {
    pub(crate) client_id: String,
    pub(crate) topics: BTreeSet<String>,
    pub(crate) sockets: Vec<Socket>,
    pub(crate) created: Instant,
    pub(crate) expires: Instant,
}

/// One published event, as the fake's log keeps it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Published {
    /// The topic.
    pub topic: String,
    /// The event's `metadata.CorrelationId`.
    pub correlation_id: String,
    /// When it was published (tokio's clock, so virtual time in a paused test).
    pub at: Instant,
    /// How many sockets it was written to: 0 when no live socket was subscribed, so that
    /// no client could have received it.
    pub sockets: usize,
}

/// The fake's notifications state.
#[derive(Debug)]
pub(crate) struct Notifications {
    pub(crate) channels: HashMap<String, Channel>,
    pub(crate) published: Vec<Published>,
    pub(crate) next_id: u64,
    pub(crate) settings: Settings,
}

/// What the builder sets.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Settings {
    pub(crate) channel_lifetime: Duration,
    pub(crate) heartbeat: Duration,
    pub(crate) closing_grace: Duration,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            channel_lifetime: Duration::from_secs(24 * 3600),
            heartbeat: Duration::from_secs(30),
            closing_grace: Duration::from_secs(60),
        }
    }
}

impl Notifications {
    pub(crate) fn new(settings: Settings) -> Self {
        Notifications {
            channels: HashMap::new(),
            published: Vec::new(),
            next_id: 1,
            settings,
        }
    }

    pub(crate) fn next_id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    /// Publishes an event to every live socket of every channel subscribed to `topic`.
    pub(crate) fn publish(&mut self, topic: &str, body: serde_json::Value) -> Published {
        let correlation_id = format!("fake-event-{:012}", self.next_id());
        let text = json!({
            "topicName": topic,
            "version": "2",
            "eventBody": body,
            "metadata": {"CorrelationId": correlation_id},
        })
        .to_string();
        let mut sockets = 0;
        for channel in self.channels.values() {
            if !channel.topics.contains(topic) {
                continue;
            }
            for socket in channel.sockets.iter().filter(|s| !s.silent) {
                if socket.tx.send(ToSocket::Text(text.clone())).is_ok() {
                    sockets += 1;
                }
            }
        }
        let published = Published {
            topic: topic.to_owned(),
            correlation_id,
            at: Instant::now(),
            sockets,
        };
        self.published.push(published.clone());
        published
    }

    /// Every live socket gets `text` as it is; the answer is how many.
    pub(crate) fn frame(&mut self, text: &str) -> usize {
        let mut sockets = 0;
        for socket in self.channels.values().flat_map(|c| &c.sockets) {
            if !socket.silent && socket.tx.send(ToSocket::Text(text.to_owned())).is_ok() {
                sockets += 1;
            }
        }
        sockets
    }

    /// Every socket gets `v2.system.socket_closing`, and closes after `grace`.
    pub(crate) fn closing(&mut self, grace: Duration) {
        for socket in self.channels.values().flat_map(|c| &c.sockets) {
            let _ = socket.tx.send(ToSocket::Closing(grace));
        }
    }

    /// Whether a socket is silenced.
    pub(crate) fn silent(&self, channel: &str, socket: u64) -> bool {
        self.channels
            .get(channel)
            .and_then(|c| c.sockets.iter().find(|s| s.id == socket))
            .is_some_and(|s| s.silent)
    }

    /// A socket ended: the channel no longer writes to it.
    pub(crate) fn forget(&mut self, channel: &str, socket: u64) {
        if let Some(c) = self.channels.get_mut(channel) {
            c.sockets.retain(|s| s.id != socket);
        }
    }

    /// Every socket's connection ends now, with no close frame; nothing more is written to
    /// them.
    pub(crate) fn abort_sockets(&mut self) {
        for channel in self.channels.values_mut() {
            for socket in channel.sockets.drain(..) {
                let _ = socket.tx.send(ToSocket::Abort);
            }
        }
    }

    /// Removes a channel and closes its sockets.
    pub(crate) fn remove(&mut self, id: &str) {
        if let Some(channel) = self.channels.remove(id) {
            for socket in channel.sockets {
                let _ = socket.tx.send(ToSocket::Close);
            }
        }
    }

    /// Expired channels go, their sockets closed.
    pub(crate) fn expire(&mut self) {
        let now = Instant::now();
        let gone: Vec<String> = self
            .channels
            .iter()
            .filter(|(_, c)| c.expires <= now)
            .map(|(id, _)| id.clone())
            .collect();
        for id in gone {
            self.remove(&id);
        }
    }
}

/// The REST side: `/api/v2/notifications/channels[...]`, for the client that holds `token`'s
/// grant (`client_id`). `ws_base` is `ws://127.0.0.1:<port>`.
pub(crate) fn route(
    state: &mut Notifications,
    client_id: &str,
    method: &Method,
    rest: &str,
    query: Option<&str>,
    body: &[u8],
    ws_base: &str,
) -> Reply {
    state.expire();
    let now = Instant::now();
    let segments: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
    match (method, segments.as_slice()) {
        (&Method::POST, []) => {
            let mine: Vec<(Instant, String)> = state
                .channels
                .iter()
                .filter(|(_, c)| c.client_id == client_id)
                .map(|(id, c)| (c.created, id.clone()))
                .collect();
            if mine.len() >= MAX_CHANNELS {
                // As the real service does: the oldest goes.
                if let Some((_, oldest)) = mine.iter().min() {
                    let oldest = oldest.clone();
                    state.remove(&oldest);
                }
            }
            let id = format!("streaming-{}-fake{:08}", client_id.len(), state.next_id());
            let lifetime = state.settings.channel_lifetime;
            state.channels.insert(
                id.clone(),
                Channel {
                    client_id: client_id.to_owned(),
                    topics: BTreeSet::new(),
                    sockets: Vec::new(),
                    created: now,
                    expires: now + lifetime,
                },
            );
            let expires = time::OffsetDateTime::now_utc() + lifetime;
            json_reply(
                StatusCode::OK,
                &json!({
                    "connectUri": format!("{ws_base}/channels/{id}"),
                    "id": id,
                    "expires": expires.format(&time::format_description::well_known::Rfc3339).unwrap_or_default(),
                }),
            )
        }
        (&Method::GET, []) => {
            // `includechannels=token|oauthclient`: the fake keeps channels by OAuth client.
            let _ = query;
            let entities: Vec<_> = state
                .channels
                .iter()
                .filter(|(_, c)| c.client_id == client_id)
                .map(|(id, c)| {
                    let left = c.expires.saturating_duration_since(now);
                    let expires = time::OffsetDateTime::now_utc() + left;
                    json!({
                        "connectUri": format!("{ws_base}/channels/{id}"),
                        "id": id,
                        "expires": expires.format(&time::format_description::well_known::Rfc3339).unwrap_or_default(),
                    })
                })
                .collect();
            json_reply(StatusCode::OK, &json!({ "entities": entities }))
        }
        (&Method::HEAD, [id]) => {
            if state
                .channels
                .get(*id)
                .is_some_and(|c| c.client_id == client_id)
            {
                empty(StatusCode::OK)
            } else {
                empty(StatusCode::NOT_FOUND)
            }
        }
        (_, [id, "subscriptions"]) => {
            let Some(channel) = state
                .channels
                .get_mut(*id)
                .filter(|c| c.client_id == client_id)
            else {
                return error_body(
                    StatusCode::NOT_FOUND,
                    "not.found",
                    &format!("Channel {id} was not found."),
                    None,
                );
            };
            let topics: Vec<String> = if method == Method::GET || method == Method::DELETE {
                Vec::new()
            } else {
                match serde_json::from_slice::<Vec<serde_json::Value>>(body) {
                    Ok(list) => list
                        .iter()
                        .filter_map(|t| t.get("id").and_then(|id| id.as_str()).map(str::to_owned))
                        .collect(),
                    Err(e) => {
                        return error_body(
                            StatusCode::BAD_REQUEST,
                            "bad.request",
                            &format!("The subscription list is not JSON: {e}"),
                            None,
                        );
                    }
                }
            };
            let mut next = match *method {
                Method::GET => channel.topics.clone(),
                Method::DELETE => BTreeSet::new(),
                Method::PUT => BTreeSet::new(),
                _ => channel.topics.clone(),
            };
            next.extend(topics);
            if next.len() > MAX_TOPICS {
                return error_body(
                    StatusCode::BAD_REQUEST,
                    "notification.subscription.limit",
                    &format!(
                        "A channel may have at most {MAX_TOPICS} topics; this would make {}.",
                        next.len()
                    ),
                    None,
                );
            }
            if method == Method::DELETE {
                channel.topics.clear();
                return empty(StatusCode::NO_CONTENT);
            }
            channel.topics = next;
            let entities: Vec<_> = channel
                .topics
                .iter()
                .map(|t| json!({"id": t, "state": "Permitted"}))
                .collect();
            json_reply(StatusCode::OK, &json!({ "entities": entities }))
        }
        _ => error_body(
            StatusCode::NOT_FOUND,
            "not.found",
            "The requested resource was not found.",
            None,
        ),
    }
}
