//! Test support: a real HTTP/1.1 server on `127.0.0.1` that records every request it
//! receives and answers what the test chose. No part of the client is mocked.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::{HeaderMap, HeaderValue, Method, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use std::sync::atomic::{AtomicU64, Ordering};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// The workspace README's code blocks, compiled as doctests (the crates' READMEs are their
/// own docs front pages).
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct WorkspaceReadme;

/// One request as it arrived on the wire.
#[derive(Clone, Debug)]
pub struct Recorded {
    /// The method.
    pub method: Method,
    /// The path exactly as sent (still percent-encoded).
    pub path: String,
    /// The authority of an absolute-form target (`GET http://host:port/path`), as a client
    /// sends it to a proxy; `None` for the usual origin-form.
    pub authority: Option<String>,
    /// The raw query string, if any.
    pub query: Option<String>,
    /// The request headers.
    pub headers: HeaderMap,
    /// The request body.
    pub body: Bytes,
    /// When it arrived.
    pub at: Instant,
}

impl Recorded {
    /// A header's value as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The body parsed as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("request body is JSON")
    }
}

/// What the server answers.
#[derive(Clone, Debug)]
pub struct Reply {
    /// The status.
    pub status: StatusCode,
    /// The headers.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Bytes,
    /// Wait this long before answering.
    pub delay: Duration,
}

impl Reply {
    /// A reply with this status and no body.
    pub fn status(status: u16) -> Self {
        Reply {
            status: StatusCode::from_u16(status).expect("valid status"),
            headers: Vec::new(),
            body: Bytes::new(),
            delay: Duration::ZERO,
        }
    }

    /// A reply with this status and a JSON body.
    pub fn json(status: u16, body: &serde_json::Value) -> Self {
        Reply::status(status)
            .header("content-type", "application/json")
            .body(serde_json::to_vec(body).expect("serializable"))
    }

    /// Adds a header.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Sets the body.
    pub fn body(mut self, body: impl Into<Bytes>) -> Self {
        self.body = body.into();
        self
    }

    /// Waits before answering.
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }
}

type Responder = dyn Fn(&Recorded, usize) -> Reply + Send + Sync;

/// A loopback HTTP server that records requests. Dropped, it stops accepting.
pub struct TestServer {
    addr: SocketAddr,
    log: Arc<Mutex<Vec<Recorded>>>,
    task: tokio::task::JoinHandle<()>,
}

