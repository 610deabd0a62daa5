//! Credentials users plug in: a user-written `TokenSource` keeps the runtime's caching,
//! single-flight renewal and 401 replay; the refresh-token grant against the local fake.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use genesys_api_tokens::TokensApi;
use genesys_api_tokens::fake::{
    DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_USER_ID, FakeClient, FakeGenesys,
};
use genesys_runtime::auth::{Login, RefreshTokenGrant, Token, TokenFuture, TokenSource};
use genesys_runtime::{Client, Error};
use genesys_tests::{Reply, TestServer};
use serde_json::json;

/// Hands out `user-1`, `user-2`, … from somewhere only the program knows.
#[derive(Debug, Default)]
struct Numbered {
    fetched: AtomicUsize,
}

impl TokenSource for Numbered {
    fn token<'a>(&'a self, _login: Login<'a>) -> TokenFuture<'a> {
        Box::pin(async move {
            tokio::time::sleep(Duration::from_millis(50)).await; // let callers pile up
            let n = self.fetched.fetch_add(1, Ordering::SeqCst) + 1;
            Ok(Token::new(format!("user-{n}")).expires_in(Duration::from_secs(3600)))
        })
    }
}

/// An API that refuses `user-1` (revoked) and accepts any other token.
async fn api() -> TestServer {
    TestServer::start(|request, _| match request.header("authorization") {
        Some("Bearer user-1") => Reply::json(401, &json!({"message": "revoked"})),
        Some(_) => Reply::json(200, &json!({"idleTokenTimeoutSeconds": 900})),
        None => Reply::status(400),
    })
    .await
}

#[tokio::test]
async fn a_user_written_source_is_cached_shared_and_renewed_on_401() {
    let server = api().await;
    let source = Arc::new(Numbered::default());
    let client = Client::builder()
        .base_url(server.url())
        .token_source(source.clone())
        .build()
        .unwrap();

    // 16 concurrent first calls: one fetch (user-1), all refused, one renewal (user-2),
    // each call replayed once.
    let calls: Vec<_> = (0..16)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.get_tokens_timeout().await })
        })
        .collect();
    for call in calls {
        call.await.unwrap().unwrap();
    }
    assert_eq!(
        source.fetched.load(Ordering::SeqCst),
        2,
        "one fetch, one renewal"
    );

    client.get_tokens_timeout().await.unwrap();
    assert_eq!(source.fetched.load(Ordering::SeqCst), 2, "cached");
    let last = server.requests().last().unwrap().clone();
    assert_eq!(last.header("authorization"), Some("Bearer user-2"));
}

/// A source that cannot renew: its token's 401 is final.
#[derive(Debug)]
struct Fixed;

impl TokenSource for Fixed {
    fn token<'a>(&'a self, _login: Login<'a>) -> TokenFuture<'a> {
        Box::pin(async { Ok(Token::new("user-1")) })
    }
    fn can_renew(&self) -> bool {
        false
    }
}

