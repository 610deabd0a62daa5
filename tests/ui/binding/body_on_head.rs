use genesys_runtime::{Api, Result, endpoint};

pub trait UsersApi: Api {
    #[endpoint(method = "HEAD", path = "/api/v2/users")]
    async fn check(&self, #[body] filter: &str) -> Result<()>;
}

fn main() {}
