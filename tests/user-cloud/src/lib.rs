//! A small integration on three generated groups: the queues named like a pattern, the
//! conversations of an interval (a body-paged analytics query), and a recording's audio
//! (a link on another host).

use genesys_cloud::{AnalyticsApi, Api, RecordingApi, Result, RoutingApi, models};

/// The ids of the queues whose name matches `pattern`.
pub async fn queue_ids(api: &impl Api, pattern: &str) -> Result<Vec<String>> {
    let queues = api
        .get_routing_queues()
        .name(pattern)
        .send()
        .page_size(100)
        .all()
        .await?;
    Ok(queues.into_iter().filter_map(|q| q.id).collect())
}

/// The ids of the conversations in `interval`.
pub async fn conversation_ids(api: &impl Api, interval: &str) -> Result<Vec<String>> {
    let query = models::ConversationQuery {
        interval: Some(interval.to_owned()),
        ..Default::default()
    };
    let conversations = api
        .post_analytics_conversations_details_query(&query)
        .page_size(2)
        .all()
        .await?;
    Ok(conversations
        .into_iter()
        .filter_map(|c| c.conversation_id)
        .collect())
}

/// The bytes of a recording's first media link.
pub async fn recording_audio(
    api: &impl Api,
    conversation: &str,
    recording: &str,
) -> Result<Vec<u8>> {
    let found = api
        .get_conversation_recording(conversation, recording)
        .send()
        .await?;
    let link = found
        .media_uris
        .and_then(|uris| uris.into_values().find_map(|media| media.media_uri))
        .unwrap_or_default();
    let mut media = api.client().download_link(&link).await?;
    let mut bytes = Vec::new();
    while let Some(chunk) = media.chunk().await? {
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}
