use genesys_runtime::{Api, Result, endpoint};

pub trait UsersApi: Api {
    #[endpoint(method = "POST", path = "/api/v2/users")]
    async fn create(&self, #[body(name = "user")] user: &str) -> Result<()>;
}

fn main() {}
