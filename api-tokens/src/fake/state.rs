//! The fake organization's state and the rules of the Tokens API, without any HTTP: who
//! holds which token, when tokens go idle, who may revoke what, the idle-timeout setting.

use std::collections::HashMap;
use std::time::Duration;

use time::OffsetDateTime;

use crate::models::{IdleTokenTimeout, InactivityTimeoutUnit};

/// Now, at the millisecond precision Genesys reports.
fn now() -> OffsetDateTime {
    let now = OffsetDateTime::now_utc();
    now.replace_nanosecond(now.millisecond() as u32 * 1_000_000)
        .unwrap_or(now)
}

/// Permission needed by `DELETE /api/v2/tokens/{userId}`.
pub const PERMISSION_TOKEN_DELETE: &str = "oauth:token:delete";
/// Permission needed by `PUT /api/v2/tokens/timeout`.
pub const PERMISSION_ORGANIZATION_ADMIN: &str = "directory:organization:admin";

/// Shortest idle timeout the API accepts: 5 minutes.
pub const MIN_IDLE_TIMEOUT_SECONDS: i32 = 300;
/// Longest idle timeout the API accepts: 8 hours.
pub const MAX_IDLE_TIMEOUT_SECONDS: i32 = 28_800;

/// An OAuth client the fake accepts at `POST /oauth/token`.
#[derive(Clone, Debug)]
pub struct FakeClient {
    pub(crate) id: String,
    pub(crate) secret: String,
    pub(crate) name: String,
    pub(crate) permissions: Vec<String>,
    pub(crate) scopes: Vec<String>,
}

impl FakeClient {
    /// A client with this id and secret, no permissions and the `tokens` scope.
    pub fn new(id: impl Into<String>, secret: impl Into<String>) -> Self {
        let id = id.into();
        FakeClient {
            name: format!("{id} (fake)"),
            id,
            secret: secret.into(),
            permissions: Vec::new(),
            scopes: vec!["tokens".to_owned()],
        }
    }

    /// Grants a permission, such as [`PERMISSION_TOKEN_DELETE`].
    #[must_use]
    pub fn permission(mut self, permission: impl Into<String>) -> Self {
        self.permissions.push(permission.into());
        self
    }

    /// Names the client (shown as `OAuthClient.name` by `GET /api/v2/tokens/me`).
    #[must_use]
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }
}

/// Who a token was issued to.
#[derive(Clone, Debug)]
pub(crate) struct Token {
    pub(crate) client_id: Option<String>,
    pub(crate) user_id: Option<String>,
    pub(crate) permissions: Vec<String>,
    pub(crate) scopes: Vec<String>,
    pub(crate) expires_at: OffsetDateTime,
    pub(crate) last_used: OffsetDateTime,
    pub(crate) revoked: bool,
}

/// Why a token was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Refusal {
    Missing,
    Unknown,
    Expired,
    Idle,
    Revoked,
}

impl Refusal {
    pub(crate) fn message(self) -> &'static str {
        match self {
            Refusal::Missing => "No authentication bearer token specified in authorization header.",
            Refusal::Unknown => "Invalid login credentials.",
            Refusal::Expired => "The access token has expired.",
            Refusal::Idle => "The access token has been idle longer than the organization allows.",
            Refusal::Revoked => "The access token has been revoked.",
        }
    }
}

/// The fake organization.
#[derive(Debug)]
pub(crate) struct Organization {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) clients: Vec<FakeClient>,
    pub(crate) users: HashMap<String, String>,
    pub(crate) tokens: HashMap<String, Token>,
    pub(crate) timeout: IdleTokenTimeout,
    pub(crate) token_lifetime: Duration,
    /// Refresh tokens from user sign-ins, by their text.
    refresh_tokens: HashMap<String, RefreshGrant>,
    issued: u64,
}

/// A refresh token: which client and user it was issued to.
#[derive(Clone, Debug)]
struct RefreshGrant {
    client_id: String,
    user_id: String,
    revoked: bool,
}

/// Why a token request was refused: status, OAuth `error`, `error_description`.
pub(crate) type OAuthRefusal = (http::StatusCode, &'static str, &'static str);

/// What a sign-in or a refresh issues: access token, refresh token, lifetime.
pub(crate) type Issued = (String, String, Duration);

