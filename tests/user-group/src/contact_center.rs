//! A contact-center group declared faithfully to the catalog: every listing shape Genesys
//! uses (body paging, a body cursor, `nextUri`, a search's `nextPage`, SCIM) and an operation
//! with eleven optional parameters, set by name.

use genesys::{Api, Listing, api, endpoint};
use serde::{Deserialize, Serialize};

/// An analytics details query (the runtime sets `paging` in it, page after page).
#[derive(Clone, Debug, Default, Serialize)]
pub struct ConversationQuery {
    /// The interval, ISO 8601.
    pub interval: String,
    /// `asc` or `desc`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order: Option<String>,
}

/// A participant attributes search (the runtime sets `cursor` in it).
#[derive(Clone, Debug, Default, Serialize)]
pub struct ParticipantSearch {
    /// What to return.
    #[serde(rename = "returnFields")]
    pub return_fields: Vec<String>,
}

/// A conversation, as the details query returns it.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Conversation {
    /// The conversation's id.
    pub conversation_id: String,
}

/// The details query's envelope, besides its conversations.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConversationEnvelope {
    /// How many conversations matched.
    pub total_hits: Option<u64>,
}

/// Anything with an id (a queue member, a SCIM user, a search hit, a variation).
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct Entity {
    /// Its id.
    pub id: String,
}

/// The group.
#[api(crate = "genesys")]
pub trait ContactCenterApi: Api {
    /// Query for conversation details: pages through `paging.pageNumber` in the body.
    #[endpoint(
        method = "POST",
        path = "/api/v2/analytics/conversations/details/query",
        paging = "body-paging",
        items = "conversations",
        retry = "safe"
    )]
    fn post_analytics_conversations_details_query(
        &self,
        #[body] body: &ConversationQuery,
    ) -> Listing<Conversation>;

    /// Search conversation participant attributes: a `cursor` in the body.
    #[endpoint(
        method = "POST",
        path = "/api/v2/conversations/participants/attributes/search",
        paging = "body-cursor",
        items = "types",
        retry = "safe"
    )]
    fn post_conversations_participants_attributes_search(
        &self,
        #[body] body: &ParticipantSearch,
    ) -> Listing<serde_json::Value>;

    /// Get an assistant's variations: the answer's `nextUri` is the next page.
    #[endpoint(
        method = "GET",
        path = "/api/v2/assistants/{assistantId}/variations",
        paging = "next-uri"
    )]
    fn get_assistant_variations(&self, assistant_id: &str) -> Listing<Entity>;

    /// Search users with a `q64` query: the answer's `nextPage` is the next page.
    #[endpoint(
        method = "GET",
        path = "/api/v2/users/search",
        paging = "next-page",
        named
    )]
    fn get_users_search(
        &self,
        #[query] q64: &str,
        #[query] expand: &[&str],
        #[query(name = "integrationPresenceSource")] integration_presence_source: Option<&str>,
    ) -> Listing<Entity>;

    /// Query SCIM users: `startIndex` and `count`, items in `Resources`.
    #[endpoint(method = "GET", path = "/api/v2/scim/v2/users", paging = "scim", named)]
    fn get_scim_v2_users(
        &self,
        #[query] attributes: &[&str],
        #[query(name = "excludedAttributes")] excluded_attributes: &[&str],
        #[query] filter: Option<&str>,
    ) -> Listing<Entity>;

    /// Get the members of a queue: eleven optional parameters, set by name.
    #[endpoint(
        method = "GET",
        path = "/api/v2/routing/queues/{queueId}/members",
        paging = "page",
        named
    )]
    fn get_routing_queue_members(
        &self,
        queue_id: &str,
        #[query(name = "sortOrder")] sort_order: Option<&str>,
        #[query] expand: &[&str],
        #[query] name: Option<&str>,
        #[query(name = "profileSkills")] profile_skills: &[&str],
        #[query] skills: &[&str],
        #[query] languages: &[&str],
        #[query(name = "routingStatus")] routing_status: &[&str],
        #[query] presence: &[&str],
        #[query(name = "memberBy")] member_by: Option<&str>,
        #[query] joined: Option<bool>,
    ) -> Listing<Entity>;
}

impl<T: Api + ?Sized> ContactCenterApi for T {}
