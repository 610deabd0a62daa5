use genesys_runtime::{Api, Client, Result, endpoint};

pub struct Users {
    client: Client,
}

impl Api for Users {
    fn client(&self) -> &Client {
        &self.client
    }
}

impl Users {
    #[endpoint(method = "GET", path = "/api/v2/users")]
    async fn list(&self) -> Result<()>;
}

fn main() {}
