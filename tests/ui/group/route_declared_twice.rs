use genesys_runtime::{Api, Result, api, endpoint};

#[api]
pub trait UsersApi: Api {
    #[endpoint(method = "GET", path = "/api/v2/users")]
    async fn list(&self) -> Result<()>;

    #[endpoint(method = "GET", path = "/api/v2/users")]
    async fn list_again(&self, #[query] state: Option<&str>) -> Result<()>;
}
impl<T: Api + ?Sized> UsersApi for T {}

fn main() {}
