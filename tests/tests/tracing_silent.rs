//! Without a subscriber the runtime prints nothing and calls work: `tracing` is silent
//! unless the application installs one. (Its own binary: a subscriber installed by another
//! test in the same process would change the callsites' cached interest.)

use genesys_api_tokens::TokensApi;
use genesys_runtime::Client;
use genesys_tests::{Reply, TestServer};

#[tokio::test]
async fn silent_without_a_subscriber() {
    assert!(!tracing::dispatcher::has_been_set(), "no global subscriber");
    let server = TestServer::always(Reply::status(200)).await;
    Client::builder()
        .base_url(server.url())
        .access_token("some-token")
        .build()
        .unwrap()
        .head_tokens_me()
        .await
        .unwrap();
}
