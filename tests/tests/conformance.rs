//! Declarations against the vendor's own description of its API: the Tokens group matches
//! the catalog generated from the official SDKs, a deliberately wrong group is refused with a
//! message that names the endpoint, the parameter and what the catalog says, and listings
//! pass without the paging parameters the runtime sets (and only those).

use genesys_api_tokens::TOKENS_API;
use genesys_catalog::{assert_conforms, catalog, check};
use genesys_runtime::http::Method;
use genesys_runtime::{
    Api, ApiGroup, Endpoint, Listing, Paging, Param, ParamKind, Result, api, endpoint,
};

#[test]
fn the_catalog_holds_every_operation_with_its_source() {
    let catalog = catalog();
    assert_eq!(catalog.len(), 3508);
    let sources: Vec<&str> = catalog.sources().collect();
    assert!(
        sources
            .iter()
            .any(|s| s.starts_with("PureCloudPlatformClientV2 269.0.0")),
        "{sources:?}"
    );
    let me = catalog.operation("TokensApi", "get_tokens_me").unwrap();
    assert_eq!(
        (me.method.as_str(), me.path.as_str()),
        ("GET", "/api/v2/tokens/me")
    );
}

/// What the check says about `group`, one message per difference.
fn messages(group: &ApiGroup) -> Vec<String> {
    check(group).iter().map(ToString::to_string).collect()
}

#[test]
fn the_tokens_group_conforms() {
    assert_eq!(check(&TOKENS_API), []);
    assert_conforms(&TOKENS_API);
}

/// Wrong on purpose, one mistake of each kind.
#[api]
#[allow(dead_code)]
trait WrongApi: Api {
    /// `preserveIdleTTL` is a query parameter, not a header.
    #[endpoint(method = "GET", path = "/api/v2/tokens/me")]
    async fn get_tokens_me(
        &self,
        #[header(name = "preserveIdleTTL")] preserve: Option<bool>,
    ) -> Result<()>;

    /// The body is optional in the catalog.
    #[endpoint(method = "PUT", path = "/api/v2/tokens/timeout")]
    async fn put_tokens_timeout(&self, #[body] body: &serde_json::Value) -> Result<()>;

    /// No such path.
    #[endpoint(method = "GET", path = "/api/v2/tokens/mine")]
    async fn mine(&self) -> Result<()>;

    /// `expand` is a list; `verbose` does not exist; three parameters left out.
    #[endpoint(method = "GET", path = "/api/v2/users/{userId}")]
    async fn get_user(
        &self,
        user_id: &str,
        #[query] expand: Option<&str>,
        #[query] verbose: Option<bool>,
    ) -> Result<()>;
}

#[test]
fn a_wrong_declaration_is_refused_with_what_the_catalog_says() {
    let found = messages(&WRONG_API);
    let expected = [
        "WrongApi.get_tokens_me (GET /api/v2/tokens/me): parameter `preserveIdleTTL`: declared as a header, the catalog says query",
        "WrongApi.put_tokens_timeout (PUT /api/v2/tokens/timeout): parameter `body`: declared required, the catalog says optional: take an `Option`",
        "WrongApi.mine (GET /api/v2/tokens/mine): no operation with this method and path in the catalog (purecloud-platform-client-v2 262.0.0 (npm) and PureCloudPlatformClientV2 269.0.0 (PyPI)); check both against the API reference",
        "WrongApi.get_user (GET /api/v2/users/{userId}): parameter `expand`: declared as one value, the catalog says a list (list[str])",
        "WrongApi.get_user (GET /api/v2/users/{userId}): parameter `integrationPresenceSource`: missing from the declaration; the catalog has it as an optional query (str)",
        "WrongApi.get_user (GET /api/v2/users/{userId}): parameter `userCustomAttributeSchemaIds`: missing from the declaration; the catalog has it as an optional query list (list[str])",
        "WrongApi.get_user (GET /api/v2/users/{userId}): parameter `state`: missing from the declaration; the catalog has it as an optional query (str)",
        "WrongApi.get_user (GET /api/v2/users/{userId}): parameter `verbose`: declared as a query parameter, but the operation has no such parameter in the catalog",
    ];
    assert_eq!(found, expected);

    let panic = std::panic::catch_unwind(|| assert_conforms(&WRONG_API)).unwrap_err();
    let message = panic.downcast_ref::<String>().unwrap();
    assert!(
        message.starts_with("WrongApi does not match the Genesys catalog"),
        "{message}"
    );
    assert!(
        message.contains("8 difference(s)") && message.contains(expected[0]),
        "{message}"
    );
}

/// One listing of each paging style, declared as the catalog has them: the runtime sets
/// `pageSize` and the page or cursor parameter, so they are not declared.
#[api]
#[allow(dead_code)]
trait ListingsApi: Api {
    /// `pageNumber` and `pageSize`.
    #[endpoint(
        method = "GET",
        path = "/api/v2/users/{userId}/greetings",
        paging = "page"
    )]
    fn get_user_greetings(&self, user_id: &str) -> Listing<serde_json::Value>;

    /// `cursor` and `pageSize`.
    #[endpoint(
        method = "GET",
        path = "/api/v2/analytics/conversations/details/jobs/{jobId}/results",
        paging = "cursor",
        items = "conversations"
    )]
    fn get_analytics_conversations_details_job_results(
        &self,
        job_id: &str,
    ) -> Listing<serde_json::Value>;

    /// `after` and `pageSize`.
    #[endpoint(
        method = "GET",
        path = "/api/v2/authorization/policies",
        paging = "after"
    )]
    fn get_authorization_policies(&self) -> Listing<serde_json::Value>;
}

