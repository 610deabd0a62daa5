use genesys_runtime::{Api, Result, api, endpoint};

#[api]
pub trait UsersApi: Api {
    #[endpoint(method = "GET", path = "/api/v2/users")]
    async fn list(&self) -> Result<()>;

    async fn forgotten(&self) -> Result<()>;
}
impl<T: Api + ?Sized> UsersApi for T {}

fn main() {}
