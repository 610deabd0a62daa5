//! Client-credentials login against a loopback token endpoint: caching, renewal, single
//! flight under concurrency, 401 renewal and replay, and typed login errors.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use genesys_api_tokens::TokensApi;
use genesys_runtime::{Client, ClientBuilder, Error, Region};
use genesys_tests::{Recorded, Reply, TestServer};
use serde_json::json;

const BASIC_CLIENT_1: &str = "Basic Y2xpZW50LTE6c2VjcmV0LTE="; // client-1:secret-1

fn is_token_request(request: &Recorded) -> bool {
    request.path == "/oauth/token"
}

/// A server issuing `tok-1`, `tok-2`, … valid for `expires_in` seconds, and answering the
/// API with `api(request, token number)`.
async fn login_server(
    expires_in: u64,
    api: impl Fn(&Recorded, usize) -> Reply + Send + Sync + 'static,
) -> (TestServer, Arc<AtomicUsize>) {
    let issued = Arc::new(AtomicUsize::new(0));
    let counter = issued.clone();
    let server = TestServer::start(move |request, _| {
        if is_token_request(request) {
            let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
            Reply::json(
                200,
                &json!({"access_token": format!("tok-{n}"), "token_type": "bearer", "expires_in": expires_in}),
            )
            .delay(Duration::from_millis(50)) // let concurrent callers pile up
        } else {
            let token: usize = request
                .header("authorization")
                .and_then(|v| v.strip_prefix("Bearer tok-"))
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
            api(request, token)
        }
    })
    .await;
    (server, issued)
}

fn credentials_client(server: &TestServer) -> Client {
    Client::builder()
        .base_url(server.url())
        .client_credentials("client-1", "secret-1")
        .build()
        .unwrap()
}

fn timeout_reply() -> Reply {
    Reply::json(200, &json!({"idleTokenTimeoutSeconds": 900}))
}

#[tokio::test]
async fn the_token_request_is_a_basic_auth_client_credentials_form_post() {
    let (server, issued) = login_server(3600, |_, _| timeout_reply()).await;
    let client = credentials_client(&server);

    client.get_tokens_timeout().await.unwrap();
    client.get_tokens_timeout().await.unwrap();

    assert_eq!(issued.load(Ordering::SeqCst), 1, "the token is cached");
    let requests = server.requests();
    let login = &requests[0];
    assert_eq!(login.method, "POST");
    assert_eq!(login.path, "/oauth/token");
    assert_eq!(login.header("authorization"), Some(BASIC_CLIENT_1));
    assert_eq!(
        login.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(&login.body[..], b"grant_type=client_credentials");
    for call in &requests[1..] {
        assert_eq!(call.header("authorization"), Some("Bearer tok-1"));
    }
}

#[tokio::test]
async fn sixty_four_concurrent_calls_with_an_expired_token_make_one_token_request() {
    // Tokens live 1 s; after 1.2 s the first one has expired.
    let (server, issued) = login_server(1, |_, _| timeout_reply()).await;
    let client = credentials_client(&server);
    client.get_tokens_timeout().await.unwrap();
    assert_eq!(issued.load(Ordering::SeqCst), 1);
    tokio::time::sleep(Duration::from_millis(1200)).await;

    let calls: Vec<_> = (0..64)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.get_tokens_timeout().await })
        })
        .collect();
    for call in calls {
        call.await.unwrap().unwrap();
    }

    assert_eq!(
        issued.load(Ordering::SeqCst),
        2,
        "64 concurrent calls share one renewal"
    );
    let api_calls: Vec<_> = server
        .requests()
        .into_iter()
        .filter(|r| !is_token_request(r))
        .collect();
    assert_eq!(api_calls.len(), 65);
    assert!(
        api_calls[1..]
            .iter()
            .all(|r| r.header("authorization") == Some("Bearer tok-2"))
    );
}

#[tokio::test]
async fn a_401_on_a_renewable_token_renews_once_and_replays_once() {
    // tok-1 has been revoked on the server; tok-2 works.
    let (server, issued) = login_server(3600, |_, token| match token {
        1 => Reply::json(
            401,
            &json!({"message": "revoked", "code": "bad.credentials"}),
        ),
        _ => timeout_reply(),
    })
    .await;

    let timeout = credentials_client(&server)
        .get_tokens_timeout()
        .await
        .unwrap();

    assert_eq!(timeout.idle_token_timeout_seconds, Some(900));
    assert_eq!(issued.load(Ordering::SeqCst), 2, "one renewal");
    let paths: Vec<String> = server.requests().iter().map(|r| r.path.clone()).collect();
    assert_eq!(
        paths,
        [
            "/oauth/token",
            "/api/v2/tokens/timeout",
            "/oauth/token",
            "/api/v2/tokens/timeout"
        ],
        "one replay"
    );
}

#[tokio::test]
async fn a_second_401_is_final() {
    let (server, issued) = login_server(3600, |_, _| {
        Reply::json(401, &json!({"message": "no", "code": "bad.credentials"}))
    })
    .await;

    let error = credentials_client(&server)
        .get_tokens_timeout()
        .await
        .unwrap_err();

    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(issued.load(Ordering::SeqCst), 2);
    assert_eq!(
        server.requests().len(),
        4,
        "token, call, token, call: no loop"
    );
}

