//! A response larger than the cap is an error, and reading it does not grow memory: a
//! server streams an endless body, the client stops at the cap.
//!
//! One test per binary, so that the peak-memory reading is not disturbed by other tests.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use genesys_api_tokens::TokensApi;
use genesys_runtime::Error;
use genesys_tests::client_at;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// Peak resident memory of this process, in KiB (Linux `VmHWM`).
fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|line| line.starts_with("VmHWM:"))
                .and_then(|line| line.split_whitespace().nth(1))
                .and_then(|kib| kib.parse().ok())
        })
        .unwrap_or(0)
}

/// A raw HTTP/1.1 server that answers 200 with an endless chunked body (or a huge
/// Content-Length) from one reused 64 KiB buffer, counting what it managed to write.
async fn endless_body_server(announce_length: bool) -> (String, Arc<AtomicU64>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let written = Arc::new(AtomicU64::new(0));
    let counter = written.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let counter = counter.clone();
            tokio::spawn(async move {
                let mut request = [0u8; 4096];
                let _ = socket.read(&mut request).await;
                let head: &[u8] = if announce_length {
                    b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 10737418240\r\n\r\n"
                } else {
                    b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n"
                };
                if socket.write_all(head).await.is_err() {
                    return;
                }
                let chunk = vec![b' '; 64 * 1024];
                let mut framed = format!("{:x}\r\n", chunk.len()).into_bytes();
                framed.extend_from_slice(&chunk);
                framed.extend_from_slice(b"\r\n");
                let piece: &[u8] = if announce_length { &chunk } else { &framed };
                // Up to 10 GiB, far beyond any cap.
                for _ in 0..(160 * 1024) {
                    if socket.write_all(piece).await.is_err() {
                        return;
                    }
                    counter.fetch_add(piece.len() as u64, Ordering::Relaxed);
                }
            });
        }
    });
    (url, written)
}

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
