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
    /// A frame that could not be read as an event envelope, and why.
    Unreadable(String),
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
                if let Err(why) = ping(&mut ws, dead_at).await {
                    return (GapReason::SocketLost, why, last_frame);
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
                if let Err(why) = ping(&mut ws, dead_at).await {
                    return (GapReason::SocketLost, why, last_frame);
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
        let parsed = match message.as_text() {
            Some(text) => parse(text),
            None if message.is_binary() => Parsed::Unreadable("a binary frame".into()),
            // Control frames (ping, pong) are answered by the WebSocket layer.
            None => continue,
        };
        let report = match parsed {
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
            Parsed::Unreadable(why) => Report::Unreadable(why),
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

/// Sends Genesys's `{"message":"ping"}`, giving up at `deadline` (a peer that stopped reading
/// must not hold the socket past its silence limit).
async fn ping(ws: &mut Ws, deadline: Instant) -> Result<(), String> {
    match tokio::time::timeout_at(deadline, ws.send(Message::text(r#"{"message":"ping"}"#))).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(format!("sending a ping failed: {e}")),
        Err(_) => Err("sending a ping did not finish within the silence limit".into()),
    }
}

enum Parsed {
    Heartbeat,
    Pong,
    Closing,
    Event(Event),
    Unreadable(String),
}

/// Reads an envelope leniently: only a string `topicName` is required, so that an event whose
/// other fields have an unexpected shape is still delivered rather than lost.
fn parse(text: &str) -> Parsed {
    let mut envelope: serde_json::Map<String, serde_json::Value> = match serde_json::from_str(text)
    {
        Ok(e) => e,
        Err(e) => return Parsed::Unreadable(format!("not a JSON object: {e}")),
    };
    let body = envelope.remove("eventBody").unwrap_or_default();
    let topic = match envelope.remove("topicName") {
        Some(serde_json::Value::String(topic)) => topic,
        _ => return Parsed::Unreadable("no topicName string".into()),
    };
    match topic.as_str() {
        "channel.metadata" if body["message"] == "pong" => Parsed::Pong,
        "channel.metadata" => Parsed::Heartbeat,
        "v2.system.socket_closing" => Parsed::Closing,
        _ => Parsed::Event(Event {
            version: envelope.get("version").and_then(scalar),
            correlation_id: envelope
                .get("metadata")
                .and_then(|m| m.get("CorrelationId"))
                .and_then(scalar),
            topic,
            body,
        }),
    }
}

/// A string or a number as text.
fn scalar(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
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
        assert!(matches!(
            parse(r#"{"eventBody":{}}"#),
            Parsed::Unreadable(_)
        ));
        assert!(matches!(parse(r#"[1]"#), Parsed::Unreadable(_)));
        // Odd shapes elsewhere still make an event.
        let Parsed::Event(e) = parse(
            r#"{"topicName":"v2.users.u1.presence","version":2,"eventBody":[1],"metadata":"?"}"#,
        ) else {
            panic!("an event")
        };
        assert_eq!(e.version.as_deref(), Some("2"));
        assert_eq!(e.correlation_id, None);
        assert_eq!(e.body, serde_json::json!([1]));
    }
}
