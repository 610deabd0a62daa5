use genesys_runtime::{Api, Result, endpoint};

/// Several fields: not one query value.
#[derive(serde::Serialize)]
pub struct Filter {
    pub state: String,
    pub name: String,
}

pub trait UsersApi: Api {
    #[endpoint(method = "GET", path = "/api/v2/users")]
    async fn list(&self, #[query] filter: &Filter) -> Result<()>;
}

fn main() {}
