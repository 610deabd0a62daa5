//! Everything imported with globs, as some users write it.
#![allow(dead_code)]

use genesys_runtime::*;
use serde::*;

#[derive(Deserialize, Serialize)]
pub struct Group {
    pub id: Option<String>,
}

pub trait GroupsApi: Api {
    #[endpoint(method = "POST", path = "/api/v2/groups")]
    async fn post_groups(&self, #[body] body: &Group) -> Result<Response<Group>>;

    #[endpoint(method = "HEAD", path = "/api/v2/groups/{groupId}")]
    async fn head_group(&self, group_id: &str) -> Result<Response<()>>;
}

impl<T: Api + ?Sized> GroupsApi for T {}

fn main() {}
