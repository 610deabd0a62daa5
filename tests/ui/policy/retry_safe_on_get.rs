use genesys_runtime::{Api, Result, endpoint};

pub trait ReportsApi: Api {
    #[endpoint(method = "GET", path = "/api/v2/analytics/reports", retry = "safe")]
    async fn run_report(&self) -> Result<()>;
}

fn main() {}
