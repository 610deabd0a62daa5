use genesys_runtime::{Api, Result, endpoint};

pub trait UsersApi: Api {
    #[endpoint(method = "GET", path = "/api/v2/users")]
    async fn list(
        &self,
        #[header(name = "X-Request-Id")] id: &str,
        #[header(name = "x-request-id")] again: &str,
    ) -> Result<()>;
}

fn main() {}
