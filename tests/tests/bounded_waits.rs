//! Every wait a call makes is bounded by the call's own settings, and no number from a server
//! or a setting can panic it, one behaviour per test: an absurd `Retry-After` or backoff next
//! to a deadline, a download trickled forever, a body cut short, zero timeouts.

use std::time::{Duration, Instant};

use genesys_runtime::{
    Api, ByteStream, CallOptions, Client, Error, Multipart, RetryPolicy, api, endpoint,
};
use genesys_tests::{Reply, TestServer, client_at};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

#[api]
trait FilesApi: Api {
    /// A download, read as it arrives.
    #[endpoint(method = "GET", path = "/api/v2/downloads/{downloadId}")]
    async fn download(&self, download_id: &str) -> genesys_runtime::Result<ByteStream>;

    /// A JSON answer, read whole.
    #[endpoint(method = "GET", path = "/api/v2/things/{thingId}")]
    async fn thing(&self, thing_id: &str) -> genesys_runtime::Result<serde_json::Value>;

    /// A multipart upload.
    #[endpoint(method = "POST", path = "/api/v2/uploads")]
    async fn upload(&self, #[body(multipart)] form: &Multipart) -> genesys_runtime::Result<()>;
}
impl<T: Api + ?Sized> FilesApi for T {}

fn patient(server: &TestServer, policy: RetryPolicy) -> Client {
    client_at(&server.url()).retry(policy).build().unwrap()
}

#[tokio::test]
async fn the_largest_retry_after_next_to_a_deadline_is_an_answer_not_a_panic() {
    let server =
        TestServer::always(Reply::status(429).header("retry-after", "18446744073709551615")).await;
    // Nothing bounds the total wait but the call's deadline.
    let client = patient(
        &server,
        RetryPolicy::default().max_total_wait(Duration::MAX),
    );
    let deadline = client.with_options(CallOptions::new().deadline(Duration::from_secs(5)));

    let started = Instant::now();
    let error = deadline.thing("t1").await.unwrap_err();

    assert!(started.elapsed() < Duration::from_secs(1), "not waited");
    let api = error.as_api().expect("the 429 is the error");
    assert_eq!(api.status().as_u16(), 429);
    assert_eq!(api.retry_after(), Some(Duration::from_secs(u64::MAX)));
    assert_eq!(api.attempts(), 1);
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn the_largest_backoff_next_to_a_deadline_is_an_answer_not_a_panic() {
    let server = TestServer::always(Reply::status(503)).await;
    let policy = RetryPolicy::default()
        .initial_backoff(Duration::MAX)
        .max_backoff(Duration::MAX)
        .max_total_wait(Duration::MAX);
    let client = patient(&server, policy);
    let deadline = client.with_options(CallOptions::new().deadline(Duration::from_secs(5)));

    let error = deadline.thing("t1").await.unwrap_err();

    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(server.requests().len(), 1);
}

/// A server that answers 200 and then sends one byte every 100 ms, for up to a minute.
async fn trickling_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut request = [0u8; 4096];
                let _ = socket.read(&mut request).await;
                let head = b"HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\ntransfer-encoding: chunked\r\n\r\n";
                if socket.write_all(head).await.is_err() {
                    return;
                }
                for _ in 0..600 {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    if socket.write_all(b"1\r\nx\r\n").await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    url
}

/// Reads `download` to its end or its first error; returns the error and the bytes read.
async fn drain(mut download: ByteStream) -> (Option<Error>, usize) {
    let mut read = 0;
    loop {
        match download.chunk().await {
            Ok(Some(chunk)) => read += chunk.len(),
            Ok(None) => return (None, read),
            Err(error) => return (Some(error), read),
        }
    }
}

#[tokio::test]
async fn the_calls_deadline_bounds_a_download_that_trickles_forever() {
    let url = trickling_server().await;
    let client = client_at(&url).build().unwrap();
    let bounded = client.with_options(CallOptions::new().deadline(Duration::from_secs(1)));

    let started = Instant::now();
    let download = bounded.download("d1").await.unwrap();
    let (error, read) = drain(download).await;

    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_millis(900) && elapsed < Duration::from_secs(3),
        "{elapsed:?}"
    );
    assert!(read > 0, "bytes arrived before the deadline");
    let error = error.expect("the deadline ends the download");
    let Error::Timeout(timeout) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(timeout.setting(), "call's `deadline` option");
    assert!(timeout.is_reading_body());
    assert!(
        error
            .to_string()
            .contains("while reading the response body"),
        "{error}"
    );
}

#[tokio::test]
async fn a_download_can_be_given_its_own_total_bound() {
    let url = trickling_server().await;
    let client = client_at(&url).build().unwrap();

    let started = Instant::now();
    let download = client.download("d1").await.unwrap();
    let (error, _) = drain(download.deadline(Duration::from_millis(700))).await;

    assert!(started.elapsed() < Duration::from_secs(3));
    let Some(Error::Timeout(timeout)) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(timeout.setting(), "download's `deadline`");
    assert_eq!(timeout.timeout(), Duration::from_millis(700));
}

#[tokio::test]
async fn the_largest_timeout_option_on_a_download_is_no_panic() {
    let server = TestServer::always(Reply::status(200).body(vec![7u8; 100_000])).await;
    let client = client_at(&server.url()).build().unwrap();
    let unbounded = client.with_options(CallOptions::new().timeout(Duration::MAX));

    let download = unbounded.download("d1").await.unwrap();
    let (error, read) = drain(download.deadline(Duration::MAX)).await;

    assert!(error.is_none(), "{error:?}");
    assert_eq!(read, 100_000);
}

#[tokio::test]
async fn a_body_cut_short_after_the_headers_says_so() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        if let Ok((mut socket, _)) = listener.accept().await {
            let mut request = [0u8; 4096];
            let _ = socket.read(&mut request).await;
            let cut = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{\"id\":";
            let _ = socket.write_all(cut).await;
        } // dropped: closed 94 bytes short
    });
    let client = client_at(&url).build().unwrap();

    let error = client.thing("t1").await.unwrap_err();

    let Error::Transport(transport) = &error else {
        panic!("{error:?}")
    };
    assert!(transport.is_reading_body());
    assert!(!transport.is_connect());
    let shown = error.to_string();
    assert!(
        shown.contains("the connection was closed before the whole body arrived"),
        "{shown}"
    );
    assert!(!shown.contains("before the response"), "{shown}");
}

