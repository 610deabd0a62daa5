//! What can go wrong with notifications.

use std::fmt;

/// Channels a user or OAuth client may have (Genesys removes the oldest beyond it).
pub const MAX_CHANNELS: usize = 20;
/// Topics one channel may have.
pub const MAX_TOPICS: usize = 1_000;

/// A notifications error: every kind says what to do next.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum Error {
    /// A Notifications API call failed (channel creation, subscriptions), after the client's
    /// retries.
    Api(genesys_runtime::Error),
    /// The channel's WebSocket could not be opened.
    Socket(String),
    /// A channel would have more topics than Genesys allows; nothing was sent.
    TooManyTopics {
        /// How many topics the channel would have.
        requested: usize,
        /// The limit ([`MAX_TOPICS`]).
        limit: usize,
    },
    /// The credential has as many channels as Genesys allows: a new one would make Genesys
    /// remove the oldest, which may be another program's. Nothing was created. Channels last
    /// 24 hours whether or not they are read (a program restarted often makes one each
    /// time): when every channel of the credential is yours,
    /// [`check_channel_limit(false)`](crate::NotificationsBuilder::check_channel_limit) lets
    /// Genesys replace the oldest.
    TooManyChannels {
        /// The channels the credential has.
        existing: usize,
        /// The limit ([`MAX_CHANNELS`]).
        limit: usize,
    },
    /// A topic name or id was refused before anything was sent.
    InvalidTopic {
        /// The topic (or its template), at most 80 characters of it.
        topic: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A builder setting was refused.
    InvalidSetting {
        /// The builder method.
        setting: &'static str,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The stream has ended (it was closed, or failed and reported why).
    Closed,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(e) => write!(f, "a Notifications API call failed: {e}"),
            Error::Socket(why) => write!(
                f,
                "the notification channel's WebSocket could not be opened: {why}; check that the host of the channel's connectUri is reachable (and the client's proxy)"
            ),
            Error::TooManyTopics { requested, limit } => write!(
                f,
                "a notification channel may have at most {limit} topics, and this would make {requested}; split the topics over several streams"
            ),
            Error::TooManyChannels { existing, limit } => write!(
                f,
                "the credential has {existing} notification channels and Genesys allows {limit}: a new one would make Genesys remove the oldest, which may be another program's; a channel lasts 24 hours whether or not it is read, so wait for old ones to expire, or, if every channel of this credential is this program's, turn the check off with `check_channel_limit(false)`"
            ),
            Error::InvalidTopic { topic, reason } => {
                write!(f, "the topic {topic:?} was refused: {reason}")
            }
            Error::InvalidSetting { setting, reason } => write!(f, "`{setting}` {reason}"),
            Error::Closed => f.write_str("the notification stream has ended"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }
}

impl From<genesys_runtime::Error> for Error {
    fn from(e: genesys_runtime::Error) -> Self {
        Error::Api(e)
    }
}
