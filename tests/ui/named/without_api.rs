use genesys_runtime::{Api, Result, endpoint};

pub trait UsersApi: Api {
    // The call type has nowhere to go without `#[api]` on the trait.
    #[endpoint(method = "GET", path = "/api/v2/users", named)]
    async fn list(&self, #[query] state: Option<&str>) -> Result<serde_json::Value>;
}

fn main() {}
