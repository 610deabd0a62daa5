//! The fake's notification sockets: `ws://127.0.0.1:<port>/channels/{id}` on a listener of
//! their own (the real service streams from another host than the API's), with heartbeats,
//! pongs, and the faults the fake's handle injects.

use std::sync::Arc;

use futures_util::{SinkExt as _, StreamExt as _};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio_websockets::{CloseCode, Message, ServerBuilder};

use super::notify::{Socket, ToSocket};
use super::server::Shared;

/// The heartbeat the real service sends every 30 seconds.
pub(crate) const HEARTBEAT: &str =
    r#"{"topicName":"channel.metadata","eventBody":{"message":"WebSocket Heartbeat"}}"#;
/// The answer to `{"message":"ping"}`.
pub(crate) const PONG: &str = r#"{"topicName":"channel.metadata","eventBody":{"message":"pong"}}"#;
/// What the real service sends before maintenance.
pub(crate) const SOCKET_CLOSING: &str =
    r#"{"topicName":"v2.system.socket_closing","eventBody":{"message":"Socket closing"}}"#;

/// Accepts sockets until the fake is dropped.
pub(crate) async fn serve(listener: TcpListener, shared: Arc<Shared>) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        tokio::spawn(connection(stream, shared.clone()));
    }
}

async fn connection(stream: TcpStream, shared: Arc<Shared>) {
    let Ok((request, mut ws)) = ServerBuilder::new().accept(stream).await else {
        return;
    };
    let channel_id = request
        .uri()
        .path()
        .strip_prefix("/channels/")
        .unwrap_or_default()
        .to_owned();
    let (tx, mut rx) = mpsc::unbounded_channel();
    let registered = {
        let mut state = shared.notifications();
        state.expire();
        let id = state.next_id();
        let heartbeat = state.settings.heartbeat;
        state.channels.get_mut(&channel_id).map(|channel| {
            channel.sockets.push(Socket {
                id,
                tx,
                silent: false,
            });
            (id, heartbeat)
        })
    };
    let Some((socket_id, heartbeat)) = registered else {
        let _ = ws
            .send(Message::close(
                Some(CloseCode::POLICY_VIOLATION),
                "channel not found",
            ))
            .await;
        return;
    };
    let mut beat = tokio::time::interval_at(tokio::time::Instant::now() + heartbeat, heartbeat);
    let mut closing_at: Option<tokio::time::Instant> = None;
    loop {
        let silent = shared.notifications().silent(&channel_id, socket_id);
        let close_now = async {
            match closing_at {
                Some(at) => tokio::time::sleep_until(at).await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            biased;
            order = rx.recv() => match order {
                Some(ToSocket::Text(text)) => {
                    if ws.send(Message::text(text)).await.is_err() { break; }
                }
                Some(ToSocket::Closing(grace)) => {
                    // A silenced socket is a dead connection: the notice does not arrive.
                    if !silent && ws.send(Message::text(SOCKET_CLOSING)).await.is_err() { break; }
                    closing_at = Some(tokio::time::Instant::now() + grace);
                }
                Some(ToSocket::Close) | None => {
                    if !silent {
                        let _ = ws.send(Message::close(Some(CloseCode::NORMAL_CLOSURE), "")).await;
                    }
                    break;
                }
                // Dropped without a close frame: the client sees the TCP connection end.
                Some(ToSocket::Abort) => break,
            },
            () = close_now => {
                if !silent {
                    let _ = ws.send(Message::close(Some(CloseCode::GOING_AWAY), "maintenance")).await;
                }
                break;
            }
            _ = beat.tick() => {
                if !silent && ws.send(Message::text(HEARTBEAT)).await.is_err() { break; }
            }
            frame = ws.next() => match frame {
                Some(Ok(message)) if message.is_text() => {
                    let ping = message.as_text().is_some_and(|t| t.contains("\"ping\""));
                    if ping && !silent && ws.send(Message::text(PONG)).await.is_err() { break; }
                }
                Some(Ok(message)) if message.is_close() => break,
                Some(Ok(_)) => {}
                Some(Err(_)) | None => break,
            },
        }
    }
    shared.notifications().forget(&channel_id, socket_id);
}
