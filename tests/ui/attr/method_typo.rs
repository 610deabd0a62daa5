use genesys_runtime::{Api, Result, endpoint};

pub trait UsersApi: Api {
    #[endpoint(method = "DELTE", path = "/api/v2/users/{userId}")]
    async fn delete_user(&self, user_id: &str) -> Result<()>;
}

fn main() {}
