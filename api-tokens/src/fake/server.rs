//! The fake's HTTP side: a hyper server on loopback, routing, faults, the request log, and
//! responses in the real shapes (`ErrorBody`, OAuth errors, `ININ-Correlation-Id`).

use std::convert::Infallible;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderValue, Method, Response, StatusCode, header};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use serde_json::json;
use time::OffsetDateTime;

use super::notify::Notifications;
use super::state::{Organization, PERMISSION_ORGANIZATION_ADMIN, PERMISSION_TOKEN_DELETE};
use super::{FakeRequest, Faults};
use crate::TOKENS_API;
use crate::models::{
    AuthorizedGrantType, Entity, IdleTokenTimeout, NamedEntity, OAuthClientState, OrgOAuthClient,
    TokenInfo, TokenInfoClonedUser,
};
use genesys_runtime::ParamKind;

/// Everything the handlers share.
pub(crate) struct Shared {
    pub(crate) org: Mutex<Organization>,
    pub(crate) notifications: Mutex<Notifications>,
    /// `ws://127.0.0.1:<port>`: where the notification sockets listen.
    pub(crate) ws_base: String,
    pub(crate) faults: Mutex<Faults>,
    pub(crate) log: Mutex<Vec<FakeRequest>>,
    pub(crate) correlation: AtomicU64,
}

pub(crate) type Reply = Response<Full<Bytes>>;

