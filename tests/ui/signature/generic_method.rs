use genesys_runtime::{Api, Result, endpoint};

pub trait UsersApi: Api {
    #[endpoint(method = "GET", path = "/api/v2/users/{userId}")]
    async fn get_user<T: AsRef<str>>(&self, user_id: T) -> Result<()>;
}

fn main() {}
