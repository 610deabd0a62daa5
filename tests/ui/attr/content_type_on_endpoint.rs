use genesys_runtime::{Api, Result, endpoint};

pub trait AvatarsApi: Api {
    #[endpoint(method = "PUT", path = "/api/v2/avatar", content_type = "image/png")]
    async fn put_avatar(&self, #[body(bytes)] png: &[u8]) -> Result<()>;
}

fn main() {}
