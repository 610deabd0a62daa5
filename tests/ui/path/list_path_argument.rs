use genesys_runtime::{Api, Result, endpoint};

pub trait UsersApi: Api {
    #[endpoint(method = "GET", path = "/api/v2/users/{userId}")]
    async fn get_user(&self, user_id: Vec<u8>) -> Result<()>;
}

fn main() {}
