//! An HTTP `CONNECT` tunnel through the client's proxy (RFC 9110 §9.3.6).

use base64::Engine as _;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::error::{Error, Result};

/// The longest proxy answer read before giving up on it.
const MAX_ANSWER: usize = 8 * 1024;

/// Connects to `host:port` through the `http://` proxy at `proxy`.
pub(super) async fn tunnel(proxy: &str, host: &str, port: u16) -> Result<TcpStream> {
    let url = reqwest::Url::parse(proxy).map_err(|e| {
        Error::config(format!(
            "the proxy URL is not a valid URL ({e}); write it like `http://proxy:3128`"
        ))
    })?;
    if url.scheme() != "http" {
        return Err(Error::config(format!(
            "a `{}` proxy cannot carry a connection here (only an `http://` proxy's CONNECT tunnel can); set an `http://` proxy",
            url.scheme()
        )));
    }
    let proxy_host = url
        .host_str()
        .ok_or_else(|| Error::config("the proxy URL has no host"))?
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_owned();
    let proxy_port = url.port_or_known_default().unwrap_or(80);
    let mut stream = TcpStream::connect((proxy_host.as_str(), proxy_port))
        .await
        .map_err(|e| super::transport(e, true))?;

    let authority = if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    };
    let mut request = format!("CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\n");
    if !url.username().is_empty() {
        let user = percent_encoding::percent_decode_str(url.username()).decode_utf8_lossy();
        let password =
            percent_encoding::percent_decode_str(url.password().unwrap_or("")).decode_utf8_lossy();
        let credentials =
            base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
        request.push_str(&format!("Proxy-Authorization: Basic {credentials}\r\n"));
    }
    request.push_str("\r\n");
    stream
        .write_all(request.as_bytes())
        .await
        .map_err(|e| super::transport(e, true))?;

    // The answer's head, read a byte at a time: what follows it is the tunnel's.
    let mut head = Vec::with_capacity(256);
    while !head.ends_with(b"\r\n\r\n") {
        if head.len() >= MAX_ANSWER {
            return Err(super::transport(
                format!("the proxy's answer to CONNECT passed {MAX_ANSWER} bytes without ending"),
                true,
            ));
        }
        let byte = stream
            .read_u8()
            .await
            .map_err(|e| super::transport(e, true))?;
        head.push(byte);
    }
    let status_line = head.split(|b| *b == b'\n').next().unwrap_or_default();
    let status_line = String::from_utf8_lossy(status_line);
    let status = status_line.split_whitespace().nth(1).unwrap_or("");
    if !status.starts_with('2') || status.len() != 3 {
        return Err(super::transport(
            format!(
                "the proxy refused the tunnel to {authority}: `{}`{}",
                status_line.trim_end(),
                if status == "407" {
                    "; give the proxy's credentials in its URL (`http://user:password@proxy`)"
                } else {
                    ""
                }
            ),
            true,
        ));
    }
    Ok(stream)
}
