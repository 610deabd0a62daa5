use genesys_runtime::{Api, Result, endpoint};

pub trait UsersApi: Api {
    #[endpoint(method = "GET", path = "/api/v2/users")]
    async fn list(&self, #[header(name = "Request Id")] request_id: &str) -> Result<()>;
}

fn main() {}
