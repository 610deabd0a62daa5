//! One token fetch for every caller, whatever its outcome, one behaviour per test: concurrent
//! calls share a failing fetch's error (one fetch, not one each, and none again for a second
//! after it), each caller waits no longer than its own bound, a source that never answers
//! cannot hang the client, a panic in a source is contained, a renewal that fails leaves the
//! calls on the still-valid token, and a source's own state never shows.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use genesys_api_tokens::TokensApi;
use genesys_runtime::auth::{Login, Token, TokenFuture, TokenSource};
use genesys_runtime::{CallOptions, Client, Error, TokenSourceError};
use genesys_tests::{Reply, TestServer};
use serde_json::json;

/// An API that answers 200 to any call, recording what it got.
async fn api() -> TestServer {
    TestServer::always(Reply::json(200, &json!({"idleTokenTimeoutSeconds": 900}))).await
}

fn client(server: &TestServer, source: impl TokenSource) -> Client {
    Client::builder()
        .base_url(server.url())
        .token_source(source)
        .build()
        .unwrap()
}

/// Runs `calls` concurrent calls; returns each outcome and the slowest caller's wait.
async fn concurrently(
    client: &Client,
    calls: usize,
) -> (Vec<genesys_runtime::Result<()>>, Duration) {
    let started = Instant::now();
    let tasks: Vec<_> = (0..calls)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move {
                let result = client.get_tokens_timeout().await.map(drop);
                (result, started.elapsed())
            })
        })
        .collect();
    let mut results = Vec::new();
    let mut slowest = Duration::ZERO;
    for task in tasks {
        let (result, waited) = task.await.unwrap();
        results.push(result);
        slowest = slowest.max(waited);
    }
    (results, slowest)
}

/// A vault that is sealed: each fetch takes 100 ms, then fails with the vault's own error.
#[derive(Default)]
struct Sealed {
    fetches: AtomicUsize,
}

impl TokenSource for Sealed {
    fn token<'a>(&'a self, _login: Login<'a>) -> TokenFuture<'a> {
        Box::pin(async move {
            self.fetches.fetch_add(1, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(100)).await;
            Err(TokenSourceError::new(std::io::Error::other("the vault is sealed")).into())
        })
    }
}

#[tokio::test]
async fn sixty_four_calls_share_one_failing_fetch_and_its_typed_error() {
    let server = api().await;
    let source = Arc::new(Sealed::default());
    let client = client(&server, source.clone());

    let (results, slowest) = concurrently(&client, 64).await;

    assert_eq!(source.fetches.load(Ordering::SeqCst), 1, "one fetch for 64");
    assert!(
        slowest < Duration::from_secs(1),
        "slowest caller {slowest:?}"
    );
    for result in results {
        let error = result.unwrap_err();
        let Error::TokenSource(failed) = &error else {
            panic!("{error:?}")
        };
        assert_eq!(failed.token_source(), Some("Sealed"));
        let cause = std::error::Error::source(&error).unwrap();
        assert_eq!(cause.to_string(), "the vault is sealed");
        assert!(error.to_string().contains("nothing was sent"), "{error}");
    }
    assert!(server.requests().is_empty(), "no API call without a token");
}

#[tokio::test]
async fn a_failure_answers_for_a_second_then_the_source_is_asked_again() {
    let server = api().await;
    let source = Arc::new(Sealed::default());
    let client = client(&server, source.clone());

    client.get_tokens_timeout().await.unwrap_err();
    let started = Instant::now();
    let again = client.get_tokens_timeout().await.unwrap_err();
    assert!(matches!(again, Error::TokenSource(_)), "{again:?}");
    assert!(
        started.elapsed() < Duration::from_millis(50),
        "held, not fetched"
    );
    assert_eq!(source.fetches.load(Ordering::SeqCst), 1);

    tokio::time::sleep(Duration::from_millis(1100)).await;
    client.get_tokens_timeout().await.unwrap_err();
    assert_eq!(source.fetches.load(Ordering::SeqCst), 2, "asked again");
}

