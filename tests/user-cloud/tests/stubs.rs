//! The integration against `Stubs` on the generated groups: a listing, a body-paged query
//! and a download link, with what was sent asserted.

use genesys_cloud::runtime::StatusCode;
use genesys_cloud::runtime::testing::{Reply, Stubs};
use genesys_cloud::{ANALYTICS_API, RECORDING_API, ROUTING_API};
use serde_json::json;

#[tokio::test]
async fn queues_conversations_and_a_recording() {
    let stubs = Stubs::new();
    stubs.on(&ROUTING_API, "get_routing_queues").reply(Reply::json(&json!({
        "entities": [{ "id": "q1", "name": "Support EU" }, { "id": "q2", "name": "Support US" }],
        "pageNumber": 1, "pageCount": 1,
    })));
    stubs
        .on(&ANALYTICS_API, "post_analytics_conversations_details_query")
        .replies([
            Reply::json(&json!({ "conversations": [{"conversationId": "c1"}, {"conversationId": "c2"}], "totalHits": 3 })),
            Reply::json(&json!({ "conversations": [{"conversationId": "c3"}], "totalHits": 3 })),
        ]);
    stubs.on(&RECORDING_API, "get_conversation_recording").reply(Reply::json(&json!({
        "id": "r1",
        "mediaUris": { "S": { "mediaUri": "https://media.example-bucket.test/r1.opus?sig=abc" } },
    })));
    stubs
        .on_download_links()
        .reply(Reply::status(StatusCode::OK).with_body(&b"OggS"[..]));
    let client = stubs.client();

    assert_eq!(
        user_cloud::queue_ids(&client, "Support*").await.unwrap(),
        ["q1", "q2"]
    );
    assert_eq!(
        user_cloud::conversation_ids(&client, "2026-11-01/2026-12-01")
            .await
            .unwrap(),
        ["c1", "c2", "c3"]
    );
    assert_eq!(
        user_cloud::recording_audio(&client, "c1", "r1")
            .await
            .unwrap(),
        b"OggS"
    );

    let calls = stubs.calls();
    assert_eq!(calls[0].path(), "/api/v2/routing/queues");
    assert_eq!(calls[0].query("name").as_deref(), Some("Support*"));
    assert_eq!(calls[0].query("pageSize").as_deref(), Some("100"));
    let pages: Vec<serde_json::Value> = calls[1..3].iter().map(|c| c.json().unwrap()).collect();
    assert_eq!(
        pages,
        [
            json!({ "interval": "2026-11-01/2026-12-01", "paging": { "pageSize": 2, "pageNumber": 1 } }),
            json!({ "interval": "2026-11-01/2026-12-01", "paging": { "pageSize": 2, "pageNumber": 2 } }),
        ]
    );
    assert_eq!(calls[3].path(), "/api/v2/conversations/c1/recordings/r1");
    assert_eq!(calls[4].host(), Some("media.example-bucket.test"));
    assert_eq!(
        calls[4].header("authorization"),
        None,
        "the credential went to another host"
    );
    assert_eq!(calls.len(), 5);
}
