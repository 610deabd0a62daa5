use genesys_runtime::{Api, Listing, endpoint};

pub trait JobsApi: Api {
    #[endpoint(method = "GET", path = "/api/v2/jobs", paging = "cursor", items = "data.results")]
    fn list(&self) -> Listing<serde_json::Value>;
}

fn main() {}
