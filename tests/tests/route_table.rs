//! The route table `#[api]` generates: `TOKENS_API` lists the six Tokens endpoints exactly as
//! declared, and routes requests the way the calls build them.

use genesys_api_tokens::TOKENS_API;
use genesys_runtime::http::Method;
use genesys_runtime::{ParamKind, RetryRule};

#[test]
fn the_tokens_table_lists_every_endpoint_as_declared() {
    assert_eq!(TOKENS_API.name(), "TokensApi");
    let rows: Vec<(&str, &str, &str)> = TOKENS_API
        .endpoints()
        .iter()
        .map(|e| (e.operation, e.method.as_str(), e.path))
        .collect();
    assert_eq!(
        rows,
        [
            ("delete_token", "DELETE", "/api/v2/tokens/{userId}"),
            ("delete_tokens_me", "DELETE", "/api/v2/tokens/me"),
            ("get_tokens_me", "GET", "/api/v2/tokens/me"),
            ("get_tokens_timeout", "GET", "/api/v2/tokens/timeout"),
            ("head_tokens_me", "HEAD", "/api/v2/tokens/me"),
            ("put_tokens_timeout", "PUT", "/api/v2/tokens/timeout"),
        ]
    );
    let me = TOKENS_API.endpoint("get_tokens_me").unwrap();
    let param = me.param("preserveIdleTTL").unwrap();
    assert_eq!(
        (param.kind, param.optional, param.list),
        (ParamKind::Query, true, false)
    );
    assert_eq!(me.returns, "TokenInfo");
    let delete = TOKENS_API.endpoint("delete_token").unwrap();
    let user = delete.param("userId").unwrap();
    assert_eq!((user.kind, user.optional), (ParamKind::Path, false));
    let put = TOKENS_API.endpoint("put_tokens_timeout").unwrap();
    let body = put.param("body").unwrap();
    assert_eq!((body.kind, body.optional), (ParamKind::Body, true));
    assert!(
        TOKENS_API
            .endpoints()
            .iter()
            .all(|e| e.retry == RetryRule::ByMethod && e.timeout.is_none())
    );
}

#[test]
fn the_table_routes_requests_as_the_calls_send_them() {
    let (endpoint, args) = TOKENS_API
        .route(&Method::DELETE, "/api/v2/tokens/a%2Fb")
        .unwrap();
    assert_eq!(endpoint.operation, "delete_token");
    assert_eq!(args, [("userId", "a%2Fb")]);
    let (endpoint, _) = TOKENS_API
        .route(&Method::DELETE, "/api/v2/tokens/me")
        .unwrap();
    assert_eq!(
        endpoint.operation, "delete_tokens_me",
        "a literal segment wins"
    );
    assert!(
        TOKENS_API
            .route(&Method::POST, "/api/v2/tokens/me")
            .is_none()
    );
}

#[test]
fn the_table_prints() {
    let shown = TOKENS_API.to_string();
    assert!(shown.starts_with("TokensApi: 6 endpoints"), "{shown}");
    assert!(
        shown
            .contains("GET /api/v2/tokens/me  get_tokens_me(preserveIdleTTL: query?) -> TokenInfo"),
        "{shown}"
    );
}
