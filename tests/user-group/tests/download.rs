//! A 100 MiB download read as a stream: resident memory grows by less than 16 MiB, and a
//! server that stalls mid-body gives a timeout, not a hang. (Its own test binary, so that
//! nothing else moves the peak.)

mod support;

use std::time::{Duration, Instant};

use genesys::Error;
use support::{Body, Reply, Server, peak_rss_kib};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use user_group::DirectoryApi;

const SIZE: u64 = 100 * 1024 * 1024;

#[tokio::test]
async fn a_100_mib_download_streams_in_bounded_memory_and_a_stall_times_out() {
    let server = Server::start(|_, _| Reply {
        status: 200,
        headers: vec![("content-type", "application/octet-stream".into())],
        body: Body::Repeat(SIZE),
    })
    .await;
    let client = support::client(&server);
    let before = peak_rss_kib();

    let mut download = client.download("d1").await.unwrap();
    assert_eq!(download.content_length(), Some(SIZE));
    let mut total = 0u64;
    while let Some(chunk) = download.chunk().await.unwrap() {
        assert!(chunk.iter().all(|b| *b == b'x'));
        total += chunk.len() as u64;
    }

    assert_eq!(total, SIZE);
    let grown = peak_rss_kib().saturating_sub(before);
    assert!(grown < 16 * 1024, "resident memory grew by {grown} KiB");
    assert_eq!(server.targets(), ["/api/v2/downloads/d1"]);

    // A server that sends headers and part of the body, then stalls.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut buf = [0u8; 4096];
        let _ = socket.read(&mut buf).await;
        let _ = socket
            .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 1000\r\n\r\nfirst")
            .await;
        tokio::time::sleep(Duration::from_secs(30)).await;
    });
    let client = genesys::Client::builder()
        .base_url(&url)
        .access_token("t")
        .request_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let mut download = client.download("d2").await.unwrap();
    assert_eq!(&download.chunk().await.unwrap().unwrap()[..], b"first");
    let started = Instant::now();
    let error = download.chunk().await.unwrap_err();
    assert!(matches!(error, Error::Timeout(_)), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(3));
}
