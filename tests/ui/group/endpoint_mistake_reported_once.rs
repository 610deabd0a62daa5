use genesys_runtime::{Api, Result, api, endpoint};

#[api]
pub trait UsersApi: Api {
    #[endpoint(method = "GET", path = "/api/v2/users/{userId}", timeout = "5")]
    async fn get_user(&self, user_id: &str) -> Result<()>;

    #[endpoint(method = "GET", path = "/api/v2/users")]
    async fn list(&self) -> Result<()>;
}

fn main() {}
