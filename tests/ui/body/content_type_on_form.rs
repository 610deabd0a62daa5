use genesys_runtime::{Api, Result, endpoint};

#[derive(serde::Serialize)]
pub struct Login {
    pub user: String,
}

pub trait LoginApi: Api {
    #[endpoint(method = "POST", path = "/api/v2/login")]
    async fn login(&self, #[body(form, content_type = "text/plain")] form: &Login) -> Result<()>;
}

fn main() {}
