use genesys_runtime::{Api, Listing, endpoint};

pub trait AnalyticsApi: Api {
    // The paging fields go in the body, and there is none.
    #[endpoint(
        method = "POST",
        path = "/api/v2/analytics/conversations/details/query",
        paging = "body-paging",
        items = "conversations"
    )]
    fn query(&self) -> Listing<serde_json::Value>;
}

fn main() {}
