use genesys_runtime::{Api, Listing, endpoint};

pub trait UsersApi: Api {
    #[endpoint(method = "DELETE", path = "/api/v2/users", paging = "page")]
    fn list(&self) -> Listing<serde_json::Value>;
}

fn main() {}
