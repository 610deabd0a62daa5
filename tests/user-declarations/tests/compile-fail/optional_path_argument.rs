use genesys::{Api, Result, api, endpoint};

#[api(crate = "genesys")]
pub trait UsersApi: Api {
    #[endpoint(method = "GET", path = "/api/v2/users/{userId}")]
    async fn get_user(&self, user_id: Option<&str>) -> Result<()>;
}

fn main() {}
