//! The headers that are the runtime's alone: they say where a request goes and how it is
//! framed on the connection, so neither a [`Hook`](crate::Hook) nor a call's
//! [`CallOptions`](crate::CallOptions) may set them. A `Host` of a hook's choosing would let
//! a proxy that routes by `Host` deliver the token-bearing request to another virtual host; a
//! `Content-Length` or `Transfer-Encoding` would misframe the body on a shared connection.

use http::{HeaderMap, HeaderName, header};

/// The connection-level headers, as HTTP/1.1 (RFC 9110, 9112) names them; `Authorization`
/// is the credential's, added after the hooks.
pub(crate) fn is_runtimes(name: &HeaderName) -> bool {
    name == header::HOST
        || name == header::CONTENT_LENGTH
        || name == header::TRANSFER_ENCODING
        || name == header::CONNECTION
        || name == header::TE
        || name == header::TRAILER
        || name == header::UPGRADE
        || name == header::PROXY_AUTHORIZATION
        || matches!(name.as_str(), "keep-alive" | "proxy-connection")
}

/// Removes the runtime's headers that `headers` holds, and returns how many it removed
/// (a hook set them).
pub(crate) fn drop_runtimes(headers: &mut HeaderMap) -> usize {
    if !headers.keys().any(is_runtimes) {
        return 0;
    }
    let names: Vec<HeaderName> = headers.keys().filter(|n| is_runtimes(n)).cloned().collect();
    for name in &names {
        headers.remove(name);
    }
    names.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    #[test]
    fn the_connection_level_headers_are_dropped_and_the_others_kept() {
        let mut headers = HeaderMap::new();
        for name in [
            "host",
            "Content-Length",
            "transfer-encoding",
            "connection",
            "keep-alive",
            "te",
            "trailer",
            "upgrade",
            "proxy-authorization",
            "proxy-connection",
            "x-tenant",
            "accept",
        ] {
            headers.append(
                HeaderName::from_bytes(name.as_bytes()).unwrap(),
                HeaderValue::from_static("v"),
            );
        }
        headers.append(header::HOST, HeaderValue::from_static("second"));
        assert_eq!(drop_runtimes(&mut headers), 10);
        let mut left: Vec<&str> = headers.keys().map(HeaderName::as_str).collect();
        left.sort_unstable();
        assert_eq!(left, ["accept", "x-tenant"]);
        assert_eq!(drop_runtimes(&mut headers), 0);
    }
}
