use genesys_runtime::{Api, Result, endpoint};

pub trait UsersApi: Api {
    #[endpoint(method = "DELETE", path = "/api/v2/users/{userId}")]
    async fn delete_user(&self, user_id: &str);
}

fn main() {}
