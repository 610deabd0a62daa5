use genesys::{Api, Result, api, endpoint};

#[api(crate = "genesys")]
pub trait UsersApi: Api {
    #[endpoint(method = "GET", path = "/api/v2/users")]
    async fn list(&self) -> Result<()>;

    #[endpoint(method = "GET", path = "/api/v2/users")]
    async fn list_all(&self) -> Result<()>;
}

fn main() {}
