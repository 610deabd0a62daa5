use genesys_runtime::{Api, Result, endpoint};

pub trait NotesApi: Api {
    #[endpoint(method = "POST", path = "/api/v2/notes")]
    async fn create(&self, #[body(text, bytes)] note: &str) -> Result<()>;
}

fn main() {}
