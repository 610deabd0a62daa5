use genesys_runtime::{Api, Result, endpoint};

pub trait NotesApi: Api {
    #[endpoint(method = "POST", path = "/api/v2/notes")]
    async fn create(&self, #[body(bytes, content_type = "image png")] note: &[u8]) -> Result<()>;
}

fn main() {}
