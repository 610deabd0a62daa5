use genesys_runtime::{Api, Result, endpoint};

pub trait NotesApi: Api {
    #[endpoint(method = "POST", path = "/api/v2/notes")]
    async fn create(&self, #[body(text)] note: u32) -> Result<()>;
}

fn main() {}
