use genesys_runtime::{Result, endpoint};

#[endpoint(method = "GET", path = "/api/v2/users")]
async fn list() -> Result<()> {
    Ok(())
}

fn main() {}
