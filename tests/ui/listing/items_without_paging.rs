use genesys_runtime::{Api, Result, endpoint};

pub trait JobsApi: Api {
    #[endpoint(method = "GET", path = "/api/v2/jobs", items = "results")]
    async fn list(&self) -> Result<()>;
}

fn main() {}
