//! An organization that spreads its load over two OAuth clients: one client with both
//! credentials, used in turn, each with its own token and rate budget, over the bundled fake.

use std::time::{Duration, Instant};

use genesys::Client;
use genesys_api_tokens::TokensApi;
use genesys_api_tokens::fake::{FakeClient, FakeGenesys};

#[tokio::test]
async fn two_oauth_clients_take_turns_and_a_429_moves_the_call_to_the_other() {
    let fake = FakeGenesys::builder()
        .client(FakeClient::new("first-id", "first-secret"))
        .client(FakeClient::new("second-id", "second-secret"))
        .start()
        .await;
    let client = Client::builder()
        .base_url(fake.url())
        .client_credentials("first-id", "first-secret")
        .add_client_credentials("second-id", "second-secret")
        .build()
        .unwrap();
    let oauth_client = |me: genesys_api_tokens::TokenInfo| me.oauth_client.and_then(|c| c.id);

    let mut used = Vec::new();
    for _ in 0..4 {
        used.push(oauth_client(client.get_tokens_me(None).await.unwrap()));
    }
    let [first, second] = [Some("first-id".to_owned()), Some("second-id".to_owned())];
    assert_eq!(used, [&first, &second, &first, &second].map(Clone::clone));
    let logins = fake
        .requests()
        .iter()
        .filter(|r| r.path == "/oauth/token")
        .count();
    assert_eq!(logins, 2, "one token per OAuth client");

    // The first client's turn gets a 429 asking for 5 s: the call goes on at once with the
    // second, whose budget the 429 did not touch.
    fake.inject_rate_limit(1, Duration::from_secs(5));
    let started = Instant::now();
    assert_eq!(
        oauth_client(client.get_tokens_me(None).await.unwrap()),
        second
    );
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    let budgets = client.rate_budgets();
    assert_eq!((budgets[0].limited, budgets[1].limited), (1, 0));
    assert!(budgets[0].blocked_until.is_some() && budgets[1].blocked_until.is_none());
}
