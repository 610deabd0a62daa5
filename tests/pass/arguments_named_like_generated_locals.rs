//! Arguments named like what the generated code uses internally (`request`, `client`,
//! `method`, `path`, `body`, `query`, `header`, `send`) do not collide with it.
#![allow(dead_code)]

use genesys_runtime::{Api, Client, Result, endpoint};

pub trait OddNamesApi: Api {
    #[endpoint(method = "PATCH", path = "/api/v2/things/{request}/{client}")]
    async fn patch_thing(
        &self,
        request: &str,
        client: u64,
        #[query] method: Option<&str>,
        #[query] path: Option<i32>,
        #[query] query: Vec<String>,
        #[header(name = "X-Header")] header: Option<&str>,
        #[query] send: bool,
        #[body] body: &serde_json::Value,
    ) -> Result<serde_json::Value>;

    #[endpoint(method = "GET", path = "/api/v2/things/{type}")]
    async fn get_by_type(&self, r#type: &str) -> Result<()>;
}

impl<T: Api + ?Sized> OddNamesApi for T {}

/// The future is `Send` and can be spawned.
fn spawnable(client: Client) {
    fn assert_send<T: Send>(_: T) {}
    assert_send(async move {
        let _ = client.get_by_type("x").await;
    });
}

fn main() {}