#[tokio::test]
async fn a_401_with_a_fixed_token_is_final() {
    let server = TestServer::always(Reply::json(401, &json!({"message": "expired"}))).await;
    let client = Client::builder()
        .base_url(server.url())
        .access_token("fixed")
        .build()
        .unwrap();

    let error = client.get_tokens_timeout().await.unwrap_err();

    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_refused_login_is_a_typed_auth_error() {
    let server = TestServer::always(
        Reply::json(
            401,
            &json!({"error": "invalid_client", "error_description": "client not found"}),
        )
        .header("ININ-Correlation-Id", "corr-login"),
    )
    .await;

    let error = credentials_client(&server)
        .get_tokens_timeout()
        .await
        .unwrap_err();

    let Error::Auth(auth) = &error else {
        panic!("expected an auth error, got {error:?}");
    };
    assert_eq!(auth.status().as_u16(), 401);
    assert_eq!(auth.error(), Some("invalid_client"));
    assert_eq!(auth.description(), Some("client not found"));
    assert_eq!(auth.correlation_id(), Some("corr-login"));
    let shown = error.to_string();
    assert!(
        shown.contains("invalid_client") && shown.contains("client id and secret"),
        "{shown}"
    );
    assert_eq!(server.requests().len(), 1, "no API call without a token");
}

#[tokio::test]
async fn a_login_error_with_description_instead_of_error_description() {
    let server = TestServer::always(Reply::json(
        400,
        &json!({"error": "invalid_request", "description": "grant type not allowed"}),
    ))
    .await;

    let error = credentials_client(&server)
        .head_tokens_me()
        .await
        .unwrap_err();

    let Error::Auth(auth) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(auth.description(), Some("grant type not allowed"));
}

#[tokio::test]
async fn a_broken_token_endpoint_is_an_error_not_a_panic() {
    for reply in [
        Reply::status(500).body("<html>oops</html>"),
        Reply::json(200, &json!({"token_type": "bearer"})),
        Reply::status(200).body("not json"),
    ] {
        let server = TestServer::always(reply).await;
        let error = credentials_client(&server)
            .get_tokens_timeout()
            .await
            .unwrap_err();
        assert!(matches!(error, Error::Auth(_)), "{error:?}");
    }
}

#[tokio::test]
async fn an_explicit_login_url_is_used_for_tokens() {
    let (login, issued) = login_server(3600, |_, _| Reply::status(500)).await;
    let api = TestServer::always(timeout_reply()).await;
    let client = Client::builder()
        .base_url(api.url())
        .login_url(login.url())
        .client_credentials("client-1", "secret-1")
        .build()
        .unwrap();

    client.get_tokens_timeout().await.unwrap();

    assert_eq!(issued.load(Ordering::SeqCst), 1);
    assert_eq!(
        api.only_request().header("authorization"),
        Some("Bearer tok-1")
    );
}

#[test]
fn configuration_from_the_genesys_environment_variables() {
    let env = |pairs: &'static [(&'static str, &'static str)]| {
        move |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        }
    };

    let client = ClientBuilder::from_lookup(env(&[
        ("GENESYSCLOUD_REGION", "eu_central_1"),
        ("GENESYSCLOUD_OAUTHCLIENT_ID", "id"),
        ("GENESYSCLOUD_OAUTHCLIENT_SECRET", "secret"),
    ]))
    .unwrap()
    .build()
    .unwrap();
    assert_eq!(client.base_url(), Region::EuCentral1.api_base_url());
    let shown = format!("{client:?}");
    assert!(
        shown.contains("https://login.mypurecloud.de/oauth/token"),
        "{shown}"
    );

    let client = ClientBuilder::from_lookup(env(&[
        ("GENESYSCLOUD_REGION", "api.usw2.pure.cloud"),
        ("GENESYSCLOUD_ACCESS_TOKEN", "tok"),
    ]))
    .unwrap()
    .build()
    .unwrap();
    assert_eq!(client.base_url(), "https://api.usw2.pure.cloud");

    let default_region = ClientBuilder::from_lookup(env(&[("GENESYSCLOUD_ACCESS_TOKEN", "tok")]))
        .unwrap()
        .build()
        .unwrap();
    assert_eq!(default_region.base_url(), "https://api.mypurecloud.com");

    let error = ClientBuilder::from_lookup(env(&[
        ("GENESYSCLOUD_REGION", "mars-1"),
        ("GENESYSCLOUD_ACCESS_TOKEN", "tok"),
    ]))
    .unwrap_err()
    .to_string();
    assert!(
        error.contains("GENESYSCLOUD_REGION") && error.contains("us-east-1"),
        "{error}"
    );

    let error = ClientBuilder::from_lookup(env(&[]))
        .unwrap_err()
        .to_string();
    assert!(error.contains("GENESYSCLOUD_ACCESS_TOKEN"), "{error}");

    let error = ClientBuilder::from_lookup(env(&[("GENESYSCLOUD_OAUTHCLIENT_ID", "id")]))
        .unwrap_err()
        .to_string();
    assert!(error.contains("GENESYSCLOUD_OAUTHCLIENT_SECRET"), "{error}");
}
