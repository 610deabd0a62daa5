//! What the caller gets when the server says no, or says something broken.

use genesys_api_tokens::TokensApi;
use genesys_runtime::{Error, RetryPolicy};
use genesys_tests::{Reply, TestServer, client_at, client_for};
use serde_json::json;

fn error_body(status: u16, code: &str, message: &str) -> Reply {
    Reply::json(
        status,
        &json!({
            "message": message,
            "code": code,
            "status": status,
            "contextId": "ctx-1",
            "details": [{"errorCode": "d1", "fieldName": "userId"}],
            "limit": {"key": "rate", "namespace": "platform.api", "value": 300},
            "messageParams": {"a": "b"},
            "somethingNew": 1
        }),
    )
    .header("ININ-Correlation-Id", &format!("corr-{status}"))
}

#[tokio::test]
async fn error_statuses_with_an_error_body_give_a_typed_api_error() {
    let cases = [
        (401, "bad.credentials", "Invalid login credentials."),
        (
            403,
            "missing.permissions",
            "You are missing the following permission(s): oauth:token:delete",
        ),
        (404, "not.found", "The requested resource was not found."),
        (
            429,
            "too.many.requests",
            "Rate limit exceeded the maximum. Retry the request in [5] seconds",
        ),
        (
            500,
            "internal.server.error",
            "The server encountered an unexpected condition.",
        ),
    ];
    for (status, code, message) in cases {
        let server = TestServer::always(error_body(status, code, message)).await;
        let client = client_at(&server.url())
            .retry(RetryPolicy::disabled()) // retries are tested in resilience.rs
            .build()
            .unwrap();

        let error = client.delete_token("user-1").await.unwrap_err();

        let api = error
            .as_api()
            .unwrap_or_else(|| panic!("{status}: not an API error: {error:?}"));
        assert_eq!(api.status().as_u16(), status);
        assert_eq!(api.message(), Some(message));
        assert_eq!(api.code(), Some(code));
        assert_eq!(
            api.correlation_id(),
            Some(format!("corr-{status}").as_str())
        );
        assert_eq!(error.correlation_id(), api.correlation_id());
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
        let body = api.body().unwrap();
        assert_eq!(body.context_id.as_deref(), Some("ctx-1"));
        assert_eq!(
            body.details.as_ref().unwrap()[0].field_name.as_deref(),
            Some("userId")
        );
        assert_eq!(body.limit.as_ref().unwrap().value, Some(300));
        assert_eq!(api.route().template, "/api/v2/tokens/{userId}");
        assert!(api.body_snippet().is_none());

        let shown = error.to_string();
        assert!(
            shown.starts_with(&format!("API error {status} ")),
            "{shown}"
        );
        assert!(shown.contains(message), "{shown}");
        assert!(
            shown.contains(&format!("(correlation id corr-{status})")),
            "{shown}"
        );
        assert!(!shown.contains("test-token-123"), "{shown}");
    }
}

#[tokio::test]
async fn display_reads_like_the_documented_form() {
    let server = TestServer::always(error_body(403, "missing.permissions", "Not allowed")).await;
    let error = client_for(&server).delete_token("u").await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "API error 403 Forbidden: Not allowed [missing.permissions] from DELETE /api/v2/tokens/{userId} (correlation id corr-403)"
    );
}

#[tokio::test]
async fn a_non_json_error_body_still_gives_an_api_error_with_a_snippet() {
    let html = format!(
        "<html><body>502 Bad Gateway{}</body></html>",
        "x".repeat(2000)
    );
    let server = TestServer::always(
        Reply::status(502)
            .header("content-type", "text/html")
            .header("ININ-Correlation-Id", "corr-gw")
            .body(html),
    )
    .await;

    let error = client_for(&server).get_tokens_timeout().await.unwrap_err();

    let api = error.as_api().expect("an API error");
    assert_eq!(api.status().as_u16(), 502);
    assert!(api.body().is_none());
    let snippet = api.body_snippet().expect("a snippet of the body");
    assert!(snippet.starts_with("<html><body>502 Bad Gateway"));
    assert!(
        snippet.len() <= 512 + '…'.len_utf8(),
        "bounded: {}",
        snippet.len()
    );
    assert_eq!(api.correlation_id(), Some("corr-gw"));
    assert!(error.to_string().contains("unexpected body"), "{error}");
}

#[tokio::test]
async fn an_error_status_with_an_empty_body_is_an_api_error() {
    let server = TestServer::always(Reply::status(401)).await;
    let error = client_for(&server).head_tokens_me().await.unwrap_err();
    let api = error.as_api().expect("an API error");
    assert_eq!(api.status().as_u16(), 401);
    assert!(api.body().is_none() && api.body_snippet().is_none());
    assert!(
        error
            .to_string()
            .starts_with("API error 401 Unauthorized from HEAD /api/v2/tokens/me")
    );
}

#[tokio::test]
async fn a_200_with_malformed_json_gives_a_decode_error() {
    let server = TestServer::always(
        Reply::status(200)
            .header("content-type", "application/json")
            .header("ININ-Correlation-Id", "corr-bad")
            .body(r#"{"organization": {"id": "org-1", "#),
    )
    .await;

    let error = client_for(&server).get_tokens_me(None).await.unwrap_err();

    let Error::Decode(decode) = &error else {
        panic!("expected a decode error, got {error:?}");
    };
    assert!(
        decode.type_name().ends_with("TokenInfo"),
        "{}",
        decode.type_name()
    );
    assert!(decode.body_snippet().starts_with(r#"{"organization""#));
    assert_eq!(decode.correlation_id(), Some("corr-bad"));
    assert_eq!(error.status().map(|s| s.as_u16()), Some(200));
    let shown = error.to_string();
    assert!(
        shown.contains("TokenInfo") && shown.contains("corr-bad"),
        "{shown}"
    );
    assert!(
        std::error::Error::source(&error).is_some(),
        "keeps the serde error"
    );
}

#[tokio::test]
async fn a_200_with_the_wrong_shape_gives_a_decode_error() {
    let server = TestServer::always(Reply::json(200, &json!(["not", "an", "object"]))).await;
    let error = client_for(&server).get_tokens_timeout().await.unwrap_err();
    assert!(matches!(error, Error::Decode(_)), "{error:?}");
}

#[tokio::test]
async fn an_empty_200_where_a_model_is_declared_is_a_decode_error() {
    let server = TestServer::always(Reply::status(200)).await;
    let error = client_for(&server).get_tokens_timeout().await.unwrap_err();
    assert!(matches!(error, Error::Decode(_)), "{error:?}");
}

#[tokio::test]
async fn a_closed_port_gives_a_transport_error_with_its_source() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let client = client_at(&url)
        .retry(RetryPolicy::disabled())
        .build()
        .unwrap();

    let error = client.get_tokens_timeout().await.unwrap_err();

    let Error::Transport(transport) = &error else {
        panic!("expected a transport error, got {error:?}");
    };
    assert!(transport.is_connect());
    assert!(std::error::Error::source(&error).is_some());
    assert!(
        error.to_string().contains("GET /api/v2/tokens/timeout"),
        "{error}"
    );
}
