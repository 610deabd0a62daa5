//! A byte stream to a host, opened with the client's network settings: for protocols the
//! client does not speak itself, such as the Notifications API's WebSocket.
//!
//! [`Client::connect`] resolves and connects to the URL's host (through the client's HTTP
//! proxy with a `CONNECT` tunnel, if one is set), and for `wss://` and `https://` runs TLS
//! with the client's roots: the platform's, and any added with
//! [`ClientBuilder::add_root_certificate`](crate::ClientBuilder::add_root_certificate). The
//! whole of it is bounded by the client's `connect_timeout`.

mod proxy;
mod tls;

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use http::Method;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;

use crate::error::{Error, Result, Route, TimeoutError, TransportError};
use crate::{Client, client::Network};

/// The route errors of [`Client::connect`] name: no call's template, since no call is made.
const ROUTE: &str = "(connection) {url}";

/// An open connection from [`Client::connect`]: TCP, or TLS over TCP.
///
/// It reads and writes like any tokio stream; hand it to a protocol (a WebSocket client's
/// `connect_on`, say).
#[derive(Debug)]
pub struct Connection {
    inner: Inner,
}

#[derive(Debug)]
enum Inner {
    Plain(TcpStream),
    #[cfg(any(feature = "rustls-ring", feature = "rustls-aws-lc"))]
    Tls(Box<tokio_rustls::client::TlsStream<TcpStream>>),
}

impl Connection {
    /// Whether TLS protects the connection.
    pub fn is_tls(&self) -> bool {
        !matches!(self.inner, Inner::Plain(_))
    }
}

impl Client {
    /// Opens a connection to the host of `url` (`ws`, `wss`, `http` or `https`) with this
    /// client's network settings: its proxy (an `http://` proxy, through a `CONNECT` tunnel),
    /// its TLS roots, and its `connect_timeout` over the whole of it. The proxy is the one
    /// set with [`ClientBuilder::proxy`](crate::ClientBuilder::proxy): the environment's
    /// `HTTPS_PROXY`, which reqwest reads for the API calls, is not read here.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] for a URL that is not `ws`, `wss`, `http` or `https`, for plain `ws`
    /// or `http` to a host other than loopback unless the client allows insecure HTTP, for a
    /// `socks5` or `https` proxy (not supported here), or for `wss` in a build without rustls;
    /// [`Error::Timeout`] when `connect_timeout` runs out; [`Error::Transport`] when the host
    /// or proxy cannot be reached, the proxy refuses the tunnel, or TLS fails.
    pub async fn connect(&self, url: &str) -> Result<Connection> {
        let network = &self.inner.network;
        let target = Target::parse(url, network)?;
        let timeout = self.inner.connect_timeout;
        match tokio::time::timeout(timeout, open(&target, network)).await {
            Ok(result) => result,
            Err(_) => Err(Error::Timeout(Box::new(TimeoutError::new(
                route(),
                timeout,
                "client's `connect_timeout`",
            )))),
        }
    }
}

/// Where to connect, parsed from the URL.
struct Target {
    host: String,
    port: u16,
    tls: bool,
}

impl Target {
    fn parse(url: &str, network: &Network) -> Result<Target> {
        let parsed = reqwest::Url::parse(url).map_err(|e| {
            Error::config(format!(
                "the connection URL is not a valid URL ({e}); write it like `wss://host/path`"
            ))
        })?;
        let tls = match parsed.scheme() {
            "wss" | "https" => true,
            "ws" | "http" => false,
            other => {
                return Err(Error::config(format!(
                    "a connection URL's scheme is `{other}`; use `wss` (or `ws` to loopback)"
                )));
            }
        };
        let host = match parsed.host_str() {
            // An IPv6 literal comes bracketed: connect wants the address alone.
            Some(h) => h.trim_start_matches('[').trim_end_matches(']').to_owned(),
            None => return Err(Error::config("the connection URL has no host")),
        };
        let loopback = host == "localhost"
            || host
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback());
        if !tls && !loopback && !network.allow_insecure_http {
            return Err(Error::config(format!(
                "the connection to {host} would be plain text (`{}`); use `wss`, or allow it with `allow_insecure_http(true)`",
                parsed.scheme()
            )));
        }
        let port = parsed
            .port_or_known_default()
            .unwrap_or(if tls { 443 } else { 80 });
        Ok(Target { host, port, tls })
    }
}

async fn open(target: &Target, network: &Network) -> Result<Connection> {
    let tcp = match &network.proxy {
        Some(proxy) => proxy::tunnel(proxy, &target.host, target.port).await?,
        None => TcpStream::connect((target.host.as_str(), target.port))
            .await
            .map_err(|e| transport(e, true))?,
    };
    let _ = tcp.set_nodelay(true);
    if !target.tls {
        return Ok(Connection {
            inner: Inner::Plain(tcp),
        });
    }
    tls::wrap(tcp, &target.host, &network.root_certificates).await
}

fn route() -> Route {
    Route::new(Method::GET, ROUTE)
}

/// A transport error of a connection (`connect`: nothing reached the host).
pub(crate) fn transport(
    source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    connect: bool,
) -> Error {
    Error::Transport(Box::new(TransportError {
        route: route(),
        connect,
        reading_body: false,
        source: Arc::from(source.into()),
    }))
}

impl AsyncRead for Connection {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        match &mut self.get_mut().inner {
            Inner::Plain(s) => Pin::new(s).poll_read(cx, buf),
            #[cfg(any(feature = "rustls-ring", feature = "rustls-aws-lc"))]
            Inner::Tls(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for Connection {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match &mut self.get_mut().inner {
            Inner::Plain(s) => Pin::new(s).poll_write(cx, buf),
            #[cfg(any(feature = "rustls-ring", feature = "rustls-aws-lc"))]
            Inner::Tls(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match &mut self.get_mut().inner {
            Inner::Plain(s) => Pin::new(s).poll_flush(cx),
            #[cfg(any(feature = "rustls-ring", feature = "rustls-aws-lc"))]
            Inner::Tls(s) => Pin::new(s.as_mut()).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match &mut self.get_mut().inner {
            Inner::Plain(s) => Pin::new(s).poll_shutdown(cx),
            #[cfg(any(feature = "rustls-ring", feature = "rustls-aws-lc"))]
            Inner::Tls(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
        }
    }
}
