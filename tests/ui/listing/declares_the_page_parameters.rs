use genesys_runtime::{Api, Listing, endpoint};

pub trait UsersApi: Api {
    #[endpoint(method = "GET", path = "/api/v2/users", paging = "page")]
    fn list(
        &self,
        #[query] page_number: Option<u32>,
        #[query] page_size: Option<u32>,
    ) -> Listing<serde_json::Value>;
}

fn main() {}
