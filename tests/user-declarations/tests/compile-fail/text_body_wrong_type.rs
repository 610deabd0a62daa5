use genesys::{Api, Result, api, endpoint};

#[api(crate = "genesys")]
pub trait NotesApi: Api {
    #[endpoint(method = "PUT", path = "/api/v2/notes/{noteId}")]
    async fn put_note(&self, note_id: &str, #[body(text)] note: u64) -> Result<()>;
}

fn main() {}
