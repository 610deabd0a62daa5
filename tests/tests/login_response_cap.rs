//! A token response larger than the cap is an error, and reading it does not grow memory,
//! with and without `Content-Length`. One test per binary, so that the peak-memory reading
//! is not disturbed by other tests.

use std::sync::atomic::Ordering;
use std::time::Duration;

use genesys_api_tokens::TokensApi;
use genesys_runtime::{Client, Error};
use genesys_tests::{Reply, TestServer, endless_body_server, peak_rss_kib};

#[tokio::test]
async fn a_token_body_beyond_the_cap_is_an_error_and_memory_stays_bounded() {
    const CAP: usize = 1024 * 1024;
    let api = TestServer::always(Reply::status(200)).await;
    for announce_length in [false, true] {
        let (login, written) = endless_body_server(announce_length).await;
        let client = Client::builder()
            .base_url(api.url())
            .login_url(&login)
            .client_credentials("client-1", "secret-1")
            .max_response_bytes(CAP)
            .build()
            .unwrap();
        let before = peak_rss_kib();

        let error = client.get_tokens_timeout().await.unwrap_err();

        let Error::BodyTooLarge(too_large) = &error else {
            panic!("expected BodyTooLarge, got {error:?}");
        };
        assert_eq!(too_large.limit(), CAP);
        assert_eq!(too_large.route().template, "/oauth/token");
        tokio::time::sleep(Duration::from_millis(200)).await;
        let sent = written.load(Ordering::Relaxed);
        assert!(
            sent < 64 * 1024 * 1024,
            "the client stopped reading: {sent} bytes written"
        );
        let growth_kib = peak_rss_kib().saturating_sub(before);
        assert!(
            growth_kib < 32 * 1024,
            "peak memory grew by {growth_kib} KiB for a 1 MiB cap"
        );
    }
    assert!(api.requests().is_empty(), "no API call without a token");
}
