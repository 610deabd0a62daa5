//! The Notifications API calls a stream makes, through `genesys-cloud`'s generated group.

use std::collections::BTreeSet;
use std::time::Duration;

use genesys_cloud::NotificationsApi as _;
use genesys_cloud::models::ChannelTopic;
use genesys_runtime::Client;
use tokio::time::Instant;

use crate::{Error, MAX_CHANNELS, Topic};

/// A channel's lifetime when Genesys does not say (it says 24 hours).
const DEFAULT_LIFETIME: Duration = Duration::from_secs(24 * 3600);

/// A channel the stream made.
#[derive(Clone, Debug)]
pub(crate) struct Channel {
    pub(crate) id: String,
    pub(crate) connect_uri: String,
    /// When to make its successor: its expiry less the rollover margin.
    pub(crate) rollover_at: Instant,
}

/// Makes a channel; with `check_limit`, refuses to make one past the credential's limit.
pub(crate) async fn create(
    client: &Client,
    margin: Duration,
    check_limit: bool,
) -> Result<Channel, Error> {
    if check_limit {
        let existing = client
            .get_notifications_channels()
            .includechannels("oauthclient")
            .send()
            .await?
            .entities
            .map_or(0, |e| e.len());
        if existing >= MAX_CHANNELS {
            return Err(Error::TooManyChannels {
                existing,
                limit: MAX_CHANNELS,
            });
        }
    }
    let made = client.post_notifications_channels().await?;
    let (Some(id), Some(connect_uri)) = (made.id, made.connect_uri) else {
        return Err(Error::Socket(
            "Genesys answered a new channel without its id or connectUri".into(),
        ));
    };
    // The time left, by the wall clock, then counted on tokio's clock.
    let lifetime = made
        .expires
        .and_then(|e| e.parse().ok())
        .map(|expires| expires - time::OffsetDateTime::now_utc())
        .and_then(|left| Duration::try_from(left).ok())
        .unwrap_or(DEFAULT_LIFETIME);
    let before = lifetime.saturating_sub(margin).max(lifetime / 2);
    tracing::info!(target: "genesys.notifications", channel = %id, expires_in_s = lifetime.as_secs(), "channel created");
    Ok(Channel {
        id,
        connect_uri,
        rollover_at: Instant::now() + before,
    })
}

/// Sets a channel's topics to exactly `topics`.
pub(crate) async fn subscribe(
    client: &Client,
    channel: &str,
    topics: &BTreeSet<Topic>,
) -> Result<(), Error> {
    let body: Vec<ChannelTopic> = topics
        .iter()
        .map(|t| ChannelTopic {
            id: Some(t.as_str().to_owned()),
            ..ChannelTopic::default()
        })
        .collect();
    let answer = client
        .put_notifications_channel_subscriptions(channel)
        .body(&body)
        .send()
        .await?;
    for topic in answer.entities.unwrap_or_default() {
        if topic.rejection_reason.is_some() || topic.missing_permissions.is_some() {
            tracing::warn!(
                target: "genesys.notifications",
                topic = topic.id.as_deref().unwrap_or("?"),
                reason = topic.rejection_reason.as_deref().unwrap_or("-"),
                "Genesys rejected a topic"
            );
        }
    }
    Ok(())
}

/// Whether the channel still exists.
pub(crate) async fn exists(client: &Client, channel: &str) -> Result<bool, Error> {
    match client.head_notifications_channel(channel).await {
        Ok(()) => Ok(true),
        Err(e) if e.status().is_some_and(|s| s.as_u16() == 404) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// Whether trying again later may help.
pub(crate) fn transient(error: &Error) -> bool {
    match error {
        Error::Api(e) => e.is_retryable() || e.status().is_some_and(|s| s.is_server_error()),
        Error::Socket(_) => true,
        _ => false,
    }
}
