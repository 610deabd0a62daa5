//! The error document every Genesys Cloud API group returns with a non-2xx status.
//!
//! These models are shared by all API groups, so they live in the runtime rather than in an
//! API crate. Every field is optional on the wire and unknown keys are ignored.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

/// The body of a Genesys Cloud error response (`ErrorBody` in the official SDKs).
///
/// ```
/// # use genesys_runtime::ErrorBody;
/// let body: ErrorBody = serde_json::from_str(
///     r#"{"message":"Token is invalid","code":"bad.credentials","status":401}"#,
/// ).unwrap();
/// assert_eq!(body.code.as_deref(), Some("bad.credentials"));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ErrorBody {
    /// Human-readable description of the error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Machine-readable error code, such as `bad.credentials` or `not.found`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// The HTTP status the server meant, repeated in the body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<i32>,
    /// Id of the entity the error is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity_id: Option<String>,
    /// Name of the entity the error is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity_name: Option<String>,
    /// The message with `{placeholders}` to be filled from `message_params`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_with_params: Option<String>,
    /// Values for the placeholders in `message_with_params`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_params: Option<HashMap<String, String>>,
    /// The server-side context id of the failure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context_id: Option<String>,
    /// Per-field details, for validation errors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<Vec<Detail>>,
    /// Nested errors, for requests that failed for several reasons.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<ErrorBody>>,
    /// The limit that was exceeded, for `429` and limit errors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<Limit>,
}

impl ErrorBody {
    /// An empty error body, to build one for a test with the `with_` methods.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets [`message`](Self::message).
    #[must_use]
    pub fn with_message(mut self, message: impl Into<String>) -> Self {
        self.message = Some(message.into());
        self
    }

    /// Sets [`code`](Self::code).
    #[must_use]
    pub fn with_code(mut self, code: impl Into<String>) -> Self {
        self.code = Some(code.into());
        self
    }

    /// Sets [`status`](Self::status).
    #[must_use]
    pub fn with_status(mut self, status: i32) -> Self {
        self.status = Some(status);
        self
    }

    /// Sets [`details`](Self::details).
    #[must_use]
    pub fn with_details(mut self, details: Vec<Detail>) -> Self {
        self.details = Some(details);
        self
    }
}

/// One detail of an [`ErrorBody`], usually naming the field that was refused.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Detail {
    /// Machine-readable code of this detail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    /// The request field this detail is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field_name: Option<String>,
    /// Id of the entity this detail is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity_id: Option<String>,
    /// Name of the entity this detail is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity_name: Option<String>,
}

impl Detail {
    /// A detail about one request field, with a machine-readable code.
    pub fn new(field_name: impl Into<String>, error_code: impl Into<String>) -> Self {
        Detail {
            field_name: Some(field_name.into()),
            error_code: Some(error_code.into()),
            ..Detail::default()
        }
    }
}

/// The limit named by an [`ErrorBody`] when a request exceeded one.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Limit {
    /// The limit's key, such as `token.creation.rate.per.minute`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// The limit's namespace. Kept as a string: the set of namespaces grows constantly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// The limit's value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<i64>,
}
