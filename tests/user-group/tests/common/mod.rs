//! The test logic both seams run: the in-process stubs and the loopback fake.

#![allow(dead_code)]

use user_group::{IdleTimeout, SessionApi, session_report};

/// The users the report signs out: one the fake knows, one it does not.
pub const USERS: [&str; 2] = ["ann", "nobody"];

/// What goes on the wire for the report, in order.
pub const ROUTES: [(&str, &str); 3] = [
    ("GET", "/api/v2/tokens/me"),
    ("DELETE", "/api/v2/tokens/ann"),
    ("DELETE", "/api/v2/tokens/nobody"),
];

/// The idle timeout the test sets.
pub fn timeout() -> IdleTimeout {
    IdleTimeout {
        enable_idle_token_timeout: true,
        idle_token_timeout_seconds: 3600,
    }
}

/// The report, and the setting as the server answered it.
pub async fn run(api: &impl SessionApi) -> (String, IdleTimeout) {
    let report = session_report(api, &USERS).await.expect("the report");
    let set = api.set_idle_timeout(&timeout()).await.expect("the setting");
    (report, set)
}

/// The report for an organization with `scopes` scopes.
pub fn expected(scopes: usize) -> String {
    format!("Fake Organization: {scopes} scopes; signed out 1; unknown [\"nobody\"]")
}
