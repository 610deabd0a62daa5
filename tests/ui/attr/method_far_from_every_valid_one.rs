use genesys_runtime::{Api, Result, endpoint};

pub trait UsersApi: Api {
    #[endpoint(method = "FETCH", path = "/api/v2/users")]
    async fn list(&self) -> Result<()>;
}

fn main() {}
