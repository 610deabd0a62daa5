use genesys_runtime::{Api, Result, endpoint};

pub trait UsersApi: Api {
    #[endpoint(method = "get", path = "/api/v2/users/{userId}", timeout = 5)]
    async fn get_user(&self, page_size: i32) -> Result<()>;
}

impl<T: Api + ?Sized> UsersApi for T {}

/// Still type-checks: the method is emitted next to the errors.
pub async fn caller(client: &genesys_runtime::Client) -> Result<()> {
    client.get_user(25).await
}

fn main() {}
