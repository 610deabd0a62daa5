use genesys_runtime::{Api, Result, endpoint};

pub struct Users;

impl Users {
    #[endpoint(method = "GET", path = "/api/v2/users")]
    pub async fn list(&self) -> Result<()> {
        Ok(())
    }
}

fn _api(_: &dyn Api) {}

fn main() {}
