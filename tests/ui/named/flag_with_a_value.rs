use genesys_runtime::{Api, Result, api, endpoint};

#[api]
pub trait UsersApi: Api {
    #[endpoint(method = "GET", path = "/api/v2/users", named = "yes")]
    async fn list(&self, #[query] state: Option<&str>) -> Result<serde_json::Value>;
}

impl<T: Api + ?Sized> UsersApi for T {}

fn main() {}
