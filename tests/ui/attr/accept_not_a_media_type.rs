use genesys_runtime::{Api, PlainText, Result, endpoint};

pub trait ExportsApi: Api {
    #[endpoint(method = "GET", path = "/api/v2/exports/{exportId}", accept = "csv")]
    async fn download(&self, export_id: &str) -> Result<PlainText>;
}

fn main() {}
