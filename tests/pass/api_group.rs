//! `#[api]` with a full-path `#[endpoint]`, policy keys and an unused-import lint denied: the
//! table is generated and the user's imports stay used.
#![deny(unused_imports)]

use genesys_runtime::{Api, Result, api, endpoint};

/// Users, declared.
#[api]
pub trait UsersApi: Api {
    /// Get a user.
    #[endpoint(method = "GET", path = "/api/v2/users/{userId}", timeout = "5s")]
    async fn get_user(&self, user_id: &str, #[query] expand: &[&str]) -> Result<serde_json::Value>;

    /// Search users (a read-only POST).
    #[genesys_runtime::endpoint(method = "POST", path = "/api/v2/users/search", retry = "safe")]
    async fn search(&self, #[body] query: &serde_json::Value) -> Result<serde_json::Value>;
}
impl<T: Api + ?Sized> UsersApi for T {}

fn main() {
    assert_eq!(USERS_API.endpoints().len(), 2);
    let get = USERS_API.endpoint("get_user").unwrap();
    assert_eq!(get.timeout, Some(std::time::Duration::from_secs(5)));
    assert!(get.param("expand").unwrap().list);
    assert_eq!(USERS_API.endpoint("search").unwrap().retry, genesys_runtime::RetryRule::Safe);
}
