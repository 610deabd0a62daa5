//! A connection reset or closed before the response: idempotent requests (GET, HEAD, PUT,
//! DELETE) are sent again, POST and PATCH are not (the server may have acted on them), and
//! the error says what happened.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use genesys_runtime::{Api, Error, Result, RetryPolicy, endpoint};
use genesys_tests::client_at;
use serde::Serialize;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

#[derive(Serialize)]
struct Change {
    name: &'static str,
}

/// One endpoint per method.
trait ThingsApi: Api {
    #[endpoint(method = "GET", path = "/api/v2/things/{id}")]
    async fn get_thing(&self, id: &str) -> Result<()>;
    #[endpoint(method = "HEAD", path = "/api/v2/things/{id}")]
    async fn head_thing(&self, id: &str) -> Result<()>;
    #[endpoint(method = "PUT", path = "/api/v2/things/{id}")]
    async fn put_thing(&self, id: &str, #[body] change: &Change) -> Result<()>;
    #[endpoint(method = "DELETE", path = "/api/v2/things/{id}")]
    async fn delete_thing(&self, id: &str) -> Result<()>;
    #[endpoint(method = "POST", path = "/api/v2/things")]
    async fn post_thing(&self, #[body] change: &Change) -> Result<()>;
    #[endpoint(method = "PATCH", path = "/api/v2/things/{id}")]
    async fn patch_thing(&self, id: &str, #[body] change: &Change) -> Result<()>;
}
impl<T: Api + ?Sized> ThingsApi for T {}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Loss {
    /// RST after the request arrived.
    Reset,
    /// FIN after the request arrived, with no response.
    Close,
}

/// A raw server: the first connection reads the request and is lost as `loss`; later ones
/// answer `204`. Returns its URL and the number of requests that arrived.
async fn lossy_server(loss: Loss) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let requests = Arc::new(AtomicUsize::new(0));
    let counter = requests.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let n = counter.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                let mut buf = [0u8; 8192];
                let _ = socket.read(&mut buf).await;
                if n == 0 {
                    if loss == Loss::Reset {
                        let _ = socket.set_zero_linger();
                    }
                    drop(socket);
                    return;
                }
                let _ = socket
                    .write_all(b"HTTP/1.1 204 No Content\r\nconnection: close\r\n\r\n")
                    .await;
            });
        }
    });
    (url, requests)
}

async fn run(method: &str, loss: Loss) -> (std::result::Result<(), Error>, usize) {
    let (url, requests) = lossy_server(loss).await;
    let client = client_at(&url)
        .retry(RetryPolicy::default().initial_backoff(Duration::from_millis(10)))
        .build()
        .unwrap();
    let change = Change { name: "x" };
    let result = match method {
        "GET" => client.get_thing("1").await,
        "HEAD" => client.head_thing("1").await,
        "PUT" => client.put_thing("1", &change).await,
        "DELETE" => client.delete_thing("1").await,
        "POST" => client.post_thing(&change).await,
        "PATCH" => client.patch_thing("1", &change).await,
        _ => unreachable!(),
    };
    (result, requests.load(Ordering::SeqCst))
}

#[tokio::test]
async fn idempotent_requests_are_sent_again_after_a_lost_connection() {
    for loss in [Loss::Reset, Loss::Close] {
        for method in ["GET", "HEAD", "PUT", "DELETE"] {
            let (result, requests) = run(method, loss).await;
            assert!(result.is_ok(), "{method} {loss:?}: {result:?}");
            assert_eq!(requests, 2, "{method} {loss:?}: sent again once");
        }
    }
}

#[tokio::test]
async fn post_and_patch_are_not_repeated_after_a_lost_connection() {
    for (loss, cause) in [
        (Loss::Reset, "the connection was reset"),
        (Loss::Close, "the connection was closed before the response"),
    ] {
        for method in ["POST", "PATCH"] {
            let (result, requests) = run(method, loss).await;
            assert_eq!(requests, 1, "{method} {loss:?}: not repeated");
            let error = result.unwrap_err();
            assert!(matches!(error, Error::Transport(_)), "{error:?}");
            let shown = error.to_string();
            assert!(
                shown.contains(cause),
                "{method} {loss:?}: the cause is in the message: {shown}"
            );
            assert!(shown.contains(method), "{shown}");
        }
    }
}
