//! A response larger than the cap is an error, and reading it does not grow memory: a
//! server streams an endless body, the client stops at the cap.
//!
//! One test per binary, so that the peak-memory reading is not disturbed by other tests.

use std::sync::atomic::Ordering;
use std::time::Duration;

use genesys_api_tokens::TokensApi;
use genesys_runtime::Error;
use genesys_tests::{client_at, endless_body_server, peak_rss_kib};

#[tokio::test]
async fn a_body_beyond_the_cap_is_an_error_and_memory_stays_bounded() {
    const CAP: usize = 1024 * 1024;
    let (url, written) = endless_body_server(false).await;
    let client = client_at(&url).max_response_bytes(CAP).build().unwrap();
    let before = peak_rss_kib();

    let error = client.get_tokens_me(None).await.unwrap_err();

    let Error::BodyTooLarge(too_large) = &error else {
        panic!("expected BodyTooLarge, got {error:?}");
    };
    assert_eq!(too_large.limit(), CAP);
    assert!(error.to_string().contains("max_response_bytes"), "{error}");
    tokio::time::sleep(Duration::from_millis(200)).await;
    let sent = written.load(Ordering::Relaxed);
    assert!(
        sent < 64 * 1024 * 1024,
        "the client stopped reading: the server could write only {sent} bytes"
    );
    let growth_kib = peak_rss_kib().saturating_sub(before);
    assert!(
        growth_kib < 32 * 1024,
        "peak memory grew by {growth_kib} KiB for a 1 MiB cap"
    );

    // A body announced larger than the cap is refused before reading it.
    let (url, _) = endless_body_server(true).await;
    let client = client_at(&url).max_response_bytes(CAP).build().unwrap();
    let error = client.get_tokens_timeout().await.unwrap_err();
    assert!(matches!(error, Error::BodyTooLarge(_)), "{error:?}");
}
