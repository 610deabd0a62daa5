//! `named`: optional arguments (an `Option`, a list, an optional body) set by name on the
//! call type, the rest in order; `.send()` gives what the method declares.

use genesys_runtime::{Api, Client, Listing, Result, api, endpoint};

#[api]
pub trait QueuesApi: Api {
    /// Members of a queue.
    #[endpoint(method = "GET", path = "/api/v2/routing/queues/{queueId}/members", paging = "page", named)]
    fn members(
        &self,
        queue_id: &str,
        #[query] name: Option<&str>,
        #[query] skills: &[&str],
        #[query] joined: Option<bool>,
    ) -> Listing<serde_json::Value>;

    /// A plain call with an optional body and a required query parameter.
    #[endpoint(method = "POST", path = "/api/v2/routing/queues/{queueId}/notes", named)]
    async fn note(
        &self,
        queue_id: &str,
        #[query] kind: &str,
        #[body] body: Option<&serde_json::Value>,
    ) -> Result<()>;
}

impl<T: Api + ?Sized> QueuesApi for T {}

#[allow(dead_code)]
async fn calls(client: &Client) -> Result<()> {
    let _listing: Listing<serde_json::Value> = client.members("q1").joined(true).send();
    let skills = ["a".to_owned()];
    let names: Vec<&str> = skills.iter().map(String::as_str).collect();
    let _ = client.members("q1").skills(&names).name("Ann").send().all().await?;
    client.note("q1", "internal").body(&serde_json::json!({})).send().await?;
    client.note("q1", "internal").send().await?;
    Ok(())
}

fn main() {}
