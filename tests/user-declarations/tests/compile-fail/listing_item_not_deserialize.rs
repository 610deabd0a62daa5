use genesys::{Api, Listing, api, endpoint};

pub struct Queue {
    pub id: String,
}

#[api(crate = "genesys")]
pub trait RoutingApi: Api {
    #[endpoint(method = "GET", path = "/api/v2/routing/queues", paging = "page")]
    fn list_queues(&self) -> Listing<Queue>;
}

fn main() {}
