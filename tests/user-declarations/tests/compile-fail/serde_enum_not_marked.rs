use genesys::{Api, Result, api, endpoint};

/// Serializes as one string, but is not marked `impl genesys::Value for State {}`.
#[derive(serde::Serialize)]
pub enum State {
    Active,
}

#[api(crate = "genesys")]
pub trait UsersApi: Api {
    #[endpoint(method = "GET", path = "/api/v2/users")]
    async fn list(&self, #[header(name = "X-State")] state: State) -> Result<()>;
}

fn main() {}
