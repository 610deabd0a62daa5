//! The six Tokens endpoints over real HTTP: what arrives at the server (method, path, query,
//! headers, body) and what the caller gets back.

use genesys_api_tokens::{
    AuthorizedGrantType, IdleTokenTimeout, InactivityTimeoutGroupBundle, InactivityTimeoutUnit,
    OAuthClientState, TokensApi,
};
use genesys_tests::{Recorded, Reply, TestServer, client_for};
use serde_json::json;
use time::macros::datetime;

/// The headers every request carries; `with_body` says whether a JSON body was sent.
fn assert_common_headers(request: &Recorded, with_body: bool) {
    assert_eq!(
        request.header("authorization"),
        Some("Bearer test-token-123")
    );
    assert_eq!(request.header("accept"), Some("application/json"));
    let agent = request.header("user-agent").expect("a user agent");
    assert_eq!(agent, format!("genesys-rs/{}", env!("CARGO_PKG_VERSION")));
    if with_body {
        assert_eq!(request.header("content-type"), Some("application/json"));
    } else {
        assert_eq!(request.header("content-type"), None);
        assert!(request.body.is_empty());
    }
}

fn token_info_payload() -> serde_json::Value {
    json!({
        "organization": {"id": "org-1", "name": "Acme Contact Center"},
        "homeOrganization": {"id": "org-home", "name": "Acme Holding"},
        "authorizedScope": ["tokens", "users:readonly"],
        "clonedUser": {"id": "user-cloned", "organization": {"id": "org-clone"}},
        "dateTokenIdles": "2025-07-01T12:34:56.789Z",
        "OAuthClient": {
            "id": "client-1",
            "name": "Quickstart client",
            "dateCreated": "2024-02-29T08:00:00Z",
            "dateModified": "2025-01-15T10:20:30.5Z",
            "dateToDelete": "2026-01-01T00:00:00.000Z",
            "createdBy": {"id": "admin-1", "name": "Ada", "selfUri": "/api/v2/users/admin-1"},
            "modifiedBy": {"id": "admin-2", "selfUri": "/api/v2/users/admin-2"},
            "authorizedGrantType": "CLIENT-CREDENTIALS",
            "scope": ["tokens"],
            "roleDivisions": [{"roleId": "role-1", "divisionId": "div-1"}],
            "state": "archived-in-2030",
            "organization": {"id": "org-1", "name": "Acme Contact Center"},
            "someFieldFromTheFuture": {"nested": [1, 2, 3]}
        },
        "anUnknownTopLevelField": true
    })
}

#[tokio::test]
async fn get_tokens_me_sends_the_exact_request_and_decodes_every_field() {
    let server = TestServer::always(Reply::json(200, &token_info_payload())).await;
    let client = client_for(&server);

    let info = client.get_tokens_me(None).await.expect("200 decodes");

    let request = server.only_request();
    assert_eq!(request.method, "GET");
    assert_eq!(request.path, "/api/v2/tokens/me");
    assert_eq!(request.query, None, "an unset preserveIdleTTL is omitted");
    assert_common_headers(&request, false);

    let org = info.organization.as_ref().unwrap();
    assert_eq!(org.id.as_deref(), Some("org-1"));
    assert_eq!(org.name.as_deref(), Some("Acme Contact Center"));
    let home = info.home_organization.as_ref().unwrap();
    assert_eq!(home.name.as_deref(), Some("Acme Holding"));
    assert_eq!(
        info.authorized_scope.as_deref(),
        Some(&["tokens".to_owned(), "users:readonly".to_owned()][..])
    );
    let cloned = info.cloned_user.as_ref().unwrap();
    assert_eq!(cloned.id.as_deref(), Some("user-cloned"));
    assert_eq!(
        cloned.organization.as_ref().unwrap().id.as_deref(),
        Some("org-clone")
    );
    assert_eq!(
        info.date_token_idles,
        Some(datetime!(2025-07-01 12:34:56.789 UTC))
    );

    let oauth = info
        .oauth_client
        .as_ref()
        .expect("`OAuthClient` (capital O) decodes");
    assert_eq!(oauth.id.as_deref(), Some("client-1"));
    assert_eq!(oauth.name.as_deref(), Some("Quickstart client"));
    assert_eq!(oauth.date_created, Some(datetime!(2024-02-29 08:00:00 UTC)));
    assert_eq!(
        oauth.date_modified,
        Some(datetime!(2025-01-15 10:20:30.5 UTC))
    );
    assert_eq!(
        oauth.date_to_delete,
        Some(datetime!(2026-01-01 00:00:00 UTC))
    );
    let created_by = oauth.created_by.as_ref().unwrap();
    assert_eq!(created_by.name.as_deref(), Some("Ada"));
    assert_eq!(
        created_by.self_uri.as_deref(),
        Some("/api/v2/users/admin-1")
    );
    assert_eq!(
        oauth.modified_by.as_ref().unwrap().id.as_deref(),
        Some("admin-2")
    );
    assert_eq!(
        oauth.authorized_grant_type,
        Some(AuthorizedGrantType::ClientCredentials)
    );
    assert_eq!(oauth.scope.as_deref(), Some(&["tokens".to_owned()][..]));
    let role = &oauth.role_divisions.as_ref().unwrap()[0];
    assert_eq!(role.role_id.as_deref(), Some("role-1"));
    assert_eq!(role.division_id.as_deref(), Some("div-1"));
    assert_eq!(
        oauth.state,
        Some(OAuthClientState::Unknown("archived-in-2030".to_owned())),
        "an unknown enum value is kept, not an error"
    );
    assert_eq!(
        oauth.organization.as_ref().unwrap().name.as_deref(),
        Some("Acme Contact Center")
    );
}

