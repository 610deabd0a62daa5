use genesys::{Api, Result, api, endpoint};

pub struct Users {
    pub count: u32,
}

#[api(crate = "genesys")]
pub trait UsersApi: Api {
    #[endpoint(method = "GET", path = "/api/v2/users")]
    async fn list(&self) -> Result<Users>;
}

fn main() {}
