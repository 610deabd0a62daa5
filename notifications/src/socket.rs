//! One channel socket: opened with the client's network settings, read until it ends, its
//! silence watched. It reports to the session; it decides nothing.

use std::time::Duration;

use futures_util::{SinkExt as _, StreamExt as _};
use genesys_runtime::Client;
use tokio::sync::mpsc;
use tokio::time::Instant;
use tokio_websockets::{ClientBuilder, Limits, Message};

use crate::{Event, GapReason};

/// The largest frame accepted (Genesys events are a few KiB; a bound keeps memory bounded).
pub(crate) const MAX_FRAME: usize = 1024 * 1024;

/// What a socket tells the session.
#[derive(Debug)]
pub(crate) enum Report {
    /// Connected; events may follow.
    Opened,
    /// An event.
    Event(Event),
    /// `v2.system.socket_closing`: open another socket to the channel now.
    Closing,
    /// The pong to a probe: everything the server sent before the probe has arrived.
    Proven,
    /// It ended. `last_frame` is when it last received anything; `opened` whether it ever
    /// connected (a socket that never opened lost nothing of its own).
    Ended {
        last_frame: Instant,
        reason: GapReason,
        opened: bool,
        why: String,
    },
}

/// A socket's identity in the session.
pub(crate) type SocketId = u64;

/// Opens the socket to `uri` and reads it until it ends (or the session aborts the task);
/// `probe` asks for a ping whose pong is reported as [`Report::Proven`].
pub(crate) async fn run(
    id: SocketId,
    client: Client,
    uri: String,
    silence: Duration,
    reports: mpsc::Sender<(SocketId, Report)>,
    probe: mpsc::UnboundedReceiver<()>,
) {
    let started = Instant::now();
    let ws = match open(&client, &uri).await {
        Ok(ws) => ws,
        Err(why) => {
            let _ = reports
                .send((
                    id,
                    Report::Ended {
                        last_frame: started,
                        reason: GapReason::SocketLost,
                        opened: false,
                        why,
                    },
                ))
                .await;
            return;
        }
    };
    tracing::info!(target: "genesys.notifications", socket = id, "socket connected");
    if reports.send((id, Report::Opened)).await.is_err() {
        return;
    }
    let (reason, why, last_frame) = read(id, ws, silence, &reports, probe).await;
    tracing::info!(target: "genesys.notifications", socket = id, why = %why, "socket ended");
    let _ = reports
        .send((
            id,
            Report::Ended {
                last_frame,
                reason,
                opened: true,
                why,
            },
        ))
        .await;
}

type Ws = tokio_websockets::WebSocketStream<genesys_runtime::Connection>;

async fn open(client: &Client, uri: &str) -> Result<Ws, String> {
    let connection = client.connect(uri).await.map_err(|e| e.to_string())?;
    let parsed = uri
        .parse()
        .map_err(|e| format!("the connectUri is not a URI: {e}"))?;
    let (ws, _) = ClientBuilder::from_uri(parsed)
        .limits(Limits::default().max_payload_len(Some(MAX_FRAME)))
        .connect_on(connection)
        .await
        .map_err(|e| format!("the WebSocket handshake failed: {e}"))?;
    Ok(ws)
}

