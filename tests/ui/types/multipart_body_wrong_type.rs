use genesys_runtime::{Api, Result, endpoint};

pub trait UploadsApi: Api {
    #[endpoint(method = "POST", path = "/api/v2/uploads")]
    async fn upload(&self, #[body(multipart)] form: &str) -> Result<()>;
}

fn main() {}
