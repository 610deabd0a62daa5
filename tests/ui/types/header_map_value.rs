use std::collections::HashMap;

use genesys_runtime::{Api, Result, endpoint};

pub trait UsersApi: Api {
    #[endpoint(method = "GET", path = "/api/v2/users")]
    async fn list(&self, #[header(name = "X-Tags")] tags: &HashMap<String, String>) -> Result<()>;
}

fn main() {}
