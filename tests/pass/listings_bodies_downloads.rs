//! The forms for listings, request bodies, `Accept`, downloads, serde values and the
//! runtime's path, as a user writes them.

mod genesys {
    // The runtime under another name, as with `genesys = { package = "genesys-runtime" }`.
    pub use genesys_runtime::*;
}

use genesys::{Api, ByteStream, Listing, Multipart, PlainText, Result, api, endpoint};
use serde::{Deserialize, Serialize};

#[derive(Deserialize)]
pub struct User {
    pub id: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub enum State {
    Active,
    Inactive,
}
impl genesys_runtime::Value for State {}

#[derive(Serialize)]
pub struct Login {
    pub username: String,
}

#[api(crate = "crate::genesys")]
pub trait DirectoryApi: Api {
    #[endpoint(method = "GET", path = "/api/v2/users", paging = "page")]
    fn list_users(&self, #[query] state: Option<State>) -> Listing<User>;

    #[endpoint(method = "GET", path = "/api/v2/jobs/{jobId}/results", paging = "cursor", items = "results")]
    fn job_results(&self, job_id: &str) -> Listing<serde_json::Value>;

    #[endpoint(method = "GET", path = "/api/v2/assistants", paging = "after")]
    fn assistants(&self) -> Listing<serde_json::Value>;

    #[endpoint(method = "POST", path = "/api/v2/login")]
    async fn login(&self, #[body(form)] form: &Login) -> Result<()>;

    #[endpoint(method = "PUT", path = "/api/v2/notes/{noteId}")]
    async fn put_note(&self, note_id: u64, #[body(text)] note: &str) -> Result<()>;

    #[endpoint(method = "PUT", path = "/api/v2/files/{fileId}")]
    async fn put_file(&self, file_id: &str, #[body(bytes, content_type = "image/png")] data: &[u8]) -> Result<()>;

    #[endpoint(method = "POST", path = "/api/v2/uploads")]
    async fn upload(&self, #[body(multipart)] form: &Multipart) -> Result<()>;

    #[endpoint(method = "PATCH", path = "/api/v2/users/{userId}")]
    async fn patch_user(&self, user_id: &str, #[body(json, content_type = "application/merge-patch+json")] patch: Option<&serde_json::Value>) -> Result<()>;

    #[endpoint(method = "GET", path = "/api/v2/exports/{exportId}", accept = "text/csv")]
    async fn export_csv(&self, export_id: &str) -> Result<PlainText>;

    #[endpoint(method = "GET", path = "/api/v2/downloads/{downloadId}")]
    async fn download(&self, download_id: &str) -> Result<ByteStream>;

    #[endpoint(method = "GET", path = "/api/v2/users/{state}/count")]
    async fn count(&self, state: State, #[header(name = "X-States")] also: &[State]) -> Result<u64>;
}

impl<T: Api + ?Sized> DirectoryApi for T {}

fn main() {}