/// Reads until the end; returns why it ended and the last frame's time.
async fn read(
    id: SocketId,
    mut ws: Ws,
    silence: Duration,
    reports: &mpsc::Sender<(SocketId, Report)>,
    mut probe: mpsc::UnboundedReceiver<()>,
) -> (GapReason, String, Instant) {
    let mut last_frame = Instant::now();
    let mut pinged = false;
    // A probe's ping was sent: its pong proves the socket delivered all before it.
    let mut probing = false;
    loop {
        // Half the silence limit without a frame: ask for a pong. The whole of it: dead.
        let ping_at = last_frame + silence / 2;
        let dead_at = last_frame + silence;
        let wake = if pinged { dead_at } else { ping_at };
        let frame = tokio::select! {
            frame = ws.next() => frame,
            Some(()) = probe.recv() => {
                probing = true;
                if let Err(e) = ws.send(Message::text(r#"{"message":"ping"}"#)).await {
                    return (GapReason::SocketLost, format!("sending a ping failed: {e}"), last_frame);
                }
                continue;
            }
            () = tokio::time::sleep_until(wake) => {
                if pinged {
                    tracing::warn!(target: "genesys.notifications", socket = id, silence_ms = silence.as_millis() as u64, "socket silent: no heartbeat or pong");
                    return (GapReason::Silent, format!("nothing received for {silence:?}"), last_frame);
                }
                pinged = true;
                tracing::debug!(target: "genesys.notifications", socket = id, "ping");
                if let Err(e) = ws.send(Message::text(r#"{"message":"ping"}"#)).await {
                    return (GapReason::SocketLost, format!("sending a ping failed: {e}"), last_frame);
                }
                continue;
            }
        };
        let message = match frame {
            Some(Ok(message)) => message,
            Some(Err(e)) => return (GapReason::SocketLost, e.to_string(), last_frame),
            None => {
                return (
                    GapReason::SocketLost,
                    "the connection ended".into(),
                    last_frame,
                );
            }
        };
        last_frame = Instant::now();
        pinged = false;
        if message.is_close() {
            let why = match message.as_close() {
                Some((code, reason)) => format!("closed by the server ({code:?} {reason:?})"),
                None => "closed by the server".into(),
            };
            return (GapReason::SocketLost, why, last_frame);
        }
        let Some(text) = message.as_text() else {
            continue;
        };
        let report = match parse(text) {
            Parsed::Heartbeat => {
                tracing::debug!(target: "genesys.notifications", socket = id, "heartbeat");
                continue;
            }
            Parsed::Pong if probing => {
                probing = false;
                Report::Proven
            }
            Parsed::Pong => continue,
            Parsed::Closing => Report::Closing,
            Parsed::Event(event) => Report::Event(event),
            Parsed::Unreadable(e) => {
                tracing::warn!(target: "genesys.notifications", socket = id, error = %e, "a frame that is not an event envelope was skipped");
                continue;
            }
        };
        if reports.send((id, report)).await.is_err() {
            return (
                GapReason::SocketLost,
                "the stream was closed".into(),
                last_frame,
            );
        }
    }
}

enum Parsed {
    Heartbeat,
    Pong,
    Closing,
    Event(Event),
    Unreadable(String),
}

#[derive(serde::Deserialize)]
struct Envelope {
    #[serde(rename = "topicName")]
    topic_name: Option<String>,
    version: Option<String>,
    #[serde(rename = "eventBody", default)]
    event_body: serde_json::Value,
    #[serde(default)]
    metadata: Option<Metadata>,
}

#[derive(serde::Deserialize)]
struct Metadata {
    #[serde(rename = "CorrelationId")]
    correlation_id: Option<String>,
}

fn parse(text: &str) -> Parsed {
    let envelope: Envelope = match serde_json::from_str(text) {
        Ok(e) => e,
        Err(e) => return Parsed::Unreadable(e.to_string()),
    };
    match envelope.topic_name.as_deref() {
        None => Parsed::Unreadable("no topicName".into()),
        Some("channel.metadata") if envelope.event_body["message"] == "pong" => Parsed::Pong,
        Some("channel.metadata") => Parsed::Heartbeat,
        Some("v2.system.socket_closing") => Parsed::Closing,
        Some(topic) => Parsed::Event(Event {
            topic: topic.to_owned(),
            version: envelope.version,
            correlation_id: envelope.metadata.and_then(|m| m.correlation_id),
            body: envelope.event_body,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelopes() {
        assert!(matches!(
            parse(
                r#"{"topicName":"channel.metadata","eventBody":{"message":"WebSocket Heartbeat"}}"#
            ),
            Parsed::Heartbeat
        ));
        assert!(matches!(
            parse(r#"{"topicName":"v2.system.socket_closing","eventBody":{}}"#),
            Parsed::Closing
        ));
        let Parsed::Event(e) = parse(
            r#"{"topicName":"v2.users.u1.presence","version":"2","eventBody":{"a":1},"metadata":{"CorrelationId":"c1"}}"#,
        ) else {
            panic!("an event")
        };
        assert_eq!(e.topic, "v2.users.u1.presence");
        assert_eq!(e.correlation_id.as_deref(), Some("c1"));
        assert!(matches!(parse("not json"), Parsed::Unreadable(_)));
    }
}