#[tokio::test]
async fn a_token_server_answering_500_gets_one_request_for_sixty_four_calls() {
    let server = TestServer::start(|request, _| {
        if request.path == "/oauth/token" {
            Reply::json(500, &json!({"error": "server_error"})).delay(Duration::from_millis(100))
        } else {
            Reply::json(200, &json!({"idleTokenTimeoutSeconds": 900}))
        }
    })
    .await;
    let client = Client::builder()
        .base_url(server.url())
        .client_credentials("client-1", "secret-1")
        .build()
        .unwrap();

    let (results, slowest) = concurrently(&client, 64).await;

    let paths: Vec<String> = server.requests().iter().map(|r| r.path.clone()).collect();
    assert_eq!(paths, ["/oauth/token"], "one token request, no API call");
    assert!(
        slowest < Duration::from_secs(1),
        "slowest caller {slowest:?}"
    );
    for result in results {
        let error = result.unwrap_err();
        let Error::Auth(auth) = &error else {
            panic!("{error:?}")
        };
        assert_eq!(auth.status().as_u16(), 500);
        assert_eq!(auth.error(), Some("server_error"));
    }
}

#[tokio::test]
async fn a_token_server_that_never_answers_costs_one_request_and_each_caller_its_own_bound() {
    let server = TestServer::start(|request, _| {
        if request.path == "/oauth/token" {
            Reply::status(200).delay(Duration::from_secs(30))
        } else {
            Reply::json(200, &json!({"idleTokenTimeoutSeconds": 900}))
        }
    })
    .await;
    let client = Client::builder()
        .base_url(server.url())
        .client_credentials("client-1", "secret-1")
        .request_timeout(Duration::from_millis(500))
        .build()
        .unwrap();

    let (results, slowest) = concurrently(&client, 16).await;

    assert_eq!(
        server.requests().len(),
        1,
        "one token request for 16 callers"
    );
    // Before: 16 token requests one after another, the last caller waiting 8 s.
    assert!(
        slowest >= Duration::from_millis(500) && slowest < Duration::from_millis(1500),
        "slowest caller {slowest:?}"
    );
    for result in results {
        let error = result.unwrap_err();
        let Error::Timeout(timeout) = &error else {
            panic!("{error:?}")
        };
        assert_eq!(timeout.timeout(), Duration::from_millis(500));
    }
}

/// A source that never answers; counts fetches started and fetches dropped (cancelled).
#[derive(Default)]
struct Silent {
    started: AtomicUsize,
    dropped: Arc<AtomicUsize>,
}

struct CountsDrop(Arc<AtomicUsize>);

