use genesys_runtime::{Api, Listing, endpoint};

pub trait UsersApi: Api {
    #[endpoint(method = "GET", path = "/api/v2/users", paging = "offset")]
    fn list(&self) -> Listing<serde_json::Value>;
}

fn main() {}