#[tokio::test]
async fn a_source_that_cannot_renew_makes_a_401_final() {
    let server = api().await;
    let client = Client::builder()
        .base_url(server.url())
        .token_source(Fixed)
        .build()
        .unwrap();
    let error = client.get_tokens_timeout().await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_source_error_reaches_the_caller_and_nothing_is_sent() {
    #[derive(Debug)]
    struct Broken;
    impl TokenSource for Broken {
        fn token<'a>(&'a self, login: Login<'a>) -> TokenFuture<'a> {
            Box::pin(async move {
                // Any grant can be asked for through the client's own token request.
                let request = genesys_runtime::auth::TokenRequest::new("password", "cli")
                    .secret_param("password", "hunter2");
                Ok(login.request(request).await?.into())
            })
        }
    }
    let server = TestServer::always(Reply::json(
        400,
        &json!({"error": "unsupported_grant_type", "error_description": "no password grant, hunter2"}),
    ))
    .await;
    let client = Client::builder()
        .base_url(server.url())
        .token_source(Broken)
        .build()
        .unwrap();

    let error = client.get_tokens_timeout().await.unwrap_err();

    let Error::Auth(auth) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(auth.grant_type(), "password");
    assert_eq!(auth.description(), Some("no password grant, <redacted>"));
    assert_eq!(server.only_request().path, "/oauth/token");
    assert_eq!(
        &server.only_request().body[..],
        b"grant_type=password&client_id=cli&password=hunter2"
    );
}

#[tokio::test]
async fn the_refresh_grant_renews_an_expired_user_token_once_and_replays_the_call() {
    let fake = FakeGenesys::start().await;
    let signed_in = fake
        .sign_in_user(DEFAULT_CLIENT_ID, DEFAULT_USER_ID)
        .unwrap();
    let grant = Arc::new(
        RefreshTokenGrant::new(DEFAULT_CLIENT_ID, signed_in.refresh_token.as_str())
            .client_secret(DEFAULT_CLIENT_SECRET)
            .first_token(
                Token::new(signed_in.access_token.as_str()).expires_in(signed_in.expires_in),
            ),
    );
    let client = Client::builder()
        .base_url(fake.url())
        .token_source(grant.clone())
        .build()
        .unwrap();

    // The sign-in's access token is used as is: no token request.
    let me = client.get_tokens_me(None).await.unwrap();
    assert_eq!(me.cloned_user.unwrap().id.as_deref(), Some(DEFAULT_USER_ID));
    let grant_type = me.oauth_client.unwrap().authorized_grant_type.unwrap();
    assert_eq!(grant_type, genesys_api_tokens::AuthorizedGrantType::Code);
    assert!(fake.requests().iter().all(|r| r.path != "/oauth/token"));

    // It expires early (the client still believes it fresh): 401, one refresh, replay.
    assert!(fake.expire_token(&signed_in.access_token));
    let before = fake.requests().len();
    client.get_tokens_me(None).await.unwrap();
    let after: Vec<(String, u16)> = fake.requests()[before..]
        .iter()
        .map(|r| (r.path.clone(), r.status.as_u16()))
        .collect();
    assert_eq!(
        after,
        [
            ("/api/v2/tokens/me".to_owned(), 401),
            ("/oauth/token".to_owned(), 200),
            ("/api/v2/tokens/me".to_owned(), 200),
        ]
    );
    assert_eq!(
        grant.refresh_token().expose_secret(),
        signed_in.refresh_token
    );
}

#[tokio::test]
async fn a_revoked_refresh_token_is_an_auth_error_that_says_sign_in_again() {
    let fake = FakeGenesys::start().await;
    let signed_in = fake
        .sign_in_user(DEFAULT_CLIENT_ID, DEFAULT_USER_ID)
        .unwrap();
    // An admin revokes every token of the user, refresh tokens included.
    let admin = fake.client_builder().build().unwrap();
    admin.delete_token(DEFAULT_USER_ID).await.unwrap();

    let grant = RefreshTokenGrant::new(DEFAULT_CLIENT_ID, signed_in.refresh_token.as_str())
        .client_secret(DEFAULT_CLIENT_SECRET);
    let client = Client::builder()
        .base_url(fake.url())
        .token_source(grant)
        .build()
        .unwrap();
    let error = client.head_tokens_me().await.unwrap_err();

    let Error::Auth(auth) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(auth.status().as_u16(), 400);
    assert_eq!(auth.error(), Some("invalid_grant"));
    assert_eq!(auth.grant_type(), "refresh_token");
    let shown = format!("{error} {error:?}");
    assert!(shown.contains("sign the user in again"), "{shown}");
    assert!(!shown.contains(&signed_in.refresh_token), "{shown}");
}

#[tokio::test]
async fn a_public_pkce_client_refreshes_with_its_id_in_the_form_and_nothing_leaks() {
    let fake = FakeGenesys::builder()
        .client(FakeClient::new("pkce-app", "")) // public: no secret
        .user(DEFAULT_USER_ID, "Ada Lovelace")
        .start()
        .await;
    let signed_in = fake.sign_in_user("pkce-app", DEFAULT_USER_ID).unwrap();
    let client = Client::builder()
        .base_url(fake.url())
        .token_source(RefreshTokenGrant::new(
            "pkce-app",
            signed_in.refresh_token.as_str(),
        ))
        .build()
        .unwrap();

    // No first token: the first call refreshes.
    let me = client.get_tokens_me(None).await.unwrap();
    assert_eq!(me.cloned_user.unwrap().id.as_deref(), Some(DEFAULT_USER_ID));
    let paths: Vec<String> = fake.requests().iter().map(|r| r.path.clone()).collect();
    assert_eq!(paths, ["/oauth/token", "/api/v2/tokens/me"]);
    // The source by its type only: nothing of its state (not even the client id).
    let shown = format!("{client:?}");
    assert!(shown.contains("RefreshTokenGrant"), "{shown}");
    assert!(!shown.contains("pkce-app"), "{shown}");
    assert!(!shown.contains(&signed_in.refresh_token), "{shown}");
}
