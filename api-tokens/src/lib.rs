#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod api;
#[cfg(feature = "fake")]
#[cfg_attr(docsrs, doc(cfg(feature = "fake")))]
pub mod fake;
pub mod models;

pub use api::{TOKENS_API, TokensApi};
/// The runtime this crate is declared with: everything else it offers (declaring another
/// API group with [`endpoint`](genesys_runtime::endpoint), [`Route`](genesys_runtime::Route),
/// the error parts), without a second dependency.
pub use genesys_runtime as runtime;
pub use genesys_runtime::{
    AccessToken, ApiError, Client, ClientBuilder, ClientSecret, Error, ErrorBody, RefreshToken,
    Region, Response, Result, RetryPolicy, StatusCode, auth, testing,
};
pub use models::{
    AuthorizedGrantType, DomainEntityRef, Entity, IdleTokenTimeout, InactivityTimeoutGroupBundle,
    InactivityTimeoutUnit, NamedEntity, OAuthClientState, OrgOAuthClient, RoleDivision, TokenInfo,
    TokenInfoClonedUser,
};
