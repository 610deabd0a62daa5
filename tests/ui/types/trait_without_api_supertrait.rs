use genesys_runtime::{Result, endpoint};

pub trait UsersApi {
    #[endpoint(method = "GET", path = "/api/v2/users")]
    async fn list(&self) -> Result<()>;
}

fn main() {}
