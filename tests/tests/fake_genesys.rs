//! The local Genesys fake, tested only through the public client: each rule it implements.

use std::time::{Duration, Instant};

use genesys_api_tokens::fake::{
    DEFAULT_USER_ID, FakeClient, FakeGenesys, PERMISSION_ORGANIZATION_ADMIN,
};
use genesys_api_tokens::{IdleTokenTimeout, TokensApi};
use genesys_runtime::{Client, Error, RetryPolicy};

fn with_token(fake: &FakeGenesys, token: &str) -> Client {
    Client::builder()
        .base_url(fake.url())
        .access_token(token)
        .retry(RetryPolicy::disabled())
        .build()
        .unwrap()
}

/// A client logging in at the fake as OAuth client `id` (secret `s`).
fn as_client(fake: &FakeGenesys, id: &str) -> Client {
    Client::builder()
        .base_url(fake.url())
        .client_credentials(id, "s")
        .build()
        .unwrap()
}

/// The `ErrorBody` message of an API error.
fn message(error: &Error) -> &str {
    error
        .as_api()
        .and_then(|api| api.message())
        .unwrap_or_default()
}

fn status(error: &Error) -> u16 {
    error.status().map_or(0, |s| s.as_u16())
}

#[tokio::test]
async fn client_credentials_login_issues_working_tokens() {
    let fake = FakeGenesys::start().await;
    let client = fake.client_builder().build().unwrap();

    client.head_tokens_me().await.unwrap();

    let log = fake.requests();
    assert_eq!(log[0].path, "/oauth/token");
    assert_eq!(log[0].status, 200);
    assert_eq!(log[1].path, "/api/v2/tokens/me");
}

#[tokio::test]
async fn wrong_credentials_get_the_real_oauth_error_shape() {
    let fake = FakeGenesys::start().await;
    let client = Client::builder()
        .base_url(fake.url())
        .client_credentials("fake-client-id", "wrong-secret")
        .build()
        .unwrap();

    let error = client.head_tokens_me().await.unwrap_err();

    let Error::Auth(auth) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(auth.status().as_u16(), 401);
    assert_eq!(auth.error(), Some("invalid_client"));
    assert!(auth.description().is_some());
    assert!(auth.correlation_id().is_some());
}

#[tokio::test]
async fn missing_unknown_and_revoked_tokens_get_401_with_an_error_body() {
    let fake = FakeGenesys::start().await;

    let anonymous = Client::builder().base_url(fake.url()).build().unwrap();
    let error = anonymous.get_tokens_timeout().await.unwrap_err();
    assert_eq!(status(&error), 401);
    assert_eq!(error.as_api().unwrap().code(), Some("bad.credentials"));
    assert!(message(&error).contains("No authentication"), "{error}");

    let error = with_token(&fake, "made-up")
        .get_tokens_timeout()
        .await
        .unwrap_err();
    assert_eq!(status(&error), 401);
    assert_eq!(error.as_api().unwrap().code(), Some("bad.credentials"));

    let token = fake.issue_user_token(DEFAULT_USER_ID).unwrap();
    let user = with_token(&fake, &token);
    user.delete_tokens_me().await.unwrap();
    let error = user.get_tokens_me(None).await.unwrap_err();
    assert_eq!(status(&error), 401);
    assert!(message(&error).contains("revoked"), "{error}");
}

#[tokio::test]
async fn expired_tokens_get_401() {
    let fake = FakeGenesys::builder()
        .client(FakeClient::new("c", "s"))
        .token_lifetime(Duration::from_millis(300))
        .start()
        .await;
    let body = "grant_type=client_credentials";
    // Log in by hand to hold one fixed token that will expire.
    let token = {
        let response = login_by_hand(&fake.url(), "c", "s", body).await;
        response["access_token"].as_str().unwrap().to_owned()
    };
    let client = with_token(&fake, &token);
    client.head_tokens_me().await.unwrap();

    tokio::time::sleep(Duration::from_millis(400)).await;

    let error = client.get_tokens_me(None).await.unwrap_err();
    assert_eq!(status(&error), 401);
    assert!(message(&error).contains("expired"), "{error}");
}

