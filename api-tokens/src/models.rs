//! The Tokens API's models, with the exact JSON keys of the wire.
//!
//! Every field is optional (the server may leave any out), unknown keys are ignored, enums
//! keep values they do not know, and request bodies carry only the fields that are set.

use genesys_runtime::string_enum;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// `new()` (every field unset) and a `with_<field>` setter per field, so that models can be
/// built outside this crate (request bodies, test fixtures) although they are
/// `#[non_exhaustive]`.
macro_rules! setters {
    ($model:ident $(, $new:ident)? { $($setter:ident => $field:ident: $ty:ty),* $(,)? }) => {
        impl $model {
            $(
                #[doc = concat!("An empty `", stringify!($model), "`: every field unset.")]
                pub fn $new() -> Self {
                    Self::default()
                }
            )?
            $(
                #[doc = concat!("Sets [`", stringify!($field), "`](Self::", stringify!($field), ").")]
                #[must_use]
                pub fn $setter(mut self, value: impl Into<$ty>) -> Self {
                    self.$field = Some(value.into());
                    self
                }
            )*
        }
    };
}

/// What `GET /api/v2/tokens/me` tells about the token used for the request.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TokenInfo {
    /// The organization the token acts in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<NamedEntity>,
    /// The organization the token's user belongs to (differs when acting in another org).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub home_organization: Option<NamedEntity>,
    /// The scopes the token was granted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorized_scope: Option<Vec<String>>,
    /// The user this token clones, for tokens issued to act as another user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cloned_user: Option<TokenInfoClonedUser>,
    /// When the token goes idle and stops working, unless it is used before.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "time::serde::rfc3339::option"
    )]
    pub date_token_idles: Option<OffsetDateTime>,
    /// The OAuth client the token was issued to. On the wire: `OAuthClient` (capital O).
    #[serde(
        rename = "OAuthClient",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub oauth_client: Option<OrgOAuthClient>,
}

/// An entity reference with an id and a name.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct NamedEntity {
    /// The globally unique identifier of the entity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The entity's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// An entity reference with an id only.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Entity {
    /// The globally unique identifier of the entity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

/// The user a cloned token acts as.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TokenInfoClonedUser {
    /// The cloned user's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The cloned user's organization.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<Entity>,
}

/// An entity reference with an id, a name and its URI.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct DomainEntityRef {
    /// The globally unique identifier of the entity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The entity's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The URI of the entity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub self_uri: Option<String>,
}

/// A role granted in a division.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct RoleDivision {
    /// The role's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_id: Option<String>,
    /// The division's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub division_id: Option<String>,
}

string_enum! {
    /// The OAuth grant an OAuth client uses.
    pub enum AuthorizedGrantType {
        /// Authorization code grant.
        Code = "CODE",
        /// Implicit grant.
        Token = "TOKEN",
        /// SAML2 bearer grant.
        Saml2Bearer = "SAML2-BEARER",
        /// Resource owner password grant.
        Password = "PASSWORD",
        /// Client credentials grant.
        ClientCredentials = "CLIENT-CREDENTIALS",
    }
}

string_enum! {
    /// Whether an OAuth client can be used.
    pub enum OAuthClientState {
        /// The client works.
        Active = "active",
        /// The client was switched off.
        Disabled = "disabled",
        /// The client is inactive.
        Inactive = "inactive",
    }
}

string_enum! {
    /// The unit an inactivity timeout is shown in.
    pub enum InactivityTimeoutUnit {
        /// Minutes.
        Minutes = "Minutes",
        /// Hours.
        Hours = "Hours",
    }
}

/// The OAuth client a token was issued to.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct OrgOAuthClient {
    /// The client's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The client's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// When the client was created.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "time::serde::rfc3339::option"
    )]
    pub date_created: Option<OffsetDateTime>,
    /// When the client was last modified.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "time::serde::rfc3339::option"
    )]
    pub date_modified: Option<OffsetDateTime>,
    /// Who created the client.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by: Option<DomainEntityRef>,
    /// Who last modified the client.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified_by: Option<DomainEntityRef>,
    /// The grant the client uses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorized_grant_type: Option<AuthorizedGrantType>,
    /// The scopes requested by the client.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<Vec<String>>,
    /// The roles and divisions granted to the client.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_divisions: Option<Vec<RoleDivision>>,
    /// Whether the client can be used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<OAuthClientState>,
    /// When a disabled client will be deleted.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "time::serde::rfc3339::option"
    )]
    pub date_to_delete: Option<OffsetDateTime>,
    /// The organization the client belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<NamedEntity>,
}

