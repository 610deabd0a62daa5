use genesys_runtime::{Api, Result, endpoint};

pub trait LoginApi: Api {
    #[endpoint(method = "POST", path = "/api/v2/login")]
    async fn login(&self, #[body(form)] form: &str) -> Result<()>;
}

fn main() {}
