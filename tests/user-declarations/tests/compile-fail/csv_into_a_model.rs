use genesys::{Api, Result, api, endpoint};

#[derive(serde::Deserialize)]
pub struct Report {
    pub rows: Vec<String>,
}

#[api(crate = "genesys")]
pub trait ExportsApi: Api {
    #[endpoint(method = "GET", path = "/api/v2/exports/{exportId}", accept = "text/csv")]
    async fn export(&self, export_id: &str) -> Result<Report>;
}

fn main() {}
