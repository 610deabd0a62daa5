use genesys_runtime::{Api, Result, endpoint};

pub trait ReportsApi: Api {
    #[endpoint(method = "POST", path = "/api/v2/analytics/reports", timeout = "30")]
    async fn run_report(&self) -> Result<()>;
}

fn main() {}
