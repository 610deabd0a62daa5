#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

use std::collections::BTreeMap;
use std::fmt;
use std::io::Read;
use std::sync::OnceLock;

use genesys_runtime::{ApiGroup, Endpoint, Paging, Param, ParamKind};
use serde::Deserialize;

/// The gzipped catalog `generate.py` writes.
static DATA: &[u8] = include_bytes!("../data/operations.json.gz");

/// Every Genesys Cloud operation, by SDK group (`TokensApi`) and operation
/// (`get_tokens_me`).
#[derive(Debug, Deserialize)]
pub struct Catalog {
    sources: BTreeMap<String, String>,
    groups: BTreeMap<String, BTreeMap<String, Operation>>,
}

/// One operation, as the official SDKs describe it.
#[derive(Debug, Deserialize)]
#[non_exhaustive]
pub struct Operation {
    /// The HTTP method, upper case.
    pub method: String,
    /// The path template, such as `/api/v2/users/{userId}`.
    pub path: String,
    /// The parameters.
    pub params: Vec<CatalogParam>,
    /// The response model's name, when there is a body.
    pub returns: Option<String>,
}

/// One parameter of an [`Operation`].
#[derive(Debug, Deserialize)]
#[non_exhaustive]
pub struct CatalogParam {
    /// The wire name (`body` for the body).
    pub name: String,
    /// `path`, `query`, `header` or `body`.
    #[serde(rename = "in")]
    pub kind: String,
    /// Whether the SDKs refuse a call without it.
    pub required: bool,
    /// The SDK's type, such as `str`, `bool`, `list[str]`, `IdleTokenTimeout`.
    #[serde(rename = "type")]
    pub ty: String,
    /// Whether it is a list.
    pub list: bool,
    /// For a query list: `multi` (repeated keys, as this crate's runtime sends lists) or `csv`
    /// (one comma-separated value); `None` when the JavaScript SDK did not say.
    #[serde(default)]
    pub format: Option<String>,
}

/// The catalog, decoded on first use.
pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        let mut json = Vec::new();
        flate2::read::GzDecoder::new(DATA)
            .read_to_end(&mut json)
            .expect("the bundled catalog is valid gzip");
        serde_json::from_slice(&json).expect("the bundled catalog is valid JSON")
    })
}

impl Catalog {
    /// The SDK packages it was generated from, such as
    /// `PureCloudPlatformClientV2 269.0.0 (PyPI)`.
    pub fn sources(&self) -> impl Iterator<Item = &str> {
        self.sources.values().map(String::as_str)
    }

    /// How many operations it holds.
    pub fn len(&self) -> usize {
        self.groups.values().map(BTreeMap::len).sum()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The SDK groups (`TokensApi`, `UsersApi`, ...).
    pub fn groups(&self) -> impl Iterator<Item = &str> {
        self.groups.keys().map(String::as_str)
    }

    /// An operation by SDK group and operation name (`"TokensApi"`, `"get_tokens_me"`).
    pub fn operation(&self, group: &str, operation: &str) -> Option<&Operation> {
        self.groups.get(group)?.get(operation)
    }

    /// The operation with this method and path template, and its SDK group and name.
    pub fn find(&self, method: &str, path: &str) -> Option<(&str, &str, &Operation)> {
        self.groups.iter().find_map(|(group, operations)| {
            operations
                .iter()
                .find(|(_, op)| op.method == method && op.path == path)
                .map(|(name, op)| (group.as_str(), name.as_str(), op))
        })
    }

    fn source(&self) -> String {
        self.sources().collect::<Vec<_>>().join(" and ")
    }
}

/// One difference between a declared endpoint and the catalog.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Mismatch {
    /// `UsersApi.get_user (GET /api/v2/users/{userId})`.
    pub endpoint: String,
    /// The parameter, when the difference is about one.
    pub param: Option<String>,
    /// What differs and what the catalog says.
    pub message: String,
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.param {
            Some(param) => write!(
                f,
                "{}: parameter `{param}`: {}",
                self.endpoint, self.message
            ),
            None => write!(f, "{}: {}", self.endpoint, self.message),
        }
    }
}