impl TestServer {
    /// Starts a server that answers every request with `respond(request, index)`, where
    /// `index` counts requests from 0.
    pub async fn start(
        respond: impl Fn(&Recorded, usize) -> Reply + Send + Sync + 'static,
    ) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let addr = listener.local_addr().expect("local addr");
        let log: Arc<Mutex<Vec<Recorded>>> = Arc::default();
        let respond: Arc<Responder> = Arc::new(respond);
        let task = tokio::spawn({
            let log = log.clone();
            async move {
                loop {
                    let Ok((stream, _)) = listener.accept().await else {
                        continue;
                    };
                    let log = log.clone();
                    let respond = respond.clone();
                    tokio::spawn(async move {
                        let service = service_fn(move |request| {
                            handle(request, log.clone(), respond.clone())
                        });
                        let _ = http1::Builder::new()
                            .serve_connection(TokioIo::new(stream), service)
                            .await;
                    });
                }
            }
        });
        TestServer { addr, log, task }
    }

    /// Starts a server that answers 200 with the request's body as JSON, as Genesys answers a
    /// write with the stored entity.
    pub async fn echo() -> Self {
        Self::start(|request, _| {
            Reply::status(200)
                .header("content-type", "application/json")
                .body(request.body.clone())
        })
        .await
    }

    /// Starts a server that always gives the same reply.
    pub async fn always(reply: Reply) -> Self {
        Self::start(move |_, _| reply.clone()).await
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.log.lock().expect("log lock").clone()
    }

    /// The one request received; panics when there were more or none.
    pub fn only_request(&self) -> Recorded {
        let requests = self.requests();
        assert_eq!(
            requests.len(),
            1,
            "expected exactly one request: {requests:#?}"
        );
        requests.into_iter().next().expect("one request")
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn handle(
    request: hyper::Request<Incoming>,
    log: Arc<Mutex<Vec<Recorded>>>,
    respond: Arc<Responder>,
) -> Result<hyper::Response<Full<Bytes>>, Infallible> {
    let (parts, body) = request.into_parts();
    let body = body
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    let recorded = Recorded {
        method: parts.method,
        path: parts.uri.path().to_owned(),
        authority: parts.uri.authority().map(|a| a.to_string()),
        query: parts.uri.query().map(str::to_owned),
        headers: parts.headers,
        body,
        at: Instant::now(),
    };
    let index = {
        let mut log = log.lock().expect("log lock");
        log.push(recorded.clone());
        log.len() - 1
    };
    let reply = respond(&recorded, index);
    if !reply.delay.is_zero() {
        tokio::time::sleep(reply.delay).await;
    }
    let mut response = hyper::Response::new(Full::new(reply.body));
    *response.status_mut() = reply.status;
    for (name, value) in reply.headers {
        response.headers_mut().append(
            http::HeaderName::from_bytes(name.as_bytes()).expect("header name"),
            HeaderValue::from_str(&value).expect("header value"),
        );
    }
    Ok(response)
}

/// The token every test client sends.
pub const TEST_TOKEN: &str = "test-token-123";

/// A client builder for `url` with the test token and default settings.
pub fn client_at(url: &str) -> genesys_runtime::ClientBuilder {
    genesys_runtime::Client::builder()
        .base_url(url)
        .access_token(TEST_TOKEN)
}

/// A client for `server` with the test token and the default retry rules, with a 10 ms
/// initial backoff so that tests do not sleep for long.
pub fn client_for(server: &TestServer) -> genesys_runtime::Client {
    client_at(&server.url())
        .retry(genesys_runtime::RetryPolicy::default().initial_backoff(Duration::from_millis(10)))
        .build()
        .expect("client builds")
}

/// Peak resident memory of this process, in KiB (Linux `VmHWM`).
pub fn peak_rss_kib() -> u64 {
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
pub async fn endless_body_server(announce_length: bool) -> (String, Arc<AtomicU64>) {
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

/// What `cargo test` printed for a crate outside this workspace.
pub struct OutsideRun {
    /// Whether every test passed.
    pub success: bool,
    /// Its standard output.
    pub stdout: String,
    /// Its standard error (cargo names each test binary there).
    pub stderr: String,
}

/// Runs `cargo test <args>` on the crate in `tests/<name>` (outside this workspace), from its
/// own directory as a user would, in `target/outside` (shared by the user crates, not this
/// workspace's) and with none of this test's build settings.
///
/// With `GENESYS_USER_CRATES` set, it runs `$GENESYS_USER_CRATES/<name>` instead, in
/// `$GENESYS_USER_CRATES/target`: the copy `.ci/registry.sh` makes, with our crates from a
/// (vendored) registry instead of a path.
///
/// # Panics
///
/// When the crate is not there (a `GENESYS_USER_CRATES` without it is a mistake, not a
/// reason to test the path dependencies instead), or cargo cannot be run.
pub fn cargo_test_outside(name: &str, args: &[&str]) -> OutsideRun {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    // The copies build in their own target directory, under their registry's configuration
    // (trybuild's generated project lives there, and cargo reads the configuration from it).
    let (dir, target) = match std::env::var_os("GENESYS_USER_CRATES") {
        Some(copies) => {
            let copies = std::path::PathBuf::from(copies);
            (copies.join(name), copies.join("target"))
        }
        None => (root.join(name), root.join("../target/outside")),
    };
    assert!(
        dir.join("Cargo.toml").is_file(),
        "no user crate at {}: run .ci/registry.sh <dir> {name} before setting GENESYS_USER_CRATES",
        dir.display()
    );
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = std::process::Command::new(cargo)
        .arg("test")
        // Cargo reads its configuration (a copy's registry) from where it runs.
        .current_dir(&dir)
        .args(args)
        // One target directory for every user crate outside the workspace (they run one
        // after another): the dependencies they share are built once.
        .env("CARGO_TARGET_DIR", target)
        // This test's own build settings are not the user crate's.
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("TRYBUILD")
        .output()
        .expect("cargo runs");
    OutsideRun {
        success: output.status.success(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// A tracing writer that keeps everything written, for tests that read the log.
#[derive(Clone, Default)]
pub struct CapturedLog(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl CapturedLog {
    /// Everything written so far, as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap_or_else(|e| e.into_inner())).into_owned()
    }
}

impl std::io::Write for CapturedLog {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for CapturedLog {
    type Writer = CapturedLog;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}