impl Shared {
    pub(crate) fn notifications(&self) -> std::sync::MutexGuard<'_, Notifications> {
        self.notifications.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Handles one request: faults first, then the route, then the log.
pub(crate) async fn handle(
    shared: Arc<Shared>,
    request: hyper::Request<Incoming>,
) -> Result<Reply, Infallible> {
    let (parts, body) = request.into_parts();
    let body = body
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    let correlation_id = format!(
        "fake-{:08x}-{:04x}",
        std::process::id(),
        shared.correlation.fetch_add(1, Ordering::Relaxed)
    );
    let path = parts.uri.path().to_owned();
    let query = parts.uri.query().map(str::to_owned);

    let (latency, injected) = {
        let mut faults = shared.faults.lock().unwrap_or_else(|e| e.into_inner());
        (faults.latency, faults.take())
    };
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    let mut reply = match injected {
        Some(reply) => reply,
        None => route(
            &shared,
            &parts.method,
            &path,
            query.as_deref(),
            &parts.headers,
            &body,
        ),
    };
    reply.headers_mut().insert(
        "inin-correlation-id",
        HeaderValue::from_str(&correlation_id).expect("ascii"),
    );
    shared
        .log
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push(FakeRequest {
            method: parts.method,
            path,
            query,
            status: reply.status(),
            correlation_id,
        });
    Ok(reply)
}

fn route(
    shared: &Shared,
    method: &Method,
    path: &str,
    query: Option<&str>,
    headers: &http::HeaderMap,
    body: &Bytes,
) -> Reply {
    let mut org = shared.org.lock().unwrap_or_else(|e| e.into_inner());
    if path == "/oauth/token" {
        return if method == Method::POST {
            login(&mut org, headers, body)
        } else {
            error_body(
                StatusCode::METHOD_NOT_ALLOWED,
                "method.not.allowed",
                "Use POST.",
                None,
            )
        };
    }
    if let Some(rest) = path.strip_prefix("/api/v2/notifications/channels") {
        let client_id = match authenticate(&mut org, method, headers, false) {
            Ok(token) => org
                .token(&token)
                .and_then(|t| t.client_id.clone())
                .unwrap_or_default(),
            Err(refused) => return *refused,
        };
        drop(org);
        return super::notify::route(
            &mut shared.notifications(),
            &client_id,
            method,
            rest,
            query,
            body,
            &shared.ws_base,
        );
    }
    // The route table the client calls with: the same operations, paths and wire names.
    let Some((endpoint, path_args)) = TOKENS_API.route(method, path) else {
        return error_body(
            StatusCode::NOT_FOUND,
            "not.found",
            "The requested resource was not found.",
            None,
        );
    };
    let operation = endpoint.operation;
    let preserve_idle = endpoint
        .params
        .iter()
        .find(|p| p.kind == ParamKind::Query)
        .is_some_and(|p| query_value(query, p.name) == Some("true"));
    let token = match authenticate(&mut org, method, headers, preserve_idle) {
        Ok(token) => token,
        Err(refused) => return *refused,
    };

    match operation {
        "head_tokens_me" => empty(StatusCode::OK),
        "get_tokens_me" => json_reply(StatusCode::OK, &token_info(&org, &token)),
        "delete_tokens_me" => {
            org.revoke(&token);
            empty(StatusCode::OK)
        }
        "get_tokens_timeout" => json_reply(StatusCode::OK, &org.timeout),
        "put_tokens_timeout" => {
            if !has_permission(&org, &token, PERMISSION_ORGANIZATION_ADMIN) {
                return missing_permission(PERMISSION_ORGANIZATION_ADMIN);
            }
            let update: IdleTokenTimeout = if body.is_empty() {
                IdleTokenTimeout::default()
            } else {
                match serde_json::from_slice(body) {
                    Ok(update) => update,
                    Err(e) => {
                        return error_body(
                            StatusCode::BAD_REQUEST,
                            "bad.request",
                            &format!(
                                "The request could not be understood by the server due to malformed syntax: {e}"
                            ),
                            None,
                        );
                    }
                }
            };
            match org.update_timeout(update) {
                Ok(stored) => json_reply(StatusCode::OK, &stored),
                Err((field, message)) => error_body(
                    StatusCode::BAD_REQUEST,
                    "bad.request",
                    &message,
                    Some(field),
                ),
            }
        }
        "delete_token" => {
            if !has_permission(&org, &token, PERMISSION_TOKEN_DELETE) {
                return missing_permission(PERMISSION_TOKEN_DELETE);
            }
            let user_id = percent_decode(path_args.first().map_or("", |(_, value)| value));
            match org.revoke_user(&user_id) {
                Some(_) => empty(StatusCode::NO_CONTENT),
                None => error_body(
                    StatusCode::NOT_FOUND,
                    "not.found",
                    &format!("User {user_id} was not found."),
                    None,
                ),
            }
        }
        _ => error_body(
            StatusCode::NOT_FOUND,
            "not.found",
            "The requested resource was not found.",
            None,
        ),
    }
}

/// The request's bearer token, if valid; else the `401` to answer (empty for `HEAD`).
fn authenticate(
    org: &mut Organization,
    method: &Method,
    headers: &http::HeaderMap,
    preserve_idle: bool,
) -> Result<String, Box<Reply>> {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    org.authenticate(bearer, preserve_idle).map_err(|refusal| {
        Box::new(if method == Method::HEAD {
            empty(StatusCode::UNAUTHORIZED)
        } else {
            error_body(
                StatusCode::UNAUTHORIZED,
                "bad.credentials",
                refusal.message(),
                None,
            )
        })
    })
}

fn has_permission(org: &Organization, token: &str, permission: &str) -> bool {
    org.token(token)
        .is_some_and(|t| t.permissions.iter().any(|p| p == permission))
}

fn missing_permission(permission: &str) -> Reply {
    let body = json!({
        "message": format!("You are missing the following permission(s): {permission}"),
        "code": "missing.any.permissions",
        "status": 403,
        "messageWithParams": "You are missing the following permission(s): {perms}",
        "messageParams": {"perms": permission},
    });
    json_reply(StatusCode::FORBIDDEN, &body)
}

fn token_info(org: &Organization, token: &str) -> TokenInfo {
    let Some(entry) = org.token(token) else {
        return TokenInfo::default();
    };
    let organization = NamedEntity {
        id: Some(org.id.clone()),
        name: Some(org.name.clone()),
    };
    let mut info = TokenInfo {
        organization: Some(organization.clone()),
        home_organization: Some(organization.clone()),
        authorized_scope: Some(entry.scopes.clone()),
        date_token_idles: org.date_token_idles(entry),
        ..TokenInfo::default()
    };
    if let Some(client) = entry.client_id.as_deref().and_then(|id| org.client(id)) {
        info.oauth_client = Some(OrgOAuthClient {
            id: Some(client.id.clone()),
            name: Some(client.name.clone()),
            // A user's token came from a sign-in (authorization code), a client's own from
            // client credentials.
            authorized_grant_type: Some(if entry.user_id.is_some() {
                AuthorizedGrantType::Code
            } else {
                AuthorizedGrantType::ClientCredentials
            }),
            scope: Some(client.scopes.clone()),
            state: Some(OAuthClientState::Active),
            organization: Some(organization),
            date_created: Some(OffsetDateTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000)),
            ..OrgOAuthClient::default()
        });
    }
    if let Some(user_id) = &entry.user_id {
        info.cloned_user = Some(TokenInfoClonedUser {
            id: Some(user_id.clone()),
            organization: Some(Entity {
                id: Some(org.id.clone()),
            }),
        });
    }
    info
}

