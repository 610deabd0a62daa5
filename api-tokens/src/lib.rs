//! The Genesys Cloud Tokens API for Rust: six endpoints declared with
//! [`genesys_runtime::endpoint`], and their models.
//!
//! ```no_run
//! use genesys_api_tokens::{Client, TokensApi};
//!
//! # async fn run() -> genesys_runtime::Result<()> {
//! let client = Client::builder().access_token("my-access-token").build()?;
//! let me = client.get_tokens_me(None).await?;
//! println!("organization: {:?}", me.organization.and_then(|o| o.name));
//! client.head_tokens_me().await?; // Ok: the token is valid
//! # Ok(()) }
//! ```
#![forbid(unsafe_code)]

mod api;
#[cfg(feature = "fake")]
pub mod fake;
pub mod models;

pub use api::TokensApi;
pub use genesys_runtime::{Client, ClientBuilder, Error, Result};
pub use models::{
    AuthorizedGrantType, DomainEntityRef, Entity, IdleTokenTimeout, InactivityTimeoutGroupBundle,
    InactivityTimeoutUnit, NamedEntity, OAuthClientState, OrgOAuthClient, RoleDivision, TokenInfo,
    TokenInfoClonedUser,
};
