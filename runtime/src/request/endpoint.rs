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

/// How a listing endpoint pages (declared with `paging = "..."`): which parameter or body
/// field moves to the next page, and which answer field says where it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Paging {
    /// `paging = "page"`: `pageNumber=1, 2, …` in the query until `pageCount` (or, without
    /// it, `total`; or an empty or short page).
    Page,
    /// `paging = "cursor"`: `cursor=` the previous page's `cursor` (or `cursors.after`, or
    /// the `cursor` in its `nextUri`) until there is none.
    Cursor,
    /// `paging = "after"`: `after=` the `after` in the previous page's `nextUri` (or its
    /// `after` or `cursors.after`) until there is none.
    After,
    /// `paging = "scim"`: `startIndex=1, 1 + n, …` and `count` in the query, until
    /// `totalResults`; items in `Resources` by default.
    Scim,
    /// `paging = "body-page"`: `pageNumber` (and `pageSize`) at the top level of the JSON
    /// body, as search requests take them; stops like [`Paging::Page`].
    BodyPage,
    /// `paging = "body-paging"`: `pageNumber` and `pageSize` in the body's `paging` object,
    /// as analytics details queries take them; stops at `totalHits` (or like
    /// [`Paging::Page`]).
    BodyPaging,
    /// `paging = "body-cursor"`: `cursor` at the top level of the JSON body, from the
    /// previous page's `cursor`.
    BodyCursor,
    /// `paging = "body-after"`: `after` at the top level of the JSON body, from the previous
    /// page's `after` (or `cursors.after`, or the `after` in its `nextUri`).
    BodyAfter,
    /// `paging = "next-uri"`: no paging parameter; the next page is the answer's `nextUri`,
    /// requested like the declared call (same method and body) and only on the client's own
    /// host under `/api/`.
    NextUri,
    /// `paging = "next-page"`: no paging parameter; the next page is the answer's `nextPage`
    /// link (a search's `?q64=` link), requested with GET and no body, only on the client's
    /// own host under `/api/`; items in `results` by default.
    NextPage,
}

impl Paging {
    /// Every style, in declaration order.
    pub const ALL: [Paging; 10] = [
        Paging::Page,
        Paging::Cursor,
        Paging::After,
        Paging::Scim,
        Paging::BodyPage,
        Paging::BodyPaging,
        Paging::BodyCursor,
        Paging::BodyAfter,
        Paging::NextUri,
        Paging::NextPage,
    ];

    /// The style as declared: `page`, `cursor`, `after`, `scim`, `body-page`,
    /// `body-paging`, `body-cursor`, `body-after`, `next-uri` or `next-page`.
    pub fn name(self) -> &'static str {
        match self {
            Paging::Page => "page",
            Paging::Cursor => "cursor",
            Paging::After => "after",
            Paging::Scim => "scim",
            Paging::BodyPage => "body-page",
            Paging::BodyPaging => "body-paging",
            Paging::BodyCursor => "body-cursor",
            Paging::BodyAfter => "body-after",
            Paging::NextUri => "next-uri",
            Paging::NextPage => "next-page",
        }
    }

    /// The style declared as `name` (see [`Paging::name`]).
    pub fn from_name(name: &str) -> Option<Paging> {
        Paging::ALL.into_iter().find(|style| style.name() == name)
    }

    /// The query parameters the runtime sets on every page of this style (so a declaration
    /// leaves them out): the page or cursor parameter and the page size. Body styles set
    /// their fields in the body; link styles only `pageSize`, on the first request.
    pub fn query_params(self) -> &'static [&'static str] {
        match self {
            Paging::Page => &["pageNumber", "pageSize"],
            Paging::Cursor => &["cursor", "pageSize"],
            Paging::After => &["after", "pageSize"],
            Paging::Scim => &["startIndex", "count"],
            Paging::NextUri | Paging::NextPage => &["pageSize"],
            Paging::BodyPage | Paging::BodyPaging | Paging::BodyCursor | Paging::BodyAfter => &[],
        }
    }

    /// The parameter (or body field) that moves to the next page: `pageNumber`, `cursor`,
    /// `after`, `startIndex`; `None` for the link styles.
    pub fn parameter(self) -> Option<&'static str> {
        match self {
            Paging::Page | Paging::BodyPage | Paging::BodyPaging => Some("pageNumber"),
            Paging::Cursor | Paging::BodyCursor => Some("cursor"),
            Paging::After | Paging::BodyAfter => Some("after"),
            Paging::Scim => Some("startIndex"),
            Paging::NextUri | Paging::NextPage => None,
        }
    }

    /// Whether the paging fields go in the JSON body.
    pub fn in_body(self) -> bool {
        matches!(
            self,
            Paging::BodyPage | Paging::BodyPaging | Paging::BodyCursor | Paging::BodyAfter
        )
    }

    /// The item field when the declaration names none: `Resources` for SCIM, `results` for
    /// a search's `next-page`, `entities` otherwise.
    pub fn default_items(self) -> &'static str {
        match self {
            Paging::Scim => "Resources",
            Paging::NextPage => "results",
            _ => "entities",
        }
    }
}

impl fmt::Display for Paging {
    /// The style as declared (`body-paging`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
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
