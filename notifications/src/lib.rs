#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

// The flow: `channel` makes channels and sets their topics (the generated Notifications
// group), `socket` reads one channel socket, `session` keeps them whole and writes to the
// bounded `buffer`, which the stream reads.
mod buffer;
mod channel;
mod error;
mod event;
mod session;
mod socket;
mod topic;

use std::collections::BTreeSet;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_core::Stream;
use genesys_runtime::Client;
use tokio::sync::{mpsc, oneshot};

pub use buffer::DEFAULT_BUFFER;
pub use error::{Error, MAX_CHANNELS, MAX_TOPICS};
pub use event::{Event, Gap, GapReason, Notification};
pub use topic::Topic;

use buffer::Buffer;
use session::{Command, Session, Settings};

/// The default silence limit: a socket that receives nothing for this long (Genesys sends a
/// heartbeat every 30 seconds, and a ping sent at half of it goes unanswered) is replaced.
pub const DEFAULT_SILENCE_LIMIT: Duration = Duration::from_secs(75);
/// The longest silence limit accepted.
pub const MAX_SILENCE_LIMIT: Duration = Duration::from_secs(3600);
/// The default rollover margin: a new channel is made this long before the current one
/// expires (channels live 24 hours).
pub const DEFAULT_ROLLOVER_MARGIN: Duration = Duration::from_secs(10 * 60);

/// Configures a [`Notifications`] stream; [`Notifications::builder`] makes one.
#[derive(Debug)]
#[must_use = "the stream starts with `connect`"]
pub struct NotificationsBuilder {
    client: Client,
    topics: Vec<Topic>,
    buffer: usize,
    silence: Duration,
    rollover_margin: Duration,
    check_channel_limit: bool,
}

impl NotificationsBuilder {
    /// Subscribes to `topic` from the start.
    pub fn topic(mut self, topic: Topic) -> Self {
        self.topics.push(topic);
        self
    }

    /// Subscribes to these topics from the start.
    pub fn topics(mut self, topics: impl IntoIterator<Item = Topic>) -> Self {
        self.topics.extend(topics);
        self
    }

    /// How many items the stream holds for a consumer that reads slowly ([`DEFAULT_BUFFER`]
    /// by default, at least 2). Past it, new events are dropped and counted, and the stream
    /// yields a [`Gap`] with [`GapReason::Overflow`] and the exact count when room comes back.
    /// A gap of the sockets' own (a drop, a silence) is never dropped: those that happen while
    /// the buffer is full are merged into one, yielded just before the count. Memory stays
    /// under `capacity` events (each at most 1 MiB, the largest frame accepted) and two gaps,
    /// plus at most 256 events on their way from the sockets, which never wait for the
    /// consumer.
    pub fn buffer(mut self, capacity: usize) -> Self {
        self.buffer = capacity;
        self
    }

    /// How long a socket may receive nothing before it is treated as dead and replaced
    /// ([`DEFAULT_SILENCE_LIMIT`]); a ping is sent at half of it. A silent socket is detected
    /// within this bound after its last frame.
    pub fn silence_limit(mut self, limit: Duration) -> Self {
        self.silence = limit;
        self
    }

    /// How long before the channel's expiry its successor is made
    /// ([`DEFAULT_ROLLOVER_MARGIN`]). Both channels are read until the old one's socket
    /// answers a ping sent after the new one opened (so everything sent to it alone has
    /// arrived); events arriving on both are delivered once.
    pub fn rollover_margin(mut self, margin: Duration) -> Self {
        self.rollover_margin = margin;
        self
    }

    /// Whether to refuse making a channel when the credential already has
    /// [`MAX_CHANNELS`] (on by default: Genesys would remove the oldest, which may be another
    /// program's).
    pub fn check_channel_limit(mut self, check: bool) -> Self {
        self.check_channel_limit = check;
        self
    }

