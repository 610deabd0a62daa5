use genesys_runtime::{Api, Result, endpoint};

pub trait UsersApi: Api {
    #[endpoint(method = "GET", path = "/api/v2/users/{userId}")]
    async fn get_user(&self, #[query] user_id: &str) -> Result<()>;
}

fn main() {}
