use genesys_runtime::{Api, Result, endpoint};

pub trait UsersApi: Api {
    #[endpoint(method = "GET", path = "/api/v2/users", crate = "genesys-runtime")]
    async fn list(&self) -> Result<()>;
}

fn main() {}