    /// Makes a channel, subscribes it, and opens its socket.
    ///
    /// # Errors
    ///
    /// [`Error::TooManyTopics`], [`Error::TooManyChannels`], [`Error::Api`] when a
    /// Notifications API call fails, [`Error::Socket`] when the socket cannot be opened.
    pub async fn connect(self) -> Result<Notifications, Error> {
        let topics: BTreeSet<Topic> = self.topics.into_iter().collect();
        if topics.len() > MAX_TOPICS {
            return Err(Error::TooManyTopics {
                requested: topics.len(),
                limit: MAX_TOPICS,
            });
        }
        if self.silence.is_zero() || self.silence > MAX_SILENCE_LIMIT {
            return Err(Error::InvalidSetting {
                setting: "silence_limit",
                reason: "is zero or over an hour; give a duration of a second to an hour (Genesys sends a heartbeat every 30 seconds)",
            });
        }
        let channel =
            channel::create(&self.client, self.rollover_margin, self.check_channel_limit).await?;
        if !topics.is_empty() {
            channel::subscribe(&self.client, &channel.id, &topics).await?;
        }
        let buffer = Buffer::new(self.buffer);
        let settings = Settings {
            silence: self.silence,
            rollover_margin: self.rollover_margin,
        };
        let mut session = Session::start(self.client, settings, topics, channel, buffer.clone());
        session.first_socket().await?;
        let (commands, receiver) = mpsc::channel(16);
        tokio::spawn(session.run(receiver));
        Ok(Notifications { commands, buffer })
    }
}

/// A stream of the events of the topics you subscribe to, kept connected.
///
/// It yields [`Notification::Event`]s, and a [`Notification::Gap`] wherever events may have
/// been missed (a lost or silent socket, a channel gone, a full buffer); it never pretends.
/// It ends with `Err` only when it cannot go on (a credential refused, a permission
/// missing); transient failures are retried with backoff (1 s doubling to 30 s).
/// Dropping it closes its sockets.
///
/// ```no_run
/// use futures_util::StreamExt as _;
/// use genesys_notifications::{Notification, Notifications, Topic};
///
/// # async fn run(client: genesys_runtime::Client) -> Result<(), genesys_notifications::Error> {
/// let mut events = Notifications::builder(client)
///     .topic(Topic::user_presence("3f4b7a2c-1d2e-4f5a-8b9c-0d1e2f3a4b5c")?)
///     .connect()
///     .await?;
/// while let Some(item) = events.next().await {
///     match item? {
///         Notification::Event(e) => println!("{}: {}", e.topic, e.body),
///         Notification::Gap(gap) => eprintln!("events may be missing: {gap:?}"),
///         _ => {}
///     }
/// }
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct Notifications {
    commands: mpsc::Sender<Command>,
    buffer: Buffer,
}

/// How full a stream's buffer is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct BufferUsage {
    /// Items held now.
    pub held: usize,
    /// The most held at once.
    pub peak: usize,
    /// The capacity.
    pub capacity: usize,
}

impl Notifications {
    /// A builder for a stream with the client's credentials and network settings.
    pub fn builder(client: Client) -> NotificationsBuilder {
        NotificationsBuilder {
            client,
            topics: Vec::new(),
            buffer: DEFAULT_BUFFER,
            silence: DEFAULT_SILENCE_LIMIT,
            rollover_margin: DEFAULT_ROLLOVER_MARGIN,
            check_channel_limit: true,
        }
    }

    /// Adds topics to the channel.
    ///
    /// # Errors
    ///
    /// [`Error::TooManyTopics`] past [`MAX_TOPICS`] (nothing sent), [`Error::Api`] when
    /// Genesys refuses, [`Error::Closed`] when the stream has ended.
    pub async fn subscribe(&self, topics: impl IntoIterator<Item = Topic>) -> Result<(), Error> {
        self.send(|reply| Command::Add(topics.into_iter().collect(), reply))
            .await
    }

    /// Removes topics from the channel.
    ///
    /// # Errors
    ///
    /// As [`subscribe`](Self::subscribe).
    pub async fn unsubscribe(&self, topics: impl IntoIterator<Item = Topic>) -> Result<(), Error> {
        self.send(|reply| Command::Remove(topics.into_iter().collect(), reply))
            .await
    }

    /// Replaces the channel's topics.
    ///
    /// # Errors
    ///
    /// As [`subscribe`](Self::subscribe).
    pub async fn replace(&self, topics: impl IntoIterator<Item = Topic>) -> Result<(), Error> {
        self.send(|reply| Command::Replace(topics.into_iter().collect(), reply))
            .await
    }

    /// How full the buffer is (and was at most).
    pub fn buffer_usage(&self) -> BufferUsage {
        let (held, peak, capacity) = self.buffer.usage();
        BufferUsage {
            held,
            peak,
            capacity,
        }
    }

    async fn send(
        &self,
        command: impl FnOnce(oneshot::Sender<Result<(), Error>>) -> Command,
    ) -> Result<(), Error> {
        let (reply, answer) = oneshot::channel();
        self.commands
            .send(command(reply))
            .await
            .map_err(|_| Error::Closed)?;
        answer.await.map_err(|_| Error::Closed)?
    }
}

impl Stream for Notifications {
    type Item = Result<Notification, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.buffer.poll_next(cx)
    }
}