#[tokio::test]
async fn zero_timeouts_are_refused_before_anything_is_sent() {
    let server = TestServer::always(Reply::json(200, &serde_json::json!({}))).await;
    for builder in [
        client_at(&server.url()).request_timeout(Duration::ZERO),
        client_at(&server.url()).connect_timeout(Duration::ZERO),
    ] {
        let error = builder.build().unwrap_err();
        assert!(matches!(error, Error::Config(_)), "{error:?}");
        assert!(error.to_string().contains("is zero"), "{error}");
    }

    let client = client_at(&server.url()).build().unwrap();
    for (options, name) in [
        (CallOptions::new().timeout(Duration::ZERO), "`timeout`"),
        (CallOptions::new().deadline(Duration::ZERO), "`deadline`"),
    ] {
        let error = client.with_options(options).thing("t1").await.unwrap_err();
        assert!(matches!(error, Error::Config(_)), "{error:?}");
        let shown = error.to_string();
        assert!(
            shown.contains(&format!("the call's {name} option is zero"))
                && shown.contains("GET /api/v2/things/{thingId}"),
            "{shown}"
        );
    }
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn control_characters_in_multipart_names_are_encoded() {
    let server = TestServer::always(Reply::status(204)).await;
    let client = client_at(&server.url()).build().unwrap();
    let form = Multipart::new().text("field\0name", "v").file(
        "file",
        "evil\0.csv\u{7f}",
        "text/csv",
        b"a,b\n".to_vec(),
    );

    client.upload(&form).await.unwrap();

    let body = server.only_request().body;
    let body = String::from_utf8(body.to_vec()).unwrap();
    assert!(body.contains("name=\"field%00name\""), "{body:?}");
    assert!(body.contains("filename=\"evil%00.csv%7F\""), "{body:?}");
    assert!(!body.contains('\0') && !body.contains('\u{7f}'), "{body:?}");
}
