//! What the stream yields: events, and gaps where events may have been missed.

use serde::de::DeserializeOwned;
use tokio::time::Instant;

/// One item of a [`Notifications`](crate::Notifications) stream.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum Notification {
    /// An event on a subscribed topic.
    Event(Event),
    /// Events may have been missed: the stream never pretends it saw everything.
    Gap(Gap),
}

/// An event: its topic, its body, and the envelope's metadata.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Event {
    /// The topic, such as `v2.users.{id}.presence` with the id filled in.
    pub topic: String,
    /// The envelope's `version`, if any.
    pub version: Option<String>,
    /// The envelope's `metadata.CorrelationId`, if any.
    pub correlation_id: Option<String>,
    /// The `eventBody`, as JSON.
    pub body: serde_json::Value,
}

impl Event {
    /// The body decoded into a model: one of `genesys-cloud`'s, or a type of yours.
    ///
    /// # Errors
    ///
    /// When the body does not have the model's shape.
    pub fn decode<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        T::deserialize(&self.body)
    }
}

/// A time in which events may have been missed, and why.
///
/// Events published after `since` and before `until` may not have arrived (the ones that did
/// arrive were delivered). `missed` is the exact count when the stream itself dropped them
/// (a full buffer, a frame it could not read); for a lost socket nobody can know it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Gap {
    /// The last moment the stream is sure of: the last frame the socket received, or the
    /// first event dropped.
    pub since: Instant,
    /// When the stream was whole again (a socket open and subscribed, or the buffer read).
    pub until: Instant,
    /// Why.
    pub reason: GapReason,
    /// How many events were dropped, when the stream knows.
    pub missed: Option<u64>,
}

/// Why a [`Gap`] happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum GapReason {
    /// The socket's connection ended without `v2.system.socket_closing` (a network drop, a
    /// server restart).
    SocketLost,
    /// The socket sent nothing (no heartbeat, no pong) for longer than the silence limit.
    Silent,
    /// The channel was gone (expired or removed) and a new one was made.
    ChannelLost,
    /// The consumer read too slowly and the buffer was full: `missed` events were dropped.
    Overflow,
    /// A frame arrived that is not an event envelope the stream can read (no `topicName`,
    /// not JSON, binary): it may have been an event, so it is reported with `missed` 1.
    Unreadable,
}
