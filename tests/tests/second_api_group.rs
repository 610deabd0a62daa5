//! The macro serves any API group: a second Genesys group (users, presence, groups,
//! downloads), declared here as a user would, and exercised over loopback HTTP.
#![allow(missing_docs)] // test-only models

use genesys_runtime::{Api, PlainText, RawBytes, Response, Result, endpoint, string_enum};
use genesys_tests::{Reply, TestServer, client_for};
use serde::{Deserialize, Serialize};
use serde_json::json;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PresenceDefinition {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system_presence: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserPresence {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub presence_definition: Option<PresenceDefinition>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub id: Option<String>,
    pub name: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserEntityListing {
    pub entities: Option<Vec<User>>,
    pub page_number: Option<i32>,
    pub total: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupCreate {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub rules_visible: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct Group {
    pub id: Option<String>,
    pub name: Option<String>,
}

string_enum! {
    /// Sort order of a listing.
    pub enum SortOrder {
        /// Ascending.
        Ascending = "ascending",
        /// Descending.
        Descending = "descending",
    }
}

/// A user's own id type with its own wire text, sent as a path segment.
pub struct DivisionId(pub u32);

/// It writes one string: a path, query or header value.
impl genesys_runtime::Value for DivisionId {}

impl Serialize for DivisionId {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        serializer.collect_str(&format_args!("div-{}", self.0))
    }
}

/// Users, presence, groups and downloads, declared as a user of the macro would.
pub trait DirectoryApi: Api {
    /// Get a user's presence for a source: two path parameters.
    #[endpoint(method = "GET", path = "/api/v2/users/{userId}/presences/{sourceId}")]
    async fn get_user_presence(&self, user_id: &str, source_id: &str) -> Result<UserPresence>;

    /// Patch a user's presence: two path parameters and a JSON body.
    #[endpoint(method = "PATCH", path = "/api/v2/users/{userId}/presences/{sourceId}")]
    async fn patch_user_presence(
        &self,
        user_id: &str,
        source_id: &str,
        #[body] body: &UserPresence,
    ) -> Result<UserPresence>;

    /// List users: a list-valued query parameter sent as repeated keys, and more.
    #[endpoint(method = "GET", path = "/api/v2/users")]
    async fn get_users(
        &self,
        #[query] page_size: Option<i32>,
        #[query] page_number: Option<i32>,
        #[query] id: &[&str],
        #[query] expand: Vec<String>,
        #[query] sort_order: Option<SortOrder>,
        #[query(name = "state")] user_state: Option<&str>,
    ) -> Result<UserEntityListing>;

    /// Create a group: a POST with a JSON body, owned.
    #[endpoint(method = "POST", path = "/api/v2/groups")]
    async fn post_groups(&self, #[body] body: GroupCreate) -> Result<Group>;

    /// Get the current user with a header parameter, returning the full response.
    #[endpoint(method = "GET", path = "/api/v2/users/me")]
    async fn get_users_me(
        &self,
        #[header(name = "X-Request-Id")] request_id: &str,
        #[header(name = "X-Feature-Flags")] flags: Option<&[&str]>,
    ) -> Result<Response<User>>;

    /// Export a script as raw text.
    #[endpoint(method = "GET", path = "/api/v2/scripts/{scriptId}/export")]
    async fn get_script_export(&self, script_id: &str) -> Result<PlainText>;

    /// Download a file as raw bytes, with an explicit placeholder binding and a custom type.
    #[endpoint(
        method = "GET",
        path = "/api/v2/downloads/{downloadId}/divisions/{divisionId}"
    )]
    async fn get_download(
        &self,
        #[path(name = "downloadId")] id: u64,
        division_id: DivisionId,
    ) -> Result<RawBytes>;

    /// Delete a group: `()` for an empty answer.
    #[endpoint(method = "DELETE", path = "/api/v2/groups/{groupId}")]
    async fn delete_group(&self, group_id: &str) -> Result<()>;
}

impl<T: Api + ?Sized> DirectoryApi for T {}

#[tokio::test]
async fn get_with_two_path_parameters() {
    let server = TestServer::always(Reply::json(
        200,
        &json!({"source": "PURECLOUD", "presenceDefinition": {"id": "p1", "systemPresence": "Available"}}),
    ))
    .await;
    let client = client_for(&server);

    let presence = client
        .get_user_presence("user/1", "PURECLOUD")
        .await
        .unwrap();

    let request = server.only_request();
    assert_eq!(request.method, "GET");
    assert_eq!(request.path, "/api/v2/users/user%2F1/presences/PURECLOUD");
    assert_eq!(request.query, None);
    assert_eq!(
        presence
            .presence_definition
            .unwrap()
            .system_presence
            .as_deref(),
        Some("Available")
    );
}

#[tokio::test]
async fn patch_with_two_path_parameters_and_a_json_body() {
    let server = TestServer::echo().await;
    let client = client_for(&server);
    let body = UserPresence {
        source: None,
        presence_definition: Some(PresenceDefinition {
            id: Some("6a3af858-942f-489d-9700-5f9bcdcdae9b".into()),
            system_presence: None,
        }),
        message: Some("Back at 2".into()),
    };

    let stored = client
        .patch_user_presence("u-1", "PURECLOUD", &body)
        .await
        .unwrap();

    let request = server.only_request();
    assert_eq!(request.method, "PATCH");
    assert_eq!(request.path, "/api/v2/users/u-1/presences/PURECLOUD");
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(
        std::str::from_utf8(&request.body).unwrap(),
        r#"{"presenceDefinition":{"id":"6a3af858-942f-489d-9700-5f9bcdcdae9b"},"message":"Back at 2"}"#
    );
    assert_eq!(stored, body);
}

#[tokio::test]
async fn list_query_parameters_are_sent_as_repeated_keys() {
    let server = TestServer::always(Reply::json(
        200,
        &json!({"entities": [{"id": "u1", "name": "Ada"}], "pageNumber": 2, "total": 41}),
    ))
    .await;
    let client = client_for(&server);

    let listing = client
        .get_users(
            Some(25),
            Some(2),
            &["u1", "u 2"],
            vec!["presence".into(), "routingStatus".into()],
            Some(SortOrder::Descending),
            None,
        )
        .await
        .unwrap();
    client
        .get_users(None, None, &[], Vec::new(), None, Some("any"))
        .await
        .unwrap();

    let requests = server.requests();
    assert_eq!(requests[0].path, "/api/v2/users");
    assert_eq!(
        requests[0].query.as_deref(),
        Some(
            "pageSize=25&pageNumber=2&id=u1&id=u%202&expand=presence&expand=routingStatus&sortOrder=descending"
        )
    );
    assert_eq!(requests[1].query.as_deref(), Some("state=any"));
    assert_eq!(listing.total, Some(41));
    assert_eq!(listing.entities.unwrap()[0].name.as_deref(), Some("Ada"));
}

#[tokio::test]
async fn post_with_an_owned_json_body() {
    let server =
        TestServer::always(Reply::json(200, &json!({"id": "g1", "name": "Support"}))).await;
    let client = client_for(&server);

    let group = client
        .post_groups(GroupCreate {
            name: "Support".into(),
            kind: "official".into(),
            rules_visible: true,
        })
        .await
        .unwrap();

    let request = server.only_request();
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, "/api/v2/groups");
    assert_eq!(
        request.json(),
        json!({"name": "Support", "type": "official", "rulesVisible": true})
    );
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(group.id.as_deref(), Some("g1"));
}

#[tokio::test]
async fn header_parameters_and_the_full_response() {
    let server = TestServer::always(
        Reply::json(200, &json!({"id": "me", "name": "Ada"}))
            .header("ININ-Correlation-Id", "corr-me")
            .header("ETag", "\"v7\""),
    )
    .await;
    let client = client_for(&server);

    let response = client
        .get_users_me("req-42", Some(&["a", "b"]))
        .await
        .unwrap();
    client.get_users_me("req-43", None).await.unwrap();

    let requests = server.requests();
    assert_eq!(requests[0].header("x-request-id"), Some("req-42"));
    assert_eq!(requests[0].header("x-feature-flags"), Some("a, b"));
    assert_eq!(requests[1].header("x-request-id"), Some("req-43"));
    assert_eq!(requests[1].header("x-feature-flags"), None);
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.correlation_id(), Some("corr-me"));
    assert_eq!(response.headers()["etag"], "\"v7\"");
    assert_eq!(response.body().name.as_deref(), Some("Ada"));
}

