use genesys_runtime::{Api, endpoint};

#[derive(Debug)]
pub struct MyError;

pub trait UsersApi: Api {
    #[endpoint(method = "GET", path = "/api/v2/users")]
    async fn list(&self) -> std::result::Result<(), MyError>;
}

fn main() {}
