//! The session: one task that owns the channel, its sockets and the topics, and keeps the
//! stream whole: a second socket on `socket_closing`, reconnection with backoff after a
//! drop (subscriptions restored, the gap reported), and a new channel before the old one
//! expires (overlapping, duplicates suppressed).

use std::collections::{BTreeSet, HashSet, VecDeque};
use std::time::Duration;

use genesys_runtime::Client;
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;
use tokio::time::Instant;

use crate::buffer::Buffer;
use crate::channel::{self, Channel};
use crate::socket::{self, Report, SocketId};
use crate::{Error, Event, Gap, GapReason, Notification, Topic};

mod upkeep;

/// Correlation ids remembered to suppress duplicates (two sockets overlap only briefly).
const DEDUP_WINDOW: usize = 4_096;
/// The longest wait between two reconnection attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// What the builder decided.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Settings {
    pub(crate) silence: Duration,
    pub(crate) rollover_margin: Duration,
}

/// A change of topics, from the stream's handle.
pub(crate) enum Command {
    Add(Vec<Topic>, oneshot::Sender<Result<(), Error>>),
    Remove(Vec<Topic>, oneshot::Sender<Result<(), Error>>),
    Replace(Vec<Topic>, oneshot::Sender<Result<(), Error>>),
}

struct Live {
    id: SocketId,
    channel: String,
    opened: bool,
    /// An old channel's socket, since its successor opened at this time: it is closed once
    /// a probe proves it delivered everything sent before; if it fails first, what it may
    /// have missed until then is a gap.
    retiring: Option<Instant>,
    probe: mpsc::UnboundedSender<()>,
    task: JoinHandle<()>,
}

pub(crate) struct Session {
    client: Client,
    settings: Settings,
    topics: BTreeSet<Topic>,
    channel: Channel,
    /// A successor channel, subscribed, its socket opening.
    rollover: Option<Channel>,
    sockets: Vec<Live>,
    next_socket: SocketId,
    reports_tx: mpsc::Sender<(SocketId, Report)>,
    reports: mpsc::Receiver<(SocketId, Report)>,
    out: Buffer,
    seen: HashSet<String>,
    seen_order: VecDeque<String>,
    /// Open: since when events may be missing, and why.
    gap: Option<(Instant, GapReason)>,
    retry_at: Option<Instant>,
    backoff: Duration,
}

impl Session {
    /// A session on `channel`, already subscribed to `topics`; its first socket is opening.
    pub(crate) fn start(
        client: Client,
        settings: Settings,
        topics: BTreeSet<Topic>,
        channel: Channel,
        out: Buffer,
    ) -> Session {
        let (reports_tx, reports) = mpsc::channel(256);
        let mut session = Session {
            client,
            settings,
            topics,
            channel,
            rollover: None,
            sockets: Vec::new(),
            next_socket: 0,
            reports_tx,
            reports,
            out,
            seen: HashSet::new(),
            seen_order: VecDeque::new(),
            gap: None,
            retry_at: None,
            backoff: Duration::ZERO,
        };
        let (id, uri) = (
            session.channel.id.clone(),
            session.channel.connect_uri.clone(),
        );
        session.open_socket(&id, &uri);
        session
    }

    /// Waits for the first socket: open, or why it could not be.
    pub(crate) async fn first_socket(&mut self) -> Result<(), Error> {
        match self.reports.recv().await {
            Some((id, Report::Opened)) => self.opened(id).await,
            Some((_, Report::Ended { why, .. })) => Err(Error::Socket(why)),
            _ => Err(Error::Closed),
        }
    }

    /// Runs until the stream's handle is dropped or a failure ends it.
    pub(crate) async fn run(mut self, mut commands: mpsc::Receiver<Command>) {
        let end = loop {
            let rollover_at = self.channel.rollover_at;
            let rolling = self.rollover.is_some() || self.gap.is_some();
            let retry_at = self.retry_at;
            tokio::select! {
                report = self.reports.recv() => {
                    let Some((id, report)) = report else { break None };
                    if let Err(e) = self.report(id, report).await {
                        break Some(e);
                    }
                }
                command = commands.recv() => match command {
                    Some(command) => self.command(command).await,
                    None => break None,
                },
                () = sleep_until(retry_at) => {
                    self.retry_at = None;
                    if let Err(e) = self.recover().await {
                        break Some(e);
                    }
                }
                () = tokio::time::sleep_until(rollover_at), if !rolling => self.roll_over().await,
            }
        };
        for socket in self.sockets.drain(..) {
            socket.task.abort();
        }
        if let Some(e) = &end {
            tracing::error!(target: "genesys.notifications", error = %e, "the notification stream ended");
        }
        self.out.end(end);
    }

    fn open_socket(&mut self, channel: &str, uri: &str) -> SocketId {
        self.next_socket += 1;
        let id = self.next_socket;
        let (probe, probes) = mpsc::unbounded_channel();
        let task = tokio::spawn(socket::run(
            id,
            self.client.clone(),
            uri.to_owned(),
            self.settings.silence,
            self.reports_tx.clone(),
            probes,
        ));
        self.sockets.push(Live {
            id,
            channel: channel.to_owned(),
            opened: false,
            retiring: None,
            probe,
            task,
        });
        id
    }

