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
/// The longest lifetime believed: an `expires` further off is taken as this.
const MAX_LIFETIME: Duration = Duration::from_secs(7 * 24 * 3600);
/// The soonest a rollover is made after a channel, whatever `expires` says (an `expires` in
/// the past would otherwise make channels one after another).
const MIN_ROLLOVER: Duration = Duration::from_secs(60);

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
    let expires = made.expires.and_then(|e| e.parse().ok());
    let (lifetime, before) = rollover_after(expires, time::OffsetDateTime::now_utc(), margin);
    tracing::info!(target: "genesys.notifications", channel = %id, expires_in_s = lifetime.as_secs(), "channel created");
    Ok(Channel {
        id,
        connect_uri,
        rollover_at: Instant::now() + before,
    })
}

/// The channel's lifetime from its `expires`, and when to make its successor: checked, so
/// that no `expires` (past, far off, missing) can overflow a clock or spin.
fn rollover_after(
    expires: Option<time::OffsetDateTime>,
    now: time::OffsetDateTime,
    margin: Duration,
) -> (Duration, Duration) {
    let lifetime = match expires {
        // In the past: zero; too far off (or past `Duration`): the cap.
        Some(expires) => Duration::try_from((expires - now).max(time::Duration::ZERO))
            .unwrap_or(MAX_LIFETIME)
            .min(MAX_LIFETIME),
        None => DEFAULT_LIFETIME,
    };
    let before = lifetime
        .saturating_sub(margin)
        .max(lifetime / 2)
        .max(MIN_ROLLOVER);
    (lifetime, before)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_expires_gives_a_bounded_rollover() {
        let now = time::OffsetDateTime::UNIX_EPOCH + time::Duration::days(20_000);
        let margin = Duration::from_secs(600);
        let at = |expires| rollover_after(expires, now, margin);
        let day = Duration::from_secs(86_400);
        assert_eq!(at(Some(now + time::Duration::days(1))), (day, day - margin));
        assert_eq!(at(None), (day, day - margin));
        // In the past: a minute, not a loop of channels.
        assert_eq!(at(Some(now - time::Duration::days(1))).1, MIN_ROLLOVER);
        // Far off: capped at a week.
        assert_eq!(
            at(Some(time::OffsetDateTime::new_utc(
                time::Date::from_calendar_date(9999, time::Month::December, 31).unwrap(),
                time::Time::MIDNIGHT,
            )))
            .0,
            MAX_LIFETIME
        );
        // A margin longer than the life: half the life.
        assert_eq!(rollover_after(None, now, Duration::MAX).1, day / 2);
    }
}
