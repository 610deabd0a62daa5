//! Every listing shape Genesys uses, named optional parameters, and a pre-signed download,
//! over loopback with the exact requests asserted; and the group's conformance to the
//! catalog of the official SDKs.

mod support;

use genesys::Error;
use serde_json::{Value, json};
use support::{Body, Reply, Server, client};
use user_group::contact_center::{
    CONTACT_CENTER_API, ContactCenterApi, Conversation, ConversationEnvelope, ConversationQuery,
    ParticipantSearch,
};

fn body_of(request: &support::Recorded) -> Value {
    serde_json::from_slice(&request.body).expect("a JSON body")
}

#[test]
fn the_group_matches_the_catalog() {
    genesys_catalog::assert_conforms(&CONTACT_CENTER_API);
}

#[tokio::test]
async fn a_body_paged_analytics_query_reads_three_pages_and_its_envelope() {
    let server = Server::start(|request, _| {
        let body = body_of(request);
        let n = body["paging"]["pageNumber"].as_u64().unwrap_or(0);
        let ids: &[&str] = match n {
            1 => &["c1", "c2"],
            2 => &["c3", "c4"],
            3 => &["c5"],
            _ => &[],
        };
        let conversations: Vec<Value> = ids
            .iter()
            .map(|id| json!({ "conversationId": id }))
            .collect();
        Reply::json(
            200,
            json!({ "conversations": conversations, "totalHits": 5 }),
        )
    })
    .await;
    let client = client(&server);
    let query = ConversationQuery {
        interval: "2026-11-01T00:00:00Z/2026-12-01T00:00:00Z".into(),
        order: Some("asc".into()),
    };

    let mut pages = client
        .post_analytics_conversations_details_query(&query)
        .page_size(2)
        .pages();
    let mut ids = Vec::new();
    let mut hits = Vec::new();
    while let Some(page) = pages.try_next().await.unwrap() {
        // The envelope's own fields stay readable.
        let envelope: ConversationEnvelope = page.envelope().unwrap();
        hits.push(envelope.total_hits);
        ids.extend(
            page.items
                .into_iter()
                .map(|c: Conversation| c.conversation_id),
        );
    }

    assert_eq!(ids, ["c1", "c2", "c3", "c4", "c5"]);
    assert_eq!(hits, [Some(5); 3]);
    let recorded = server.recorded();
    assert_eq!(recorded.len(), 3, "{recorded:#?}");
    for (n, request) in recorded.iter().enumerate() {
        assert_eq!(request.method, "POST");
        // Paging goes in the body, never in the query.
        assert_eq!(
            request.target,
            "/api/v2/analytics/conversations/details/query"
        );
        assert_eq!(
            body_of(request),
            json!({
                "interval": "2026-11-01T00:00:00Z/2026-12-01T00:00:00Z",
                "order": "asc",
                "paging": { "pageSize": 2, "pageNumber": n + 1 },
            })
        );
        assert_eq!(request.header("content-type"), Some("application/json"));
    }
}

#[tokio::test]
async fn a_body_cursor_search_reads_three_pages() {
    let server = Server::start(|request, _| {
        let cursor = body_of(request)["cursor"].as_str().map(str::to_owned);
        let (items, next) = match cursor.as_deref() {
            None => (json!([{"n": 1}, {"n": 2}]), json!("c2")),
            Some("c2") => (json!([{"n": 3}]), json!("c3")),
            Some("c3") => (json!([{"n": 4}]), json!(null)),
            Some(_) => (json!([]), json!(null)),
        };
        Reply::json(200, json!({ "types": items, "cursor": next }))
    })
    .await;
    let client = client(&server);
    let search = ParticipantSearch {
        return_fields: vec!["participantId".into()],
    };

    let all = client
        .post_conversations_participants_attributes_search(&search)
        .all()
        .await
        .unwrap();

    assert_eq!(
        all,
        [
            json!({"n": 1}),
            json!({"n": 2}),
            json!({"n": 3}),
            json!({"n": 4})
        ]
    );
    let bodies: Vec<Value> = server.recorded().iter().map(body_of).collect();
    assert_eq!(
        bodies,
        [
            json!({ "returnFields": ["participantId"] }),
            json!({ "returnFields": ["participantId"], "cursor": "c2" }),
            json!({ "returnFields": ["participantId"], "cursor": "c3" }),
        ]
    );
}