impl Organization {
    pub(crate) fn new(
        name: String,
        clients: Vec<FakeClient>,
        users: HashMap<String, String>,
        token_lifetime: Duration,
    ) -> Self {
        Organization {
            id: "8f7a1c2e-0000-4000-8000-fa4e0f0a4e01".to_owned(),
            name,
            clients,
            users,
            tokens: HashMap::new(),
            timeout: IdleTokenTimeout::new()
                .with_idle_token_timeout_seconds(1800)
                .with_enable_idle_token_timeout(true)
                .with_inactivity_timeout_unit(InactivityTimeoutUnit::Minutes),
            token_lifetime,
            refresh_tokens: HashMap::new(),
            issued: 0,
        }
    }

    fn new_token_text(&mut self) -> String {
        self.issued += 1;
        // Unguessable enough for a local fake, and never equal across runs of one process.
        let nanos = OffsetDateTime::now_utc().unix_timestamp_nanos();
        format!("fake-{:x}-{:x}", self.issued, nanos)
    }

    /// Client-credentials login: a token for the client, or `None` for wrong credentials.
    pub(crate) fn login(&mut self, id: &str, secret: &str) -> Option<(String, Duration)> {
        let client = self
            .clients
            .iter()
            .find(|c| c.id == id && c.secret == secret)?
            .clone();
        let now = now();
        let text = self.new_token_text();
        self.tokens.insert(
            text.clone(),
            Token {
                client_id: Some(client.id),
                user_id: None,
                permissions: client.permissions,
                scopes: client.scopes,
                expires_at: now + self.token_lifetime,
                last_used: now,
                revoked: false,
            },
        );
        Some((text, self.token_lifetime))
    }

    /// A token for a user, as an authorization-code login would issue.
    pub(crate) fn issue_user_token(&mut self, user_id: &str) -> Option<String> {
        self.users.contains_key(user_id).then_some(())?;
        Some(self.issue_for_user(None, user_id))
    }

    /// An access token for a user signed in through `client_id` (as the authorization-code
    /// or PKCE grant issues), and a refresh token; `None` for an unknown client or user.
    pub(crate) fn sign_in(&mut self, client_id: &str, user_id: &str) -> Option<Issued> {
        self.client(client_id)?;
        self.users.contains_key(user_id).then_some(())?;
        let refresh = format!("refresh-{}", self.new_token_text());
        self.refresh_tokens.insert(
            refresh.clone(),
            RefreshGrant {
                client_id: client_id.to_owned(),
                user_id: user_id.to_owned(),
                revoked: false,
            },
        );
        let access = self.issue_for_user(Some(client_id), user_id);
        Some((access, refresh, self.token_lifetime))
    }

    /// The refresh-token grant: a new access token for the refresh token's user. A client
    /// with an empty secret is public and sends no secret; any other must send its own.
    pub(crate) fn refresh(
        &mut self,
        client_id: &str,
        secret: Option<&str>,
        refresh_token: &str,
    ) -> Result<Issued, OAuthRefusal> {
        use http::StatusCode;
        let client = self.client(client_id).ok_or((
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "client not found",
        ))?;
        if client.secret != secret.unwrap_or_default() {
            return Err((
                StatusCode::UNAUTHORIZED,
                "invalid_client",
                "client secret mismatch",
            ));
        }
        let grant = self
            .refresh_tokens
            .get(refresh_token)
            .filter(|g| !g.revoked && g.client_id == client_id)
            .cloned()
            .ok_or((
                StatusCode::BAD_REQUEST,
                "invalid_grant",
                "the refresh token is unknown, revoked or issued to another client",
            ))?;
        let access = self.issue_for_user(Some(client_id), &grant.user_id);
        Ok((access, refresh_token.to_owned(), self.token_lifetime))
    }

    /// A new access token for `user_id`, issued through `client_id` when known.
    fn issue_for_user(&mut self, client_id: Option<&str>, user_id: &str) -> String {
        let now = now();
        let text = self.new_token_text();
        self.tokens.insert(
            text.clone(),
            Token {
                client_id: client_id.map(str::to_owned),
                user_id: Some(user_id.to_owned()),
                permissions: Vec::new(),
                scopes: vec!["tokens".to_owned()],
                expires_at: now + self.token_lifetime,
                last_used: now,
                revoked: false,
            },
        );
        text
    }

    /// Makes a token expire now; `false` for an unknown token.
    pub(crate) fn expire(&mut self, token: &str) -> bool {
        let now = now();
        self.tokens
            .get_mut(token)
            .map(|entry| entry.expires_at = now)
            .is_some()
    }

    /// Makes every token issued so far expire now.
    pub(crate) fn expire_all(&mut self) -> usize {
        let now = now();
        for entry in self.tokens.values_mut() {
            entry.expires_at = now;
        }
        self.tokens.len()
    }