#[tokio::test]
async fn a_header_value_with_a_line_break_is_refused_before_sending() {
    let server = TestServer::always(Reply::json(200, &json!({}))).await;
    let client = client_for(&server);

    let error = client
        .get_users_me("evil\r\nX-Injected: 1", None)
        .await
        .unwrap_err();

    assert!(
        matches!(error, genesys_runtime::Error::InvalidArgument(_)),
        "{error:?}"
    );
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn raw_text_and_raw_bytes() {
    let server = TestServer::start(|request, _| {
        if request.path.ends_with("/export") {
            Reply::status(200)
                .header("content-type", "text/plain")
                .body("line 1\nline 2 é")
        } else {
            Reply::status(200)
                .header("content-type", "application/octet-stream")
                .body(vec![0u8, 159, 146, 150, 255])
        }
    })
    .await;
    let client = client_for(&server);

    let text = client.get_script_export("s-1").await.unwrap();
    let bytes = client.get_download(77, DivisionId(3)).await.unwrap();

    assert_eq!(&*text, "line 1\nline 2 é");
    assert_eq!(&*bytes, &[0u8, 159, 146, 150, 255]);
    let requests = server.requests();
    assert_eq!(requests[0].path, "/api/v2/scripts/s-1/export");
    assert_eq!(requests[1].path, "/api/v2/downloads/77/divisions/div-3");
}

#[tokio::test]
async fn delete_with_an_empty_answer() {
    let server = TestServer::always(Reply::status(204)).await;
    let client = client_for(&server);

    client.delete_group("g-1").await.unwrap();

    let request = server.only_request();
    assert_eq!(request.method, "DELETE");
    assert_eq!(request.path, "/api/v2/groups/g-1");
}