#[tokio::test]
async fn a_next_uri_listing_follows_links_on_its_own_host_and_refuses_another() {
    // A second host: the link to it must never be requested (the token would go with it).
    let elsewhere = Server::start(|_, _| Reply::json(200, json!({ "entities": [] }))).await;
    let foreign = format!("{}/api/v2/assistants/a1/variations?after=x", elsewhere.url);
    let server = Server::start(move |request, _| match request.target.as_str() {
        "/api/v2/assistants/a1/variations?pageSize=2" => Reply::json(
            200,
            json!({ "entities": [{"id": "v1"}, {"id": "v2"}],
                    "nextUri": "/api/v2/assistants/a1/variations?pageSize=2&after=t2" }),
        ),
        "/api/v2/assistants/a1/variations?pageSize=2&after=t2" => Reply::json(
            200,
            json!({ "entities": [{"id": "v3"}], "nextUri": foreign.clone() }),
        ),
        _ => Reply::json(404, json!({})),
    })
    .await;
    let client = client(&server);

    let mut items = client.get_assistant_variations("a1").page_size(2).items();
    let mut ids = Vec::new();
    let error = loop {
        match items.try_next().await {
            Ok(Some(entity)) => ids.push(entity.id),
            Ok(None) => panic!("the foreign link was not reported"),
            Err(error) => break error,
        }
    };

    // Every item before the link arrived; the link itself is refused, not followed.
    assert_eq!(ids, ["v1", "v2", "v3"]);
    assert!(matches!(error, Error::InvalidArgument(_)), "{error:?}");
    let message = error.to_string();
    assert!(message.contains("not on the client's host"), "{message}");
    assert!(message.contains(&elsewhere.url), "{message}");
    assert_eq!(
        server.targets(),
        [
            "/api/v2/assistants/a1/variations?pageSize=2",
            "/api/v2/assistants/a1/variations?pageSize=2&after=t2",
        ]
    );
    assert!(elsewhere.recorded().is_empty(), "the other host was called");
}

#[tokio::test]
async fn a_search_listing_follows_next_page() {
    let server = Server::start(|request, _| match request.target.as_str() {
        "/api/v2/users/search?q64=eyJxIjoxfQ%3D%3D&expand=presence" => Reply::json(
            200,
            json!({ "results": [{"id": "u1"}, {"id": "u2"}], "total": 3, "pageCount": 2,
                    "pageNumber": 1, "nextPage": "/api/v2/users/search?q64=cGFnZTI%3D" }),
        ),
        "/api/v2/users/search?q64=cGFnZTI%3D" => Reply::json(
            200,
            json!({ "results": [{"id": "u3"}], "total": 3, "pageCount": 2, "pageNumber": 2,
                    "previousPage": "/api/v2/users/search?q64=eyJxIjoxfQ%3D%3D" }),
        ),
        _ => Reply::json(404, json!({})),
    })
    .await;
    let client = client(&server);

    let users = client
        .get_users_search("eyJxIjoxfQ==")
        .expand(&["presence"])
        .send()
        .all()
        .await
        .unwrap();

    let ids: Vec<&str> = users.iter().map(|u| u.id.as_str()).collect();
    assert_eq!(ids, ["u1", "u2", "u3"]);
    assert_eq!(
        server.targets(),
        [
            "/api/v2/users/search?q64=eyJxIjoxfQ%3D%3D&expand=presence",
            "/api/v2/users/search?q64=cGFnZTI%3D",
        ]
    );
}

