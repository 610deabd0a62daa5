use genesys_runtime::{Api, Result, endpoint};

#[endpoint(method = "GET", path = "/api/v2/users")]
pub async fn list() -> Result<()> {
    Ok(())
}

fn main() {}