#[tokio::test]
async fn get_tokens_me_sends_preserve_idle_ttl_with_its_exact_key() {
    let server = TestServer::always(Reply::json(200, &json!({}))).await;
    let client = client_for(&server);

    client.get_tokens_me(Some(true)).await.unwrap();
    client.get_tokens_me(Some(false)).await.unwrap();

    let requests = server.requests();
    assert_eq!(requests[0].query.as_deref(), Some("preserveIdleTTL=true"));
    assert_eq!(requests[1].query.as_deref(), Some("preserveIdleTTL=false"));
}

#[tokio::test]
async fn head_tokens_me_sends_head_and_accepts_an_empty_200() {
    let server = TestServer::always(Reply::status(200)).await;
    let client = client_for(&server);

    client
        .head_tokens_me()
        .await
        .expect("a valid token verifies");

    let request = server.only_request();
    assert_eq!(request.method, "HEAD");
    assert_eq!(request.path, "/api/v2/tokens/me");
    assert_eq!(request.query, None);
    assert_common_headers(&request, false);
}

#[tokio::test]
async fn delete_tokens_me_sends_delete_and_accepts_an_empty_200() {
    let server = TestServer::always(Reply::status(200)).await;
    let client = client_for(&server);

    client.delete_tokens_me().await.unwrap();

    let request = server.only_request();
    assert_eq!(request.method, "DELETE");
    assert_eq!(request.path, "/api/v2/tokens/me");
    assert_common_headers(&request, false);
}

#[tokio::test]
async fn delete_token_puts_the_user_id_in_the_path_and_accepts_204() {
    let server = TestServer::always(Reply::status(204)).await;
    let client = client_for(&server);

    client
        .delete_token("3b9d2c7e-0000-4a1b-9c3d-5e6f7a8b9c0d")
        .await
        .unwrap();

    let request = server.only_request();
    assert_eq!(request.method, "DELETE");
    assert_eq!(
        request.path,
        "/api/v2/tokens/3b9d2c7e-0000-4a1b-9c3d-5e6f7a8b9c0d"
    );
    assert_eq!(request.query, None);
    assert_common_headers(&request, false);
}

