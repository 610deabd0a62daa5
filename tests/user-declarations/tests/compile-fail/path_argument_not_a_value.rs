use genesys::{Api, Result, api, endpoint};

/// An id type without `impl genesys::Value`.
#[derive(serde::Serialize)]
pub struct UserId(pub String);

#[api(crate = "genesys")]
pub trait UsersApi: Api {
    #[endpoint(method = "GET", path = "/api/v2/users/{userId}")]
    async fn get_user(&self, user_id: &UserId) -> Result<()>;
}

fn main() {}
