use genesys_runtime::{Api, Result, api, endpoint};

#[api]
pub trait UsersApi: Api {
    #[endpoint(method = "GET", path = "/api/v2/users", named)]
    async fn list<'x>(&self, #[query] state: Option<&'x str>) -> Result<serde_json::Value>;
}

impl<T: Api + ?Sized> UsersApi for T {}

fn main() {}
