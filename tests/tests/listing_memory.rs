//! The loop check of a cursor listing is bounded in memory: 500 pages with 60 KiB cursors
//! (30 MB of cursors in all) are read with the process's peak memory growing by a few pages'
//! worth, not by every cursor seen (it grew by 93 MB when each cursor was kept). Its own
//! process, so that no other test moves the peak.

use std::convert::Infallible;

use bytes::Bytes;
use genesys_runtime::{Api, Listing, api, endpoint};
use genesys_tests::{client_at, peak_rss_kib};
use http_body_util::Full;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};
use tokio::net::TcpListener;

const PAGES: usize = 500;
const CURSOR_BYTES: usize = 60 * 1024;

#[api]
trait ScanApi: Api {
    #[endpoint(
        method = "GET",
        path = "/api/v2/scan",
        paging = "cursor",
        items = "results"
    )]
    fn scan(&self) -> Listing<Value>;
}
impl<T: Api + ?Sized> ScanApi for T {}

/// Page `n`'s cursor: its number, then 60 KiB of filler (URL-safe, so sent as is).
fn cursor(n: usize) -> String {
    let mut cursor = format!("{n:06}");
    cursor.extend(std::iter::repeat_n('c', CURSOR_BYTES));
    cursor
}

/// A server that keeps nothing: page `n + 1` for the cursor of page `n`, up to 500 pages.
async fn scan_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                let service = service_fn(
                    |request: hyper::Request<hyper::body::Incoming>| async move {
                        let page = request
                            .uri()
                            .query()
                            .and_then(|q| q.strip_prefix("cursor="))
                            .map_or(0, |c| c[..6].parse::<usize>().unwrap() + 1);
                        let mut body = json!({"results": [page]});
                        if page + 1 < PAGES {
                            body["cursor"] = json!(cursor(page));
                        }
                        let bytes = Bytes::from(serde_json::to_vec(&body).unwrap());
                        Ok::<_, Infallible>(hyper::Response::new(Full::new(bytes)))
                    },
                );
                let _ = http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    url
}

#[tokio::test]
async fn five_hundred_pages_of_sixty_kib_cursors_keep_memory_flat() {
    let url = scan_server().await;
    let client = client_at(&url).build().unwrap();

    // A few pages first, so the connection, buffers and allocator are warm.
    let warm: Vec<Value> = client.scan().limit(3).all().await.unwrap();
    assert_eq!(warm.len(), 3);
    let before = peak_rss_kib();

    let all = client.scan().all().await.unwrap();

    let grown_kib = peak_rss_kib().saturating_sub(before);
    eprintln!("peak memory grew by {grown_kib} KiB");
    assert_eq!(all.len(), PAGES, "every page read");
    assert_eq!(all.last(), Some(&json!(PAGES - 1)));
    assert!(
        grown_kib < 8 * 1024,
        "peak memory grew by {grown_kib} KiB over {} MB of cursors",
        PAGES * CURSOR_BYTES / 1_000_000
    );
}