    async fn report(&mut self, id: SocketId, report: Report) -> Result<(), Error> {
        match report {
            Report::Opened => self.opened(id).await?,
            Report::Event(event) => self.deliver(event),
            Report::Unreadable(why) => {
                // It may have been an event: say so rather than skip it quietly.
                tracing::warn!(target: "genesys.notifications", socket = id, why = %why, "a frame that is not an event envelope: reported as a gap");
                let now = Instant::now();
                self.out.push(Notification::Gap(Gap {
                    since: now,
                    until: now,
                    reason: GapReason::Unreadable,
                    missed: Some(1),
                }));
            }
            Report::Closing => {
                // Maintenance: a new socket to the same channel before this one closes.
                let on_current = self
                    .sockets
                    .iter()
                    .any(|s| s.id == id && s.channel == self.channel.id);
                let other = self
                    .sockets
                    .iter()
                    .any(|s| s.id != id && s.channel == self.channel.id);
                if on_current && !other {
                    tracing::info!(target: "genesys.notifications", socket = id, "socket_closing: opening its successor");
                    let (channel, uri) =
                        (self.channel.id.clone(), self.channel.connect_uri.clone());
                    self.open_socket(&channel, &uri);
                }
            }
            Report::Proven => {
                if let Some(at) = self
                    .sockets
                    .iter()
                    .position(|s| s.id == id && s.retiring.is_some())
                {
                    tracing::info!(target: "genesys.notifications", socket = id, "the old channel's socket delivered everything: closing it");
                    self.sockets.remove(at).task.abort();
                }
            }
            Report::Ended {
                last_frame,
                reason,
                opened,
                why,
            } => {
                let Some(at) = self.sockets.iter().position(|s| s.id == id) else {
                    return Ok(());
                };
                let ended = self.sockets.remove(at);
                if let Some(successor) = ended.retiring {
                    // The old channel's socket failed before proving it delivered what was
                    // sent to it alone, before the successor opened.
                    if last_frame < successor {
                        tracing::warn!(target: "genesys.notifications", socket = id, why = %why, "the old channel's socket failed before the switch was proven");
                        self.out.push(Notification::Gap(Gap {
                            since: last_frame,
                            until: successor,
                            reason,
                            missed: None,
                        }));
                    }
                    return Ok(());
                }
                let rollover_failed = self
                    .rollover
                    .as_ref()
                    .is_some_and(|r| r.id == ended.channel);
                if rollover_failed {
                    tracing::warn!(target: "genesys.notifications", why = %why, "the new channel's socket failed; the rollover is tried again");
                    self.rollover = None;
                    self.channel.rollover_at =
                        Instant::now() + self.next_backoff().max(Duration::from_secs(1));
                    return Ok(());
                }
                let open = self
                    .sockets
                    .iter()
                    .any(|s| s.channel == self.channel.id && s.opened);
                let connecting = self
                    .sockets
                    .iter()
                    .any(|s| s.channel == self.channel.id && !s.opened);
                if open {
                    return Ok(());
                }
                if self.gap.is_none() {
                    let since = if opened { last_frame } else { Instant::now() };
                    tracing::warn!(target: "genesys.notifications", socket = id, why = %why, ?reason, "no socket open: events may be missed until one is");
                    self.gap = Some((since, reason));
                }
                if !connecting && self.retry_at.is_none() {
                    self.retry_at = Some(Instant::now() + self.next_backoff());
                }
            }
        }
        Ok(())
    }

    /// A socket opened: a successor channel takes over; after a gap, the subscriptions are
    /// restored and the gap reported, before any of the socket's events.
    async fn opened(&mut self, id: SocketId) -> Result<(), Error> {
        let Some(socket) = self.sockets.iter_mut().find(|s| s.id == id) else {
            return Ok(());
        };
        socket.opened = true;
        let channel = socket.channel.clone();
        if let Some(next) = self.rollover.take_if(|r| r.id == channel) {
            let old = std::mem::replace(&mut self.channel, next);
            let now = Instant::now();
            for s in self.sockets.iter_mut().filter(|s| s.channel == old.id) {
                s.retiring = Some(now);
                let _ = s.probe.send(());
            }
            tracing::info!(target: "genesys.notifications", from = %old.id, to = %self.channel.id, "rolled over to a new channel");
            return Ok(());
        }
        if let Some((since, reason)) = self.gap {
            if let Err(e) = channel::subscribe(&self.client, &channel, &self.topics).await {
                if !channel::transient(&e) {
                    // A credential or permission refused: retrying cannot help.
                    return Err(e);
                }
                tracing::warn!(target: "genesys.notifications", error = %e, "restoring the subscriptions failed; trying again");
                if let Some(at) = self.sockets.iter().position(|s| s.id == id) {
                    self.sockets.remove(at).task.abort();
                }
                self.retry_at = Some(Instant::now() + self.next_backoff());
                return Ok(());
            }
            self.gap = None;
            let until = Instant::now();
            tracing::warn!(target: "genesys.notifications", ?reason, gap_ms = until.duration_since(since).as_millis() as u64, "reconnected: reporting the gap");
            self.out.push(Notification::Gap(Gap {
                since,
                until,
                reason,
                missed: None,
            }));
        }
        self.backoff = Duration::ZERO;
        Ok(())
    }

    fn deliver(&mut self, event: Event) {
        if let Some(key) = &event.correlation_id {
            if !self.seen.insert(key.clone()) {
                tracing::debug!(target: "genesys.notifications", "duplicate suppressed");
                return;
            }
            self.seen_order.push_back(key.clone());
            if self.seen_order.len() > DEDUP_WINDOW {
                if let Some(old) = self.seen_order.pop_front() {
                    self.seen.remove(&old);
                }
            }
        }
        self.out.push(Notification::Event(event));
    }
}

impl Drop for Session {
    /// However the session ends (a panic included), the stream ends too, never hangs: with
    /// [`Error::Closed`] unless `run` ended it already.
    fn drop(&mut self) {
        for socket in &self.sockets {
            socket.task.abort();
        }
        self.out.end(Some(Error::Closed));
    }
}

async fn sleep_until(at: Option<Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}
