//! [`Endpoint`]: one declared endpoint as `'static` data (operation, method, path template,
//! parameters, policy, return type). The macro writes one per method; the request builder,
//! the send loop and tracing read it.

use std::fmt;
use std::time::Duration;

use http::Method;

/// One declared endpoint, as data: what `#[endpoint]` knows about it.
///
/// Every generated method holds one in a `static`; [`Error`](crate::Error)s and the
/// `genesys.request` tracing span name its method and path template.
#[derive(Debug)]
#[non_exhaustive]
pub struct Endpoint {
    /// The method's name in the API trait, such as `get_tokens_me`.
    pub operation: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The declared path template, such as `/api/v2/tokens/{userId}`.
    pub path: &'static str,
    /// The parameters, in declaration order.
    pub params: &'static [Param],
    /// The per-attempt timeout declared with `timeout = "..."`, if any (it replaces the
    /// client's request timeout for this endpoint).
    pub timeout: Option<Duration>,
    /// Which failures may be retried, declared with `retry = "..."`.
    pub retry: RetryRule,
    /// The declared return type inside `Result<...>`, as written (`TokenInfo`, `()`).
    pub returns: &'static str,
    /// The media type declared with `accept = "..."` (`application/json` when `None`).
    pub accept: Option<&'static str>,
    /// The body's media type declared with `#[body(..., content_type = "...")]`.
    pub content_type: Option<&'static str>,
    /// How a listing (`paging = "..."`) pages, and its item field.
    pub paging: Option<(Paging, &'static str)>,
}

impl Endpoint {
    /// An endpoint with no parameters, the default policy, returning `()`. For generated
    /// code; chain the other `const` setters.
    pub const fn new(operation: &'static str, method: Method, path: &'static str) -> Self {
        Endpoint {
            operation,
            method,
            path,
            params: &[],
            timeout: None,
            retry: RetryRule::ByMethod,
            returns: "()",
            accept: None,
            content_type: None,
            paging: None,
        }
    }

    /// Sets the media type asked for with `Accept`.
    #[must_use]
    pub const fn accept(mut self, accept: &'static str) -> Self {
        self.accept = Some(accept);
        self
    }

    /// Sets the body's media type.
    #[must_use]
    pub const fn content_type(mut self, content_type: &'static str) -> Self {
        self.content_type = Some(content_type);
        self
    }

    /// Makes the endpoint a listing that pages this way, with its items in `items_field`.
    #[must_use]
    pub const fn paging(mut self, paging: Paging, items_field: &'static str) -> Self {
        self.paging = Some((paging, items_field));
        self
    }

    /// Sets the parameters.
    #[must_use]
    pub const fn params(mut self, params: &'static [Param]) -> Self {
        self.params = params;
        self
    }

    /// Sets the per-attempt timeout, in milliseconds.
    #[must_use]
    pub const fn timeout_ms(mut self, millis: u64) -> Self {
        self.timeout = Some(Duration::from_millis(millis));
        self
    }

    /// Sets the retry rule.
    #[must_use]
    pub const fn retry(mut self, rule: RetryRule) -> Self {
        self.retry = rule;
        self
    }

    /// Sets the declared return type's text.
    #[must_use]
    pub const fn returns(mut self, returns: &'static str) -> Self {
        self.returns = returns;
        self
    }

    /// Whether a `502`–`504` or a lost connection may be retried for this endpoint.
    pub fn safe_to_repeat(&self) -> bool {
        match self.retry {
            RetryRule::ByMethod => self.method.is_idempotent(),
            RetryRule::Safe => true,
            RetryRule::Never => false,
        }
    }

    /// The parameter with this wire name.
    pub fn param(&self, name: &str) -> Option<&'static Param> {
        self.params.iter().find(|p| p.name == name)
    }
}

impl fmt::Display for Endpoint {
    /// `GET /api/v2/tokens/me`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.path)
    }
}

/// One parameter of an [`Endpoint`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Param {
    /// The wire name: `userId`, `preserveIdleTTL`, `x-request-id`; `body` for the body.
    pub name: &'static str,
    /// Where it goes.
    pub kind: ParamKind,
    /// Whether it may be left out (an `Option`, or a list that may be empty).
    pub optional: bool,
    /// Whether it is a list (sent as repeated query keys, or a comma-joined header).
    pub list: bool,
}

impl Param {
    /// A parameter. For generated code.
    pub const fn new(name: &'static str, kind: ParamKind, optional: bool, list: bool) -> Self {
        Param {
            name,
            kind,
            optional,
            list,
        }
    }
}

/// Where a [`Param`] goes in the request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ParamKind {
    /// A `{placeholder}` of the path.
    Path,
    /// A query parameter.
    Query,
    /// A request header.
    Header,
    /// The JSON body.
    Body,
}

impl ParamKind {
    /// `path`, `query`, `header` or `body`.
    pub fn as_str(self) -> &'static str {
        match self {
            ParamKind::Path => "path",
            ParamKind::Query => "query",
            ParamKind::Header => "header",
            ParamKind::Body => "body",
        }
    }
}

/// How a listing endpoint pages (declared with `paging = "..."`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Paging {
    /// `paging = "page"`: `pageNumber=1, 2, …` until `pageCount` (or an empty page, or a
    /// page without `nextUri` when there is no `pageCount`).
    Page,
    /// `paging = "cursor"`: `cursor=` the previous page's `cursor` (or `cursors.after`, or
    /// the `cursor` in its `nextUri`) until there is none.
    Cursor,
    /// `paging = "after"`: `after=` the `after` in the previous page's `nextUri` (or its
    /// `cursors.after`) until there is none.
    After,
}

impl Paging {
    /// The query parameter that moves to the next page: `pageNumber`, `cursor` or `after`.
    pub fn parameter(self) -> &'static str {
        match self {
            Paging::Page => "pageNumber",
            Paging::Cursor => "cursor",
            Paging::After => "after",
        }
    }
}

/// Which failures of an endpoint may be retried (`429` always may, whatever the rule, unless
/// `Never`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RetryRule {
    /// `502`–`504` and lost connections only for idempotent methods (GET, HEAD, PUT,
    /// DELETE): the default.
    #[default]
    ByMethod,
    /// `retry = "safe"`: also for a POST or PATCH that only reads (an analytics query, a
    /// search), so repeating it does no harm.
    Safe,
    /// `retry = "never"`: one request, whatever the answer (a `401` with a renewable token
    /// is still renewed and replayed once: that is not a retry).
    Never,
}