/// `POST /oauth/token`: `grant_type=client_credentials` (HTTP Basic client credentials) or
/// `grant_type=refresh_token` (HTTP Basic, or `client_id` in the form for a public client).
fn login(org: &mut Organization, headers: &http::HeaderMap, body: &Bytes) -> Reply {
    let form: Vec<(String, String)> = std::str::from_utf8(body)
        .unwrap_or_default()
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (percent_decode(k), percent_decode(v)))
        .collect();
    let field = |name: &str| {
        form.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let basic = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .and_then(base64_decode)
        .and_then(|raw| String::from_utf8(raw).ok());
    let basic = basic.as_deref().and_then(|c| c.split_once(':'));
    let issued = |(access, refresh, lifetime): (String, String, Duration)| {
        json_reply(
            StatusCode::OK,
            &json!({"access_token": access, "refresh_token": refresh, "token_type": "bearer", "expires_in": lifetime.as_secs()}),
        )
    };
    match field("grant_type") {
        Some("client_credentials") => {
            let Some((id, secret)) = basic else {
                return oauth_error(
                    StatusCode::UNAUTHORIZED,
                    "invalid_client",
                    "client credentials are required as HTTP Basic authentication",
                );
            };
            match org.login(id, secret) {
                Some((token, lifetime)) => json_reply(
                    StatusCode::OK,
                    &json!({"access_token": token, "token_type": "bearer", "expires_in": lifetime.as_secs()}),
                ),
                None => oauth_error(
                    StatusCode::UNAUTHORIZED,
                    "invalid_client",
                    "client not found or secret mismatch",
                ),
            }
        }
        Some("refresh_token") => {
            let (id, secret) = match (basic, field("client_id")) {
                (Some((id, secret)), _) => (id, Some(secret)),
                (None, Some(id)) => (id, None),
                (None, None) => {
                    return oauth_error(
                        StatusCode::UNAUTHORIZED,
                        "invalid_client",
                        "the client is required: HTTP Basic, or client_id for a public client",
                    );
                }
            };
            let Some(refresh_token) = field("refresh_token") else {
                return oauth_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_request",
                    "refresh_token is required",
                );
            };
            match org.refresh(id, secret, refresh_token) {
                Ok(tokens) => issued(tokens),
                Err((status, error, description)) => oauth_error(status, error, description),
            }
        }
        _ => oauth_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "this fake issues tokens for grant_type=client_credentials and refresh_token",
        ),
    }
}

fn oauth_error(status: StatusCode, error: &str, description: &str) -> Reply {
    json_reply(
        status,
        &json!({"error": error, "error_description": description}),
    )
}

/// A reply in the real `ErrorBody` shape.
pub(crate) fn error_body(
    status: StatusCode,
    code: &str,
    message: &str,
    field: Option<&str>,
) -> Reply {
    let mut body = json!({"message": message, "code": code, "status": status.as_u16()});
    if let Some(field) = field {
        body["details"] = json!([{"errorCode": code, "fieldName": field}]);
    }
    json_reply(status, &body)
}

pub(crate) fn json_reply(status: StatusCode, body: &impl serde::Serialize) -> Reply {
    let bytes = serde_json::to_vec(body).unwrap_or_default();
    let mut reply = Response::new(Full::new(Bytes::from(bytes)));
    *reply.status_mut() = status;
    reply.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    reply
}

pub(crate) fn empty(status: StatusCode) -> Reply {
    let mut reply = Response::new(Full::new(Bytes::new()));
    *reply.status_mut() = status;
    reply
}

fn query_value<'q>(query: Option<&'q str>, key: &str) -> Option<&'q str> {
    query?
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| *k == key)
        .map(|(_, v)| v)
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let value = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let trimmed = text.trim().trim_end_matches('=');
    let mut out = Vec::with_capacity(trimmed.len() * 3 / 4);
    let mut buffer = 0u32;
    let mut bits = 0;
    for c in trimmed.bytes() {
        buffer = (buffer << 6) | value(c)?;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_and_percent_decoding() {
        assert_eq!(
            base64_decode("Y2xpZW50LTE6c2VjcmV0LTE=").unwrap(),
            b"client-1:secret-1"
        );
        assert_eq!(base64_decode("YQ==").unwrap(), b"a");
        assert!(base64_decode("!!").is_none());
        assert_eq!(percent_decode("a%2Fb%20c"), "a/b c");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%E6%97%A5"), "日");
    }
}