/// Every difference between `group`'s declared endpoints and the catalog (empty when the
/// group conforms): each endpoint is found by method and path; then each catalog parameter
/// must be declared with the same wire name, kind and optionality (a list may always be
/// empty), list-ness and list format, and each declared parameter must be in the catalog.
///
/// A listing (`paging = "..."`) declares neither `pageSize` nor its page or cursor parameter
/// (`pageNumber`, `cursor` or `after`): the runtime sets them, so they are not missing. Its
/// operation must have that page or cursor parameter (a listing of the wrong style is
/// reported, with the style the catalog suggests), and declaring one of them by hand anyway
/// is reported too.
pub fn check(group: &ApiGroup) -> Vec<Mismatch> {
    let catalog = catalog();
    let mut found = Vec::new();
    for endpoint in group.endpoints() {
        let name = format!("{}.{} ({endpoint})", group.name(), endpoint.operation);
        let mismatch = |param: Option<&str>, message: String| Mismatch {
            endpoint: name.clone(),
            param: param.map(str::to_owned),
            message,
        };
        let Some((_, _, operation)) = catalog.find(endpoint.method.as_str(), endpoint.path) else {
            found.push(mismatch(
                None,
                format!(
                    "no operation with this method and path in the catalog ({}); check both against the API reference",
                    catalog.source()
                ),
            ));
            continue;
        };
        let paging = endpoint.paging.map(|(paging, _)| paging);
        if let Some(paging) = paging {
            if let Some(message) = wrong_style(paging, operation) {
                found.push(mismatch(None, message));
            }
        }
        for expected in &operation.params {
            let runtime_sets = paging.is_some_and(|paging| sets(paging, expected));
            match declared(endpoint, expected) {
                Some(_) if runtime_sets => found.push(mismatch(
                    Some(&expected.name),
                    format!(
                        "the runtime sets `{}` for a listing: remove it from the declaration (`.page_size(n)` on the listing sets `pageSize`)",
                        expected.name
                    ),
                )),
                None if runtime_sets => {}
                None => found.push(mismatch(
                    Some(&expected.name),
                    format!(
                        "missing from the declaration; the catalog has it as {} {}{} ({})",
                        if expected.required {
                            "a required"
                        } else {
                            "an optional"
                        },
                        expected.kind,
                        if expected.list { " list" } else { "" },
                        expected.ty
                    ),
                )),
                Some(param) => {
                    for message in compare(param, expected) {
                        found.push(mismatch(Some(&expected.name), message));
                    }
                }
            }
        }
        for param in endpoint.params {
            let known = operation
                .params
                .iter()
                .any(|p| same_name(param, p) && p.kind == param.kind.as_str());
            let other_kind = operation.params.iter().any(|p| same_name(param, p));
            if !known && !other_kind {
                found.push(mismatch(
                    Some(param.name),
                    format!(
                        "declared as {}, but the operation has no such parameter in the catalog",
                        kind_words(param.kind)
                    ),
                ));
            }
        }
    }
    found
}

/// Panics with every difference between `group` and the catalog, one per line; for a test.
#[track_caller]
pub fn assert_conforms(group: &ApiGroup) {
    let mismatches = check(group);
    if !mismatches.is_empty() {
        let lines: Vec<String> = mismatches.iter().map(ToString::to_string).collect();
        panic!(
            "{} does not match the Genesys catalog ({}), {} difference(s):\n{}",
            group.name(),
            catalog().source(),
            mismatches.len(),
            lines.join("\n")
        );
    }
}

/// The query parameters the runtime sets itself on a listing of this style.
fn sets(paging: Paging, expected: &CatalogParam) -> bool {
    expected.kind == "query" && (expected.name == "pageSize" || expected.name == paging.parameter())
}

/// The paging styles, by the parameter each moves pages with.
const STYLES: [(Paging, &str); 3] = [
    (Paging::Page, "page"),
    (Paging::Cursor, "cursor"),
    (Paging::After, "after"),
];

/// Why a listing of style `paging` cannot page through `operation`: it has no such page or
/// cursor parameter. Names the style it does have, if any.
fn wrong_style(paging: Paging, operation: &Operation) -> Option<String> {
    let has = |parameter: &str| {
        operation
            .params
            .iter()
            .any(|p| p.kind == "query" && p.name == parameter)
    };
    if has(paging.parameter()) {
        return None;
    }
    let declared = STYLES
        .iter()
        .find(|(p, _)| *p == paging)
        .map_or("?", |s| s.1);
    let fix = match STYLES.iter().find(|(p, _)| has(p.parameter())) {
        Some((style, name)) => format!(
            "it pages with `{}`: declare `paging = \"{name}\"`",
            style.parameter()
        ),
        None => "it has no page or cursor parameter the runtime knows: declare it without `paging` and read the answer as one value".to_owned(),
    };
    Some(format!(
        "declared `paging = \"{declared}\"`, but the operation has no `{}` query parameter in the catalog; {fix}",
        paging.parameter()
    ))
}

/// The declared parameter for a catalog parameter: same wire name (headers case-insensitive).
fn declared<'e>(endpoint: &'e Endpoint, expected: &CatalogParam) -> Option<&'e Param> {
    endpoint.params.iter().find(|p| same_name(p, expected))
}

fn same_name(param: &Param, expected: &CatalogParam) -> bool {
    if param.kind == ParamKind::Header || expected.kind == "header" {
        param.name.eq_ignore_ascii_case(&expected.name)
    } else {
        param.name == expected.name
    }
}

/// What differs between a declared parameter and its catalog entry.
fn compare(param: &Param, expected: &CatalogParam) -> Vec<String> {
    let mut differences = Vec::new();
    if param.kind.as_str() != expected.kind {
        differences.push(format!(
            "declared as {}, the catalog says {}",
            kind_words(param.kind),
            expected.kind
        ));
        return differences;
    }
    let csv = expected.format.as_deref() == Some("csv");
    // A comma-separated list declared as one string, joined by the caller, is right.
    let joined_by_caller = csv && !param.list;
    if param.list != expected.list && !joined_by_caller {
        differences.push(if expected.list {
            format!(
                "declared as one value, the catalog says a list ({})",
                expected.ty
            )
        } else {
            format!(
                "declared as a list, the catalog says one value ({})",
                expected.ty
            )
        });
    } else if param.list && csv {
        differences.push(
            "lists are sent as repeated keys, the catalog says one comma-separated value: declare a `&str` and join the values with commas".to_owned(),
        );
    }
    // A list may always be empty; a path parameter is always required.
    if !param.list && param.optional == expected.required {
        differences.push(if expected.required {
            "declared optional, the catalog says required: drop the `Option`".to_owned()
        } else {
            "declared required, the catalog says optional: take an `Option`".to_owned()
        });
    }
    differences
}

fn kind_words(kind: ParamKind) -> &'static str {
    match kind {
        ParamKind::Path => "a path parameter",
        ParamKind::Query => "a query parameter",
        ParamKind::Header => "a header",
        ParamKind::Body => "the body",
        _ => "a parameter",
    }
}