#[tokio::test]
async fn get_tokens_timeout_decodes_every_field() {
    let payload = json!({
        "idleTokenTimeoutSeconds": 1800,
        "enableIdleTokenTimeout": true,
        "inactivityTimeoutUnit": "Minutes",
        "inactivityTimeoutGroupsEnabled": true,
        "inactivityTimeoutGroupBundles": [
            {"priority": 1, "timeoutSeconds": 900, "inactivityTimeoutUnit": "Hours",
             "groups": ["group-a", "group-b"], "futureField": 1},
            {"priority": 2, "timeoutSeconds": 28800, "inactivityTimeoutUnit": "Fortnights",
             "groups": []}
        ],
        "unknownField": "ignored"
    });
    let server = TestServer::always(Reply::json(200, &payload)).await;
    let client = client_for(&server);

    let timeout = client.get_tokens_timeout().await.unwrap();

    let request = server.only_request();
    assert_eq!(request.method, "GET");
    assert_eq!(request.path, "/api/v2/tokens/timeout");
    assert_eq!(request.query, None);
    assert_common_headers(&request, false);

    assert_eq!(timeout.idle_token_timeout_seconds, Some(1800));
    assert_eq!(timeout.enable_idle_token_timeout, Some(true));
    assert_eq!(
        timeout.inactivity_timeout_unit,
        Some(InactivityTimeoutUnit::Minutes)
    );
    assert_eq!(timeout.inactivity_timeout_groups_enabled, Some(true));
    let bundles = timeout.inactivity_timeout_group_bundles.unwrap();
    assert_eq!(bundles.len(), 2);
    assert_eq!(bundles[0].priority, Some(1));
    assert_eq!(bundles[0].timeout_seconds, Some(900));
    assert_eq!(
        bundles[0].inactivity_timeout_unit,
        Some(InactivityTimeoutUnit::Hours)
    );
    assert_eq!(
        bundles[0].groups.as_deref(),
        Some(&["group-a".to_owned(), "group-b".to_owned()][..])
    );
    assert_eq!(
        bundles[1].inactivity_timeout_unit,
        Some(InactivityTimeoutUnit::Unknown("Fortnights".to_owned()))
    );
}

#[tokio::test]
async fn put_tokens_timeout_sends_only_the_fields_that_are_set() {
    let server = TestServer::echo().await;
    let client = client_for(&server);

    let body = IdleTokenTimeout::new()
        .with_idle_token_timeout_seconds(3600)
        .with_enable_idle_token_timeout(true)
        .with_inactivity_timeout_unit(InactivityTimeoutUnit::Hours)
        .with_inactivity_timeout_group_bundles(vec![InactivityTimeoutGroupBundle::new(
            1,
            600,
            vec!["group-a".to_owned()],
        )]);
    let stored = client.put_tokens_timeout(Some(&body)).await.unwrap();

    let request = server.only_request();
    assert_eq!(request.method, "PUT");
    assert_eq!(request.path, "/api/v2/tokens/timeout");
    assert_eq!(request.query, None);
    assert_common_headers(&request, true);
    assert_eq!(
        std::str::from_utf8(&request.body).unwrap(),
        r#"{"idleTokenTimeoutSeconds":3600,"enableIdleTokenTimeout":true,"inactivityTimeoutUnit":"Hours","inactivityTimeoutGroupBundles":[{"priority":1,"timeoutSeconds":600,"groups":["group-a"]}]}"#
    );
    assert_eq!(
        stored, body,
        "the echoed body decodes back to what was sent"
    );
}

#[tokio::test]
async fn put_tokens_timeout_without_a_body_sends_no_body() {
    let server =
        TestServer::always(Reply::json(200, &json!({"idleTokenTimeoutSeconds": 900}))).await;
    let client = client_for(&server);

    let stored = client.put_tokens_timeout(None).await.unwrap();

    let request = server.only_request();
    assert_eq!(request.method, "PUT");
    assert_common_headers(&request, false);
    assert_eq!(stored.idle_token_timeout_seconds, Some(900));
}

#[tokio::test]
async fn models_encode_dates_with_z_and_keep_the_oauth_client_key() {
    let info: genesys_api_tokens::TokenInfo = serde_json::from_value(token_info_payload()).unwrap();
    let encoded = serde_json::to_value(&info).unwrap();
    assert_eq!(encoded["dateTokenIdles"], "2025-07-01T12:34:56.789Z");
    assert_eq!(
        encoded["OAuthClient"]["dateCreated"],
        "2024-02-29T08:00:00Z"
    );
    assert_eq!(encoded["OAuthClient"]["state"], "archived-in-2030");
    assert!(encoded.get("oAuthClient").is_none());
    assert!(encoded.get("anUnknownTopLevelField").is_none());
    let again: genesys_api_tokens::TokenInfo = serde_json::from_value(encoded).unwrap();
    assert_eq!(again, info, "encode then decode is lossless");
}

#[tokio::test]
async fn calls_are_send_and_run_inside_tokio_spawn() {
    let server =
        TestServer::always(Reply::json(200, &json!({"idleTokenTimeoutSeconds": 300}))).await;
    let client = client_for(&server);

    let handles: Vec<_> = (0..8)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.get_tokens_timeout().await })
        })
        .collect();
    for handle in handles {
        let timeout = handle.await.unwrap().unwrap();
        assert_eq!(timeout.idle_token_timeout_seconds, Some(300));
    }
    assert_eq!(server.requests().len(), 8);
}
