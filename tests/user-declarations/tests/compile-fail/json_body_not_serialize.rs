use genesys::{Api, Result, api, endpoint};

pub struct NewUser {
    pub name: String,
}

#[api(crate = "genesys")]
pub trait UsersApi: Api {
    #[endpoint(method = "POST", path = "/api/v2/users")]
    async fn create(&self, #[body] user: &NewUser) -> Result<()>;
}

fn main() {}
