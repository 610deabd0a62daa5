use genesys_runtime::{Api, Result, endpoint};

pub trait ReportsApi: Api {
    #[endpoint(method = "POST", path = "/api/v2/analytics/reports", timeout = "5s", timeout = "10s")]
    async fn run_report(&self) -> Result<()>;
}

fn main() {}
