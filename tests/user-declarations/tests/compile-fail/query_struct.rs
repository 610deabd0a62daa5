use genesys::{Api, Result, api, endpoint};

#[derive(serde::Serialize)]
pub struct Filter {
    pub state: String,
    pub name: String,
}

#[api(crate = "genesys")]
pub trait UsersApi: Api {
    #[endpoint(method = "GET", path = "/api/v2/users")]
    async fn list(&self, #[query] filter: &Filter) -> Result<()>;
}

fn main() {}