/// The organization's idle token timeout (`GET`/`PUT /api/v2/tokens/timeout`).
///
/// Build a request body with only the fields to change:
///
/// ```
/// # use genesys_api_tokens::IdleTokenTimeout;
/// let body = IdleTokenTimeout::new()
///     .with_idle_token_timeout_seconds(3600)
///     .with_enable_idle_token_timeout(true);
/// assert_eq!(
///     serde_json::to_string(&body).unwrap(),
///     r#"{"idleTokenTimeoutSeconds":3600,"enableIdleTokenTimeout":true}"#,
/// );
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct IdleTokenTimeout {
    /// Seconds of inactivity after which a token stops working: 5 minutes to 8 hours, or at
    /// most 15 minutes when HIPAA compliance is on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idle_token_timeout_seconds: Option<i32>,
    /// Whether the idle token timeout is enforced.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_idle_token_timeout: Option<bool>,
    /// The unit the timeout is shown in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inactivity_timeout_unit: Option<InactivityTimeoutUnit>,
    /// Whether per-group timeouts are enabled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inactivity_timeout_groups_enabled: Option<bool>,
    /// Per-group timeouts, by priority.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inactivity_timeout_group_bundles: Option<Vec<InactivityTimeoutGroupBundle>>,
}

impl IdleTokenTimeout {
    /// An empty body: set the fields to send with the `with_*` methods.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets [`idle_token_timeout_seconds`](Self::idle_token_timeout_seconds).
    #[must_use]
    pub fn with_idle_token_timeout_seconds(mut self, seconds: i32) -> Self {
        self.idle_token_timeout_seconds = Some(seconds);
        self
    }

    /// Sets [`enable_idle_token_timeout`](Self::enable_idle_token_timeout).
    #[must_use]
    pub fn with_enable_idle_token_timeout(mut self, enabled: bool) -> Self {
        self.enable_idle_token_timeout = Some(enabled);
        self
    }

    /// Sets [`inactivity_timeout_unit`](Self::inactivity_timeout_unit).
    #[must_use]
    pub fn with_inactivity_timeout_unit(mut self, unit: InactivityTimeoutUnit) -> Self {
        self.inactivity_timeout_unit = Some(unit);
        self
    }

    /// Sets [`inactivity_timeout_groups_enabled`](Self::inactivity_timeout_groups_enabled).
    #[must_use]
    pub fn with_inactivity_timeout_groups_enabled(mut self, enabled: bool) -> Self {
        self.inactivity_timeout_groups_enabled = Some(enabled);
        self
    }

    /// Sets [`inactivity_timeout_group_bundles`](Self::inactivity_timeout_group_bundles).
    #[must_use]
    pub fn with_inactivity_timeout_group_bundles(
        mut self,
        bundles: Vec<InactivityTimeoutGroupBundle>,
    ) -> Self {
        self.inactivity_timeout_group_bundles = Some(bundles);
        self
    }
}

/// An inactivity timeout that applies to some groups.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct InactivityTimeoutGroupBundle {
    /// Which bundle wins when a user is in several: 1 to 5.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<i32>,
    /// The timeout in seconds: 300 to 28800.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_seconds: Option<i32>,
    /// The unit the timeout is shown in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inactivity_timeout_unit: Option<InactivityTimeoutUnit>,
    /// The ids of the groups this bundle applies to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub groups: Option<Vec<String>>,
}

impl InactivityTimeoutGroupBundle {
    /// A bundle for these groups, with this priority and timeout.
    pub fn new(priority: i32, timeout_seconds: i32, groups: Vec<String>) -> Self {
        InactivityTimeoutGroupBundle {
            priority: Some(priority),
            timeout_seconds: Some(timeout_seconds),
            inactivity_timeout_unit: None,
            groups: Some(groups),
        }
    }
}

setters!(TokenInfo, new {
    with_organization => organization: NamedEntity,
    with_home_organization => home_organization: NamedEntity,
    with_authorized_scope => authorized_scope: Vec<String>,
    with_cloned_user => cloned_user: TokenInfoClonedUser,
    with_date_token_idles => date_token_idles: OffsetDateTime,
    with_oauth_client => oauth_client: OrgOAuthClient,
});

setters!(NamedEntity, new {
    with_id => id: String,
    with_name => name: String,
});

setters!(Entity, new {
    with_id => id: String,
});

setters!(TokenInfoClonedUser, new {
    with_id => id: String,
    with_organization => organization: Entity,
});

setters!(DomainEntityRef, new {
    with_id => id: String,
    with_name => name: String,
    with_self_uri => self_uri: String,
});

setters!(RoleDivision, new {
    with_role_id => role_id: String,
    with_division_id => division_id: String,
});

setters!(OrgOAuthClient, new {
    with_id => id: String,
    with_name => name: String,
    with_date_created => date_created: OffsetDateTime,
    with_date_modified => date_modified: OffsetDateTime,
    with_created_by => created_by: DomainEntityRef,
    with_modified_by => modified_by: DomainEntityRef,
    with_authorized_grant_type => authorized_grant_type: AuthorizedGrantType,
    with_scope => scope: Vec<String>,
    with_role_divisions => role_divisions: Vec<RoleDivision>,
    with_state => state: OAuthClientState,
    with_date_to_delete => date_to_delete: OffsetDateTime,
    with_organization => organization: NamedEntity,
});

setters!(InactivityTimeoutGroupBundle {
    with_inactivity_timeout_unit => inactivity_timeout_unit: InactivityTimeoutUnit,
});
