use genesys_runtime::{Api, Result, endpoint};

pub trait UsersApi: Api {
    #[endpoint(method = "GET", path = "/api/v2/users")]
    async fn list(
        &self,
        #[query] expand: Option<&str>,
        #[query(name = "expand")] more: Option<&str>,
    ) -> Result<()>;
}

fn main() {}
