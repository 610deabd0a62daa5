use genesys_runtime::{Api, Result, api, endpoint};

#[api]
pub trait UsersApi: Api {
    #[endpoint(method = "GET", path = "/api/v2/users")]
    async fn list(&self) -> Result<()>;

    #[endpoint(method = "GET", path = "/api/v2/users/me")]
    async fn list(&self) -> Result<()>;
}

fn main() {}
