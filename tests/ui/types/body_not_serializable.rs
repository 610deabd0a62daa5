use genesys_runtime::{Api, Result, endpoint};

pub struct NewUser {
    pub name: String,
}

pub trait UsersApi: Api {
    #[endpoint(method = "POST", path = "/api/v2/users")]
    async fn create(&self, #[body] user: &NewUser) -> Result<()>;
}

fn main() {}