#[test]
fn a_group_with_a_listing_of_each_paging_style_conforms() {
    assert_eq!(check(&LISTINGS_API), []);
    assert_conforms(&LISTINGS_API);
}

/// Listings declared wrong: a parameter the runtime does not set left out, and a style the
/// operation does not page with.
#[api]
#[allow(dead_code)]
trait WrongListingsApi: Api {
    /// `sortOrder` is the operation's own, not a paging parameter: still required.
    #[endpoint(method = "GET", path = "/api/v2/mobiledevices", paging = "page")]
    fn get_mobiledevices(&self) -> Listing<serde_json::Value>;

    /// This operation pages with `after`, not `pageNumber`.
    #[endpoint(
        method = "GET",
        path = "/api/v2/authorization/policies",
        paging = "page"
    )]
    fn get_authorization_policies(&self) -> Listing<serde_json::Value>;
}

/// A listing that declares `pageSize` by hand (the macro refuses it; a hand-built route
/// table can still hold it).
static HAND_BUILT_LISTING: Endpoint = Endpoint::new(
    "get_user_greetings",
    Method::GET,
    "/api/v2/users/{userId}/greetings",
)
.params(&[
    Param::new("userId", ParamKind::Path, false, false),
    Param::new("pageSize", ParamKind::Query, true, false),
])
.paging(Paging::Page, "entities");
static HAND_BUILT_API: ApiGroup = ApiGroup::new("HandBuiltApi", &[&HAND_BUILT_LISTING]);

/// The analytics details query pages in its body, and only reads.
#[api]
#[allow(dead_code)]
trait QueriesApi: Api {
    /// Query paging would send `?pageNumber=` and read the first page only.
    #[endpoint(
        method = "POST",
        path = "/api/v2/analytics/conversations/details/query",
        paging = "page",
        items = "conversations"
    )]
    fn post_analytics_conversations_details_query(
        &self,
        #[body] body: &serde_json::Value,
    ) -> Listing<serde_json::Value>;

    /// Right: body paging, items in `conversations`, `retry = "safe"`.
    #[endpoint(
        method = "POST",
        path = "/api/v2/analytics/users/details/query",
        paging = "body-paging",
        items = "userDetails",
        retry = "safe"
    )]
    fn post_analytics_users_details_query(
        &self,
        #[body] body: &serde_json::Value,
    ) -> Listing<serde_json::Value>;

    /// Body paging with the wrong item field.
    #[endpoint(
        method = "POST",
        path = "/api/v2/groups/search",
        paging = "body-page",
        retry = "safe"
    )]
    fn post_groups_search(&self, #[body] body: &serde_json::Value) -> Listing<serde_json::Value>;
}

#[test]
fn a_body_paged_query_declared_with_query_paging_a_wrong_item_field_and_a_missing_safe_retry_are_reported()
 {
    assert_eq!(
        messages(&QUERIES_API),
        [
            "QueriesApi.post_analytics_conversations_details_query (POST /api/v2/analytics/conversations/details/query): declared `paging = \"page\"`, but the catalog pages it with `paging.pageNumber` in the body: declare `paging = \"body-paging\"` (its paging fields are in the request body: as declared, every request would ask for the first page)",
            "QueriesApi.post_analytics_conversations_details_query (POST /api/v2/analytics/conversations/details/query): a read-only query in the catalog: declare `retry = \"safe\"` so that a lost connection or a 502-504 is retried like a GET's (or `retry = \"never\"` to say it must not be)",
            "QueriesApi.post_groups_search (POST /api/v2/groups/search): the listing's items are in `entities`, but the catalog's answer keeps them in `results`: declare `items = \"results\"`",
        ]
    );
}

#[test]
fn a_listing_still_reports_what_the_runtime_does_not_set_and_what_it_does() {
    let found = messages(&WRONG_LISTINGS_API);
    assert_eq!(
        found,
        [
            "WrongListingsApi.get_mobiledevices (GET /api/v2/mobiledevices): parameter `sortOrder`: missing from the declaration; the catalog has it as an optional query (str)",
            "WrongListingsApi.get_authorization_policies (GET /api/v2/authorization/policies): declared `paging = \"page\"`, but the catalog pages it with `after` in the query: declare `paging = \"after\"`",
            // A page listing does not set `after`, so it is missing too.
            "WrongListingsApi.get_authorization_policies (GET /api/v2/authorization/policies): parameter `after`: missing from the declaration; the catalog has it as an optional query (str)",
        ]
    );

    let found = messages(&HAND_BUILT_API);
    assert_eq!(
        found,
        [
            "HandBuiltApi.get_user_greetings (GET /api/v2/users/{userId}/greetings): parameter `pageSize`: the runtime sets `pageSize` for a listing: remove it from the declaration (`.page_size(n)` on the listing sets `pageSize`)",
        ]
    );
}