impl Drop for CountsDrop {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

impl TokenSource for Silent {
    fn token<'a>(&'a self, _login: Login<'a>) -> TokenFuture<'a> {
        self.started.fetch_add(1, Ordering::SeqCst);
        let guard = CountsDrop(self.dropped.clone());
        Box::pin(async move {
            let _guard = guard;
            std::future::pending::<()>().await;
            unreachable!()
        })
    }
}

#[tokio::test]
async fn a_silent_source_is_bounded_by_the_clients_request_timeout() {
    let server = api().await;
    let source = Arc::new(Silent::default());
    let client = Client::builder()
        .base_url(server.url())
        .token_source(source.clone())
        .request_timeout(Duration::from_millis(300))
        .build()
        .unwrap();

    let (results, slowest) = concurrently(&client, 8).await;

    assert!(
        slowest < Duration::from_secs(1),
        "slowest caller {slowest:?}"
    );
    assert_eq!(source.started.load(Ordering::SeqCst), 1, "one fetch for 8");
    for result in results {
        let error = result.unwrap_err();
        let Error::Timeout(timeout) = &error else {
            panic!("{error:?}")
        };
        assert_eq!(timeout.token_source(), Some("Silent"));
        assert_eq!(timeout.setting(), "client's `request_timeout`");
        assert!(
            error
                .to_string()
                .contains("waiting for an access token from the token source `Silent`"),
            "{error}"
        );
    }
    // Every caller left: the fetch was cancelled, not left running for nobody.
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(source.dropped.load(Ordering::SeqCst), 1);
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn a_silent_source_is_bounded_by_the_calls_timeout_and_deadline_options() {
    let server = api().await;
    let source = Arc::new(Silent::default());
    let client = client(&server, source.clone()); // 30 s request timeout

    for (options, setting) in [
        (
            CallOptions::new().timeout(Duration::from_millis(200)),
            "call's `timeout` option",
        ),
        (
            CallOptions::new().deadline(Duration::from_millis(250)),
            "call's `deadline` option",
        ),
    ] {
        let started = Instant::now();
        let error = client
            .with_options(options)
            .get_tokens_timeout()
            .await
            .unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(1));
        let Error::Timeout(timeout) = &error else {
            panic!("{error:?}")
        };
        assert_eq!(timeout.setting(), setting);
        assert_eq!(timeout.token_source(), Some("Silent"));
    }
    assert_eq!(
        source.started.load(Ordering::SeqCst),
        2,
        "a new fetch per call once the last one was abandoned"
    );
}

/// A source whose first fetch panics; the next ones work.
#[derive(Default)]
struct PanicsOnce {
    fetches: AtomicUsize,
}

impl TokenSource for PanicsOnce {
    fn token<'a>(&'a self, _login: Login<'a>) -> TokenFuture<'a> {
        Box::pin(async move {
            if self.fetches.fetch_add(1, Ordering::SeqCst) == 0 {
                panic!("the vault client panicked");
            }
            Ok(Token::new("after-the-panic"))
        })
    }
}

#[tokio::test]
async fn a_panicking_source_is_contained_and_the_client_goes_on() {
    let server = api().await;
    let source = Arc::new(PanicsOnce::default());
    let client = client(&server, source.clone());

    let (results, _) = concurrently(&client, 8).await;
    assert_eq!(source.fetches.load(Ordering::SeqCst), 1);
    for result in results {
        let error = result.unwrap_err();
        let Error::TokenSource(failed) = &error else {
            panic!("{error:?}")
        };
        assert!(failed.is_panic(), "{error}");
        assert_eq!(failed.token_source(), Some("PanicsOnce"));
    }

    tokio::time::sleep(Duration::from_millis(1100)).await;
    client.get_tokens_timeout().await.unwrap();
    let sent = server.only_request();
    assert_eq!(sent.header("authorization"), Some("Bearer after-the-panic"));
}

/// Gives a token valid for 2 s (renewed after 1 s), then fails every renewal.
#[derive(Default)]
struct RenewalFails {
    fetches: AtomicUsize,
}

impl TokenSource for RenewalFails {
    fn token<'a>(&'a self, _login: Login<'a>) -> TokenFuture<'a> {
        Box::pin(async move {
            match self.fetches.fetch_add(1, Ordering::SeqCst) {
                0 => Ok(Token::new("still-valid").expires_in(Duration::from_secs(2))),
                _ => Err(TokenSourceError::new("the vault is unreachable").into()),
            }
        })
    }
}

#[tokio::test]
async fn a_failed_renewal_keeps_the_calls_on_the_token_that_is_still_valid() {
    let server = api().await;
    let source = Arc::new(RenewalFails::default());
    let client = client(&server, source.clone());

    client.get_tokens_timeout().await.unwrap();
    tokio::time::sleep(Duration::from_millis(1200)).await; // due for renewal, not expired
    client.get_tokens_timeout().await.unwrap();

    assert_eq!(
        source.fetches.load(Ordering::SeqCst),
        2,
        "the renewal was tried"
    );
    for request in server.requests() {
        assert_eq!(request.header("authorization"), Some("Bearer still-valid"));
    }
}

/// A source holding a secret, with a `Debug` its author derived without thinking.
#[derive(Debug)]
struct Vault {
    #[allow(dead_code)]
    password: String,
}

impl TokenSource for Vault {
    fn token<'a>(&'a self, _login: Login<'a>) -> TokenFuture<'a> {
        Box::pin(async { Ok(Token::new("broken\ntoken")) })
    }
}

#[tokio::test]
async fn a_sources_debug_never_reaches_errors_or_the_clients_debug() {
    let server = api().await;
    let client = client(
        &server,
        Vault {
            password: "hunter2-vault-password".into(),
        },
    );

    let error = client.get_tokens_timeout().await.unwrap_err();
    let Error::TokenSource(failed) = &error else {
        panic!("{error:?}")
    };
    assert!(failed.is_unusable_token());
    assert_eq!(failed.token_source(), Some("Vault"));
    let shown = format!("{error} {error:?} {client:?} {:?}", Client::builder());
    assert!(!shown.contains("hunter2"), "{shown}");
    assert!(
        !shown.contains("broken"),
        "the unusable token is not shown either: {shown}"
    );
    assert!(format!("{client:?}").contains("Vault"));
    assert!(server.requests().is_empty());
}