#[tokio::test]
async fn a_scim_listing_pages_with_start_index_and_count() {
    let server = Server::start(|request, _| {
        let start: u64 = request
            .target
            .split(['?', '&'])
            .find_map(|pair| pair.strip_prefix("startIndex="))
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        let ids: Vec<Value> = (start..(start + 2).min(6))
            .map(|n| json!({ "id": format!("s{n}") }))
            .collect();
        Reply::json(
            200,
            json!({ "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
                    "totalResults": 5, "startIndex": start, "itemsPerPage": ids.len(),
                    "Resources": ids }),
        )
    })
    .await;
    let client = client(&server);

    let users = client
        .get_scim_v2_users()
        .filter("active eq true")
        .send()
        .page_size(2)
        .all()
        .await
        .unwrap();

    let ids: Vec<&str> = users.iter().map(|u| u.id.as_str()).collect();
    assert_eq!(ids, ["s1", "s2", "s3", "s4", "s5"]);
    assert_eq!(
        server.targets(),
        [
            "/api/v2/scim/v2/users?filter=active%20eq%20true&startIndex=1&count=2",
            "/api/v2/scim/v2/users?filter=active%20eq%20true&startIndex=3&count=2",
            "/api/v2/scim/v2/users?filter=active%20eq%20true&startIndex=5&count=2",
        ]
    );
}

#[tokio::test]
async fn eleven_optional_parameters_and_two_of_them_named() {
    let server = Server::start(|_, _| {
        Reply::json(
            200,
            json!({ "entities": [{"id": "m1"}], "pageNumber": 1, "pageCount": 1 }),
        )
    })
    .await;
    let client = client(&server);

    let members = client
        .get_routing_queue_members("q 1")
        .joined(true)
        .routing_status(&["IDLE", "INTERACTING"])
        .send()
        .all()
        .await
        .unwrap();

    assert_eq!(members.len(), 1);
    assert_eq!(
        server.targets(),
        [
            "/api/v2/routing/queues/q%201/members?routingStatus=IDLE&routingStatus=INTERACTING&joined=true&pageNumber=1"
        ]
    );
    // The route table still lists every wire parameter (the catalog check above holds).
    let endpoint = CONTACT_CENTER_API
        .endpoints()
        .iter()
        .find(|e| e.operation == "get_routing_queue_members")
        .unwrap();
    assert_eq!(endpoint.params.len(), 11);
}

#[tokio::test]
async fn a_pre_signed_download_from_another_host_carries_no_credential() {
    let media = Server::start(|_, _| Reply {
        status: 200,
        headers: vec![("content-type", "audio/ogg".into())],
        body: Body::Bytes(b"OggS recording bytes".to_vec()),
    })
    .await;
    let api = Server::start(|_, _| Reply::json(200, json!({}))).await;
    let client = client(&api);
    let link = format!("{}/recordings/r1.ogg?X-Amz-Signature=abc", media.url);

    let mut stream = client.download_link(&link).await.unwrap();
    let mut bytes = Vec::new();
    while let Some(chunk) = stream.chunk().await.unwrap() {
        bytes.extend_from_slice(&chunk);
    }

    assert_eq!(bytes, b"OggS recording bytes");
    let recorded = media.recorded();
    assert_eq!(recorded.len(), 1);
    assert_eq!(recorded[0].target, "/recordings/r1.ogg?X-Amz-Signature=abc");
    assert_eq!(recorded[0].header("authorization"), None, "{recorded:#?}");
    assert!(api.recorded().is_empty());

    // A link on the client's own host is an API call: it carries the token.
    let own = format!("{}/api/v2/downloads/d1", api.url);
    client.download_link(&own).await.unwrap();
    assert_eq!(
        api.recorded()[0].header("authorization"),
        Some("Bearer user-group-token")
    );
    // Not a link at all: refused before anything is sent.
    let refused = client
        .download_link("/api/v2/downloads/d1")
        .await
        .unwrap_err();
    assert!(matches!(refused, Error::InvalidArgument(_)), "{refused:?}");
}
