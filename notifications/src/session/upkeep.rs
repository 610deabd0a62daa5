//! The session's upkeep of its channel: a reconnection after a drop, the rollover before the
//! channel expires, and the topics the stream's handle changes.

use std::collections::BTreeSet;
use std::time::Duration;

use tokio::time::Instant;

use super::{Command, MAX_BACKOFF, Session};
use crate::channel::{self, Channel};
use crate::{Error, GapReason, MAX_TOPICS, Topic};

impl Session {
    /// After a drop: the same channel if it still exists, else a new one.
    pub(super) async fn recover(&mut self) -> Result<(), Error> {
        let step = async {
            if !channel::exists(&self.client, &self.channel.id).await? {
                tracing::warn!(target: "genesys.notifications", channel = %self.channel.id, "the channel is gone: making a new one");
                self.channel =
                    channel::create(&self.client, self.settings.rollover_margin, false).await?;
                if let Some(gap) = self.gap.as_mut() {
                    gap.1 = GapReason::ChannelLost;
                }
            }
            Ok::<(), Error>(())
        };
        match step.await {
            Ok(()) => {
                tracing::info!(target: "genesys.notifications", channel = %self.channel.id, "reconnecting");
                let (id, uri) = (self.channel.id.clone(), self.channel.connect_uri.clone());
                self.open_socket(&id, &uri);
                Ok(())
            }
            Err(e) if channel::transient(&e) => {
                tracing::warn!(target: "genesys.notifications", error = %e, "reconnecting failed; trying again");
                self.retry_at = Some(Instant::now() + self.next_backoff());
                Ok(())
            }
            Err(e) => Err(e),
        }
    }

    /// Before the channel expires: a new channel, subscribed, its socket opening.
    pub(super) async fn roll_over(&mut self) {
        let made = async {
            let next = channel::create(&self.client, self.settings.rollover_margin, false).await?;
            channel::subscribe(&self.client, &next.id, &self.topics).await?;
            Ok::<Channel, Error>(next)
        };
        match made.await {
            Ok(next) => {
                tracing::info!(target: "genesys.notifications", from = %self.channel.id, to = %next.id, "rolling over before the channel expires");
                let (id, uri) = (next.id.clone(), next.connect_uri.clone());
                self.rollover = Some(next);
                self.open_socket(&id, &uri);
            }
            Err(e) => {
                tracing::warn!(target: "genesys.notifications", error = %e, "making the next channel failed; trying again");
                self.channel.rollover_at =
                    Instant::now() + self.next_backoff().max(Duration::from_secs(1));
            }
        }
    }

    pub(super) async fn command(&mut self, command: Command) {
        let (next, reply) = match command {
            Command::Add(topics, reply) => {
                let mut next = self.topics.clone();
                next.extend(topics);
                (next, reply)
            }
            Command::Remove(topics, reply) => {
                let mut next = self.topics.clone();
                for t in &topics {
                    next.remove(t);
                }
                (next, reply)
            }
            Command::Replace(topics, reply) => (topics.into_iter().collect(), reply),
        };
        let _ = reply.send(self.set_topics(next).await);
    }

    async fn set_topics(&mut self, next: BTreeSet<Topic>) -> Result<(), Error> {
        if next.len() > MAX_TOPICS {
            return Err(Error::TooManyTopics {
                requested: next.len(),
                limit: MAX_TOPICS,
            });
        }
        channel::subscribe(&self.client, &self.channel.id, &next).await?;
        if let Some(r) = &self.rollover {
            channel::subscribe(&self.client, &r.id, &next).await?;
        }
        self.topics = next;
        Ok(())
    }

    pub(super) fn next_backoff(&mut self) -> Duration {
        let now = self.backoff;
        self.backoff = if now.is_zero() {
            Duration::from_secs(1)
        } else {
            (now * 2).min(MAX_BACKOFF)
        };
        now
    }
}
