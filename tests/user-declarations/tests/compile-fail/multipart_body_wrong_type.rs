use genesys::{Api, Result, api, endpoint};

#[api(crate = "genesys")]
pub trait UploadsApi: Api {
    #[endpoint(method = "POST", path = "/api/v2/uploads")]
    async fn upload(&self, #[body(multipart)] form: &[u8]) -> Result<()>;
}

fn main() {}
