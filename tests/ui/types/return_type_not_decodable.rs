use genesys_runtime::{Api, Result, endpoint};

pub struct Users {
    pub ids: Vec<String>,
}

pub trait UsersApi: Api {
    #[endpoint(method = "GET", path = "/api/v2/users")]
    async fn list(&self) -> Result<Users>;
}

fn main() {}
