use genesys_runtime::{Api, Result, endpoint};

pub trait UsersApi: Api {
    /// A `Host` of the caller's choosing would let a proxy route the token elsewhere.
    #[endpoint(method = "GET", path = "/api/v2/users")]
    async fn list(&self, #[header(name = "Host")] host: &str) -> Result<()>;
}

fn main() {}