    fn idle_limit(&self) -> Option<Duration> {
        let enabled = self.timeout.enable_idle_token_timeout.unwrap_or(false);
        let seconds = self.timeout.idle_token_timeout_seconds?;
        (enabled && seconds > 0).then(|| Duration::from_secs(seconds as u64))
    }

    /// Checks a bearer token; on success, refreshes its idle timer unless `preserve_idle`.
    pub(crate) fn authenticate(
        &mut self,
        token: Option<&str>,
        preserve_idle: bool,
    ) -> Result<String, Refusal> {
        let token = token.ok_or(Refusal::Missing)?;
        let idle_limit = self.idle_limit();
        let entry = self.tokens.get_mut(token).ok_or(Refusal::Unknown)?;
        let now = now();
        if entry.revoked {
            return Err(Refusal::Revoked);
        }
        if now >= entry.expires_at {
            return Err(Refusal::Expired);
        }
        if idle_limit.is_some_and(|limit| now >= entry.last_used + limit) {
            return Err(Refusal::Idle);
        }
        if !preserve_idle {
            entry.last_used = now;
        }
        Ok(token.to_owned())
    }

    pub(crate) fn token(&self, token: &str) -> Option<&Token> {
        self.tokens.get(token)
    }

    /// When this token goes idle, if the organization enforces an idle timeout.
    pub(crate) fn date_token_idles(&self, token: &Token) -> Option<OffsetDateTime> {
        self.idle_limit().map(|limit| token.last_used + limit)
    }

    pub(crate) fn revoke(&mut self, token: &str) {
        if let Some(entry) = self.tokens.get_mut(token) {
            entry.revoked = true;
        }
    }

    /// Revokes every token of a user; `None` when the user is unknown.
    pub(crate) fn revoke_user(&mut self, user_id: &str) -> Option<usize> {
        self.users.contains_key(user_id).then_some(())?;
        let mut revoked = 0;
        for token in self.tokens.values_mut() {
            if token.user_id.as_deref() == Some(user_id) && !token.revoked {
                token.revoked = true;
                revoked += 1;
            }
        }
        for grant in self.refresh_tokens.values_mut() {
            if grant.user_id == user_id {
                grant.revoked = true;
            }
        }
        Some(revoked)
    }

    /// Applies a timeout update, or names the field that is out of range.
    pub(crate) fn update_timeout(
        &mut self,
        update: IdleTokenTimeout,
    ) -> Result<IdleTokenTimeout, (&'static str, String)> {
        if let Some(seconds) = update.idle_token_timeout_seconds {
            if !(MIN_IDLE_TIMEOUT_SECONDS..=MAX_IDLE_TIMEOUT_SECONDS).contains(&seconds) {
                return Err((
                    "idleTokenTimeoutSeconds",
                    format!(
                        "idleTokenTimeoutSeconds must be between {MIN_IDLE_TIMEOUT_SECONDS} and {MAX_IDLE_TIMEOUT_SECONDS} seconds, got {seconds}"
                    ),
                ));
            }
        }
        for bundle in update.inactivity_timeout_group_bundles.iter().flatten() {
            if let Some(seconds) = bundle.timeout_seconds {
                if !(MIN_IDLE_TIMEOUT_SECONDS..=MAX_IDLE_TIMEOUT_SECONDS).contains(&seconds) {
                    return Err((
                        "inactivityTimeoutGroupBundles.timeoutSeconds",
                        format!("timeoutSeconds must be between 300 and 28800, got {seconds}"),
                    ));
                }
            }
            if let Some(priority) = bundle.priority {
                if !(1..=5).contains(&priority) {
                    return Err((
                        "inactivityTimeoutGroupBundles.priority",
                        format!("priority must be between 1 and 5, got {priority}"),
                    ));
                }
            }
        }
        let current = &mut self.timeout;
        macro_rules! merge {
            ($($field:ident),*) => {$(
                if update.$field.is_some() {
                    current.$field = update.$field;
                }
            )*};
        }
        merge!(
            idle_token_timeout_seconds,
            enable_idle_token_timeout,
            inactivity_timeout_unit,
            inactivity_timeout_groups_enabled,
            inactivity_timeout_group_bundles
        );
        Ok(current.clone())
    }

    pub(crate) fn client(&self, id: &str) -> Option<&FakeClient> {
        self.clients.iter().find(|c| c.id == id)
    }
}
