use genesys_runtime::{Api, Result, endpoint};

pub trait UsersApi: Api {
    #[endpoint(method = "GET", path = "/api/v2/users/{userId}/peers/{userId}")]
    async fn get_peer(&self, user_id: &str) -> Result<()>;
}

fn main() {}