/// Logs in through the fake's token endpoint with a plain HTTP/1.1 request over a socket.
async fn login_by_hand(url: &str, id: &str, secret: &str, body: &str) -> serde_json::Value {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = url.trim_start_matches("http://");
    let mut socket = tokio::net::TcpStream::connect(addr).await.unwrap();
    let basic = base64(&format!("{id}:{secret}"));
    let request = format!(
        "POST /oauth/token HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Basic {basic}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    socket.write_all(request.as_bytes()).await.unwrap();
    let mut response = String::new();
    socket.read_to_string(&mut response).await.unwrap();
    let json = response.split("\r\n\r\n").nth(1).unwrap();
    serde_json::from_str(json).unwrap()
}

fn base64(text: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let bytes = text.as_bytes();
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[tokio::test]
async fn head_me_answers_200_or_401() {
    let fake = FakeGenesys::start().await;
    let token = fake.issue_user_token(DEFAULT_USER_ID).unwrap();

    with_token(&fake, &token).head_tokens_me().await.unwrap();
    let error = with_token(&fake, "nope")
        .head_tokens_me()
        .await
        .unwrap_err();

    assert_eq!(status(&error), 401);
    assert_eq!(fake.requests().last().unwrap().status, 401);
}

#[tokio::test]
async fn delete_me_revokes_only_the_calling_token() {
    let fake = FakeGenesys::start().await;
    let first = fake.issue_user_token(DEFAULT_USER_ID).unwrap();
    let second = fake.issue_user_token(DEFAULT_USER_ID).unwrap();

    with_token(&fake, &first).delete_tokens_me().await.unwrap();

    assert_eq!(
        status(
            &with_token(&fake, &first)
                .head_tokens_me()
                .await
                .unwrap_err()
        ),
        401
    );
    with_token(&fake, &second).head_tokens_me().await.unwrap();
}

#[tokio::test]
async fn delete_user_revokes_every_token_of_that_user() {
    let fake = FakeGenesys::start().await;
    let tokens: Vec<String> = (0..3)
        .map(|_| fake.issue_user_token(DEFAULT_USER_ID).unwrap())
        .collect();
    let admin = fake.client_builder().build().unwrap();

    admin.delete_token(DEFAULT_USER_ID).await.unwrap();

    for token in &tokens {
        let error = with_token(&fake, token).head_tokens_me().await.unwrap_err();
        assert_eq!(status(&error), 401);
    }
    admin
        .head_tokens_me()
        .await
        .expect("the admin's own token is untouched");
    assert_eq!(
        fake.requests()
            .iter()
            .find(|r| r.method == "DELETE")
            .unwrap()
            .status,
        204
    );
}

#[tokio::test]
async fn delete_user_needs_the_permission_and_a_known_user() {
    let fake = FakeGenesys::builder()
        .client(FakeClient::new("weak", "s"))
        .client(FakeClient::new("admin", "s").permission("oauth:token:delete"))
        .user("u-1", "Ada")
        .start()
        .await;
    let client = |id: &str| as_client(&fake, id);

    let error = client("weak").delete_token("u-1").await.unwrap_err();
    assert_eq!(status(&error), 403);
    assert!(message(&error).contains("oauth:token:delete"), "{error}");

    let error = client("admin")
        .delete_token("no-such-user")
        .await
        .unwrap_err();
    assert_eq!(status(&error), 404);
    assert_eq!(error.as_api().unwrap().code(), Some("not.found"));

    client("admin").delete_token("u-1").await.unwrap();
}

#[tokio::test]
async fn get_me_reports_the_caller_and_moves_the_idle_date_unless_preserved() {
    let fake = FakeGenesys::builder()
        .organization("Acme")
        .client(FakeClient::new("c-1", "s").name("Acme integration"))
        .start()
        .await;
    let client = as_client(&fake, "c-1");

    let first = client.get_tokens_me(None).await.unwrap();
    assert_eq!(
        first.organization.as_ref().unwrap().name.as_deref(),
        Some("Acme")
    );
    assert_eq!(
        first.authorized_scope.as_deref(),
        Some(&["tokens".to_owned()][..])
    );
    let oauth = first.oauth_client.as_ref().unwrap();
    assert_eq!(oauth.id.as_deref(), Some("c-1"));
    assert_eq!(oauth.name.as_deref(), Some("Acme integration"));
    let idles = first
        .date_token_idles
        .expect("the org enforces an idle timeout");

    tokio::time::sleep(Duration::from_millis(20)).await;
    let preserved = client.get_tokens_me(Some(true)).await.unwrap();
    assert_eq!(
        preserved.date_token_idles,
        Some(idles),
        "preserveIdleTTL=true keeps it"
    );

    tokio::time::sleep(Duration::from_millis(20)).await;
    let moved = client.get_tokens_me(Some(false)).await.unwrap();
    assert!(
        moved.date_token_idles.unwrap() > idles,
        "an ordinary call resets the timer"
    );
}

#[tokio::test]
async fn the_timeout_setting_is_stored_and_validated() {
    let fake = FakeGenesys::start().await;
    let client = fake.client_builder().build().unwrap();

    let before = client.get_tokens_timeout().await.unwrap();
    assert_eq!(before.idle_token_timeout_seconds, Some(1800));

    let stored = client
        .put_tokens_timeout(Some(
            &IdleTokenTimeout::new().with_idle_token_timeout_seconds(7200),
        ))
        .await
        .unwrap();
    assert_eq!(stored.idle_token_timeout_seconds, Some(7200));
    assert_eq!(
        stored.enable_idle_token_timeout,
        Some(true),
        "unset fields are kept"
    );
    assert_eq!(
        client
            .get_tokens_timeout()
            .await
            .unwrap()
            .idle_token_timeout_seconds,
        Some(7200)
    );

    for seconds in [299, 28_801, -1] {
        let error = client
            .put_tokens_timeout(Some(
                &IdleTokenTimeout::new().with_idle_token_timeout_seconds(seconds),
            ))
            .await
            .unwrap_err();
        let api = error.as_api().unwrap();
        assert_eq!(api.status().as_u16(), 400);
        let detail = &api.body().unwrap().details.as_ref().unwrap()[0];
        assert_eq!(
            detail.field_name.as_deref(),
            Some("idleTokenTimeoutSeconds")
        );
        assert!(api.message().unwrap().contains(&seconds.to_string()));
    }
    assert_eq!(
        client
            .get_tokens_timeout()
            .await
            .unwrap()
            .idle_token_timeout_seconds,
        Some(7200),
        "refused updates change nothing"
    );
}

#[tokio::test]
async fn changing_the_timeout_needs_the_admin_permission() {
    let fake = FakeGenesys::builder()
        .client(FakeClient::new("reader", "s"))
        .client(FakeClient::new("admin", "s").permission(PERMISSION_ORGANIZATION_ADMIN))
        .start()
        .await;
    let client = |id: &str| as_client(&fake, id);
    let change = IdleTokenTimeout::new().with_idle_token_timeout_seconds(900);

    let error = client("reader")
        .put_tokens_timeout(Some(&change))
        .await
        .unwrap_err();
    assert_eq!(status(&error), 403);
    client("reader")
        .get_tokens_timeout()
        .await
        .expect("reading needs no permission");
    client("admin")
        .put_tokens_timeout(Some(&change))
        .await
        .unwrap();
}

#[tokio::test]
async fn every_response_carries_a_correlation_id() {
    let fake = FakeGenesys::start().await;
    let client = fake.client_builder().build().unwrap();
    client.head_tokens_me().await.unwrap();
    let error = with_token(&fake, "bad")
        .get_tokens_timeout()
        .await
        .unwrap_err();

    let log = fake.requests();
    assert!(log.iter().all(|r| !r.correlation_id.is_empty()));
    let mut ids: Vec<&str> = log.iter().map(|r| r.correlation_id.as_str()).collect();
    ids.dedup();
    assert_eq!(ids.len(), log.len(), "unique per response");
    assert_eq!(
        error.correlation_id(),
        Some(log.last().unwrap().correlation_id.as_str())
    );
}

#[tokio::test]
async fn injected_rate_limits_carry_retry_after() {
    let fake = FakeGenesys::start().await;
    let token = fake.issue_user_token(DEFAULT_USER_ID).unwrap();

    fake.inject_rate_limit(1, Duration::from_secs(30));
    let error = with_token(&fake, &token)
        .get_tokens_timeout()
        .await
        .unwrap_err();
    let api = error.as_api().unwrap();
    assert_eq!(api.status().as_u16(), 429);
    assert_eq!(api.retry_after(), Some(Duration::from_secs(30)));
    assert_eq!(api.code(), Some("too.many.requests"));

    // A client with retries on rides out a short limit.
    fake.inject_rate_limit(2, Duration::from_secs(0));
    let patient = Client::builder()
        .base_url(fake.url())
        .access_token(token)
        .build()
        .unwrap();
    patient.get_tokens_timeout().await.unwrap();
    let statuses: Vec<u16> = fake
        .requests()
        .iter()
        .rev()
        .take(3)
        .map(|r| r.status.as_u16())
        .collect();
    assert_eq!(statuses, [200, 429, 429]);
}

#[tokio::test]
async fn injected_5xx_bursts_and_latency() {
    let fake = FakeGenesys::start().await;
    let token = fake.issue_user_token(DEFAULT_USER_ID).unwrap();

    fake.inject_errors(2, 503);
    let error = with_token(&fake, &token)
        .get_tokens_timeout()
        .await
        .unwrap_err();
    assert_eq!(status(&error), 503);
    let retrying = Client::builder()
        .base_url(fake.url())
        .access_token(token.clone())
        .retry(RetryPolicy::default().initial_backoff(Duration::from_millis(10)))
        .build()
        .unwrap();
    retrying
        .get_tokens_timeout()
        .await
        .expect("one 503 left, then 200");

    fake.inject_latency(Duration::from_millis(1500));
    let impatient = Client::builder()
        .base_url(fake.url())
        .access_token(token.clone())
        .request_timeout(Duration::from_millis(100))
        .build()
        .unwrap();
    let started = Instant::now();
    let error = impatient.head_tokens_me().await.unwrap_err();
    assert!(matches!(error, Error::Timeout(_)), "{error:?}");
    assert!(started.elapsed() < Duration::from_millis(1000));
    fake.inject_latency(Duration::ZERO);
    with_token(&fake, &token).head_tokens_me().await.unwrap();
}
