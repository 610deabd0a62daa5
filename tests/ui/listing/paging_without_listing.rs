use genesys_runtime::{Api, Result, endpoint};

pub trait UsersApi: Api {
    #[endpoint(method = "GET", path = "/api/v2/users", paging = "page")]
    fn list(&self) -> Result<Vec<serde_json::Value>>;
}

fn main() {}
