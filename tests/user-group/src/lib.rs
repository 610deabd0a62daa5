//! A Users/Routing/Exports group, declared as a user writes it in their own crate, with the
//! runtime renamed to `genesys`.

pub mod contact_center;
pub mod presence_board;

use genesys::{Api, ByteStream, Listing, Multipart, PlainText, Response, Result, api, endpoint};
use serde::{Deserialize, Serialize};

/// A user, as listed.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct User {
    /// The user's id.
    pub id: String,
}

/// A user's state: a plain serde enum, sent as a path and a query value.
#[derive(Clone, Copy, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum State {
    /// Active.
    Active,
    /// Deleted.
    Deleted,
}

/// It serializes as one string (its serde name): a path, query or header value.
impl genesys::Value for State {}

/// An id newtype, sent as its inner string.
#[derive(Clone, Debug, Serialize)]
pub struct QueueId(pub String);

/// One string: a path, query or header value.
impl genesys::Value for QueueId {}

/// A form body.
#[derive(Serialize)]
pub struct Login {
    /// The user name.
    pub username: String,
    /// Whether to stay signed in.
    pub remember: bool,
}

/// The group: listings in the three Genesys styles, every body kind, a CSV export, a
/// download, and a job started with `202 Accepted`.
#[api(crate = "genesys")]
pub trait DirectoryApi: Api {
    /// Page envelopes: `pageNumber`, `pageCount`, `entities`.
    #[endpoint(method = "GET", path = "/api/v2/users", paging = "page")]
    fn list_users(&self, #[query] state: Option<State>) -> Listing<User>;

    /// Cursor envelopes, items in `results`.
    #[endpoint(
        method = "GET",
        path = "/api/v2/analytics/jobs/{jobId}/results",
        paging = "cursor",
        items = "results"
    )]
    fn job_results(&self, job_id: &str) -> Listing<serde_json::Value>;

    /// `after` cursors carried in `nextUri`.
    #[endpoint(method = "GET", path = "/api/v2/assistants", paging = "after")]
    fn list_assistants(&self) -> Listing<serde_json::Value>;

    /// A form body.
    #[endpoint(method = "POST", path = "/api/v2/login")]
    async fn login(&self, #[body(form)] form: &Login) -> Result<()>;

    /// A text body.
    #[endpoint(method = "PUT", path = "/api/v2/queues/{queueId}/note")]
    async fn put_note(&self, queue_id: &QueueId, #[body(text)] note: &str) -> Result<()>;

    /// A body of bytes with a declared media type.
    #[endpoint(method = "PUT", path = "/api/v2/users/{userId}/avatar")]
    async fn put_avatar(
        &self,
        user_id: &str,
        #[body(bytes, content_type = "image/png")] png: &[u8],
    ) -> Result<()>;

    /// A multipart upload.
    #[endpoint(method = "POST", path = "/api/v2/uploads")]
    async fn upload(&self, #[body(multipart)] form: &Multipart) -> Result<()>;

    /// A CSV export, asked for with `Accept: text/csv`.
    #[endpoint(
        method = "GET",
        path = "/api/v2/exports/{exportId}",
        accept = "text/csv"
    )]
    async fn export_csv(&self, export_id: &str) -> Result<PlainText>;

    /// A large download, streamed.
    #[endpoint(method = "GET", path = "/api/v2/downloads/{downloadId}")]
    async fn download(&self, download_id: &str) -> Result<ByteStream>;

    /// Starts a job: `202 Accepted` with a status document and a `Location`.
    #[endpoint(method = "POST", path = "/api/v2/jobs")]
    async fn start_job(&self) -> Result<Response<()>>;

    /// A serde enum as a path value and a query value.
    #[endpoint(method = "GET", path = "/api/v2/users/states/{state}")]
    async fn count_in_state(&self, state: State, #[query] also: &[State]) -> Result<u64>;
}

impl<T: Api + ?Sized> DirectoryApi for T {}

/// The signed-in session, as this user's code reads it.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Me {
    /// The organization.
    pub organization: Option<Org>,
    /// The scopes granted.
    #[serde(default)]
    pub authorized_scope: Vec<String>,
}

/// An organization.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
pub struct Org {
    /// Its name.
    pub name: Option<String>,
}

/// The user's own declaration of two Tokens endpoints: what their code needs, nothing more.
#[api(crate = "genesys")]
pub trait SessionApi: Api {
    /// Who the token belongs to.
    #[endpoint(method = "GET", path = "/api/v2/tokens/me")]
    async fn whoami(&self) -> Result<Me>;

    /// Signs a user out everywhere.
    #[endpoint(method = "DELETE", path = "/api/v2/tokens/{userId}")]
    async fn sign_out(&self, user_id: &str) -> Result<()>;

    /// Sets the organization's idle-token timeout.
    #[endpoint(method = "PUT", path = "/api/v2/tokens/timeout")]
    async fn set_idle_timeout(&self, #[body] timeout: &IdleTimeout) -> Result<IdleTimeout>;
}

/// The idle-token timeout setting.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct IdleTimeout {
    /// Whether idle tokens expire.
    pub enable_idle_token_timeout: bool,
    /// After how long, in seconds.
    pub idle_token_timeout_seconds: u32,
}

impl<T: Api + ?Sized> SessionApi for T {}

/// What the user's code does: a line about the session, then signs the users out, telling
/// apart the ones that do not exist.
pub async fn session_report(api: &impl SessionApi, users: &[&str]) -> Result<String> {
    let me = api.whoami().await?;
    let org = me
        .organization
        .and_then(|o| o.name)
        .unwrap_or_else(|| "?".into());
    let mut signed_out = 0;
    let mut unknown = Vec::new();
    for user in users {
        match api.sign_out(user).await {
            Ok(()) => signed_out += 1,
            Err(genesys::Error::Api(e)) if e.status() == genesys::StatusCode::NOT_FOUND => {
                unknown.push(*user)
            }
            Err(e) => return Err(e),
        }
    }
    Ok(format!(
        "{org}: {} scopes; signed out {signed_out}; unknown {unknown:?}",
        me.authorized_scope.len()
    ))
}
