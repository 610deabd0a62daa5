//! An endpoint declared to return the full response gets status, headers and the
//! correlation id next to the decoded body (the JavaScript SDK's `HTTPResponse`).

use genesys_api_tokens::TokenInfo;
use genesys_runtime::{Api, Response, Result, endpoint};
use genesys_tests::{Reply, TestServer, client_for};
use serde_json::json;

/// The Tokens `GET /me`, declared to return the full response.
pub trait TokensWithHeaders: Api {
    /// Fetch information about the current token, with status and headers.
    #[endpoint(method = "GET", path = "/api/v2/tokens/me")]
    async fn get_tokens_me_full(&self) -> Result<Response<TokenInfo>>;

    /// Verify the token, with status and headers.
    #[endpoint(method = "HEAD", path = "/api/v2/tokens/me")]
    async fn head_tokens_me_full(&self) -> Result<Response<()>>;

    /// A job started: `202 Accepted` with a status document and a `Location`.
    #[endpoint(method = "POST", path = "/api/v2/jobs")]
    async fn start_job(&self) -> Result<Response<()>>;

    /// The same, ignoring everything.
    #[endpoint(method = "POST", path = "/api/v2/jobs")]
    async fn start_job_quietly(&self) -> Result<()>;
}
impl<T: Api + ?Sized> TokensWithHeaders for T {}

#[tokio::test]
async fn full_response_carries_status_headers_and_correlation_id() {
    let server = TestServer::always(
        Reply::json(200, &json!({"organization": {"id": "org-1"}}))
            .header("ININ-Correlation-Id", "corr-full")
            .header("X-Custom", "yes"),
    )
    .await;
    let client = client_for(&server);

    let response = client.get_tokens_me_full().await.unwrap();

    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.correlation_id(), Some("corr-full"));
    assert_eq!(response.headers()["x-custom"], "yes");
    let body = response.into_body();
    assert_eq!(body.organization.unwrap().id.as_deref(), Some("org-1"));
}

#[tokio::test]
async fn head_full_response_has_an_empty_body() {
    let server =
        TestServer::always(Reply::status(200).header("ININ-Correlation-Id", "corr-head")).await;
    let client = client_for(&server);

    let response = client.head_tokens_me_full().await.unwrap();

    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.correlation_id(), Some("corr-head"));
    assert_eq!(server.only_request().method, "HEAD");
}

#[tokio::test]
async fn unit_ignores_a_2xx_body_the_same_way_everywhere() {
    let server = TestServer::always(
        Reply::json(202, &json!({"id": "job-1", "state": "Queued"}))
            .header("Location", "/api/v2/jobs/job-1"),
    )
    .await;
    let client = client_for(&server);

    let accepted = client.start_job().await.unwrap();
    assert_eq!(accepted.status().as_u16(), 202);
    assert_eq!(accepted.headers()["location"], "/api/v2/jobs/job-1");
    client.start_job_quietly().await.unwrap();
}
