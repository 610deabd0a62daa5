use genesys_runtime::{Api, Result, endpoint};

pub trait UsersApi: Api {
    #[endpoint(method = "GET")]
    async fn list(&self) -> Result<()>;
}

fn main() {}
