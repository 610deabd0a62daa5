use genesys_runtime::{Api, Result, endpoint};

pub enum State {
    Active,
    Inactive,
}

pub trait UsersApi: Api {
    #[endpoint(method = "GET", path = "/api/v2/users")]
    async fn list(&self, #[query] state: Option<State>) -> Result<()>;
}

fn main() {}
