use genesys_runtime::{Api, Listing, endpoint};

pub struct User;

pub trait UsersApi: Api {
    #[endpoint(method = "GET", path = "/api/v2/users", paging = "page")]
    fn list(&self) -> Listing<User>;
}

fn main() {}
