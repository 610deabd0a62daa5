//! A user's declarations, right: the compile-fail cases beside them are the mistakes.

use genesys::{Api, Result, Value, api, endpoint};
use serde::{Deserialize, Serialize};

/// A user, as this crate reads it.
#[derive(Debug, Deserialize)]
pub struct User {
    /// The user's id.
    pub id: String,
}

/// A user's state: one string, so a query value once marked.
#[derive(Clone, Copy, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum State {
    /// Active.
    Active,
    /// Inactive.
    Inactive,
}
impl Value for State {}

/// The users this crate needs.
#[api(crate = "genesys")]
pub trait UsersApi: Api {
    /// A user by id.
    #[endpoint(method = "GET", path = "/api/v2/users/{userId}")]
    async fn get_user(&self, user_id: &str, #[query] state: Option<State>) -> Result<User>;
}
impl<T: Api + ?Sized> UsersApi for T {}
