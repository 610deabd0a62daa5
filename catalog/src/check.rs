//! The check of a declared API group against the catalog ([`check`], [`assert_conforms`]),
//! and of a user's model against the vendor's ([`assert_model`]).

use std::fmt;

use genesys_runtime::{ApiGroup, Endpoint, Paging, Param, ParamKind, RetryRule};

use crate::models::{MismatchKind, check_model};
use crate::{CatalogParam, Operation, catalog};

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
/// A listing (`paging = "..."`) declares none of the query parameters its style sets
/// ([`Paging::query_params`]: `pageSize` and the page or cursor parameter): the runtime sets
/// them, so they are not missing, and declaring one by hand anyway is reported. Its style and
/// item field must be the ones the catalog's [`Shape`](crate::Shape) records (a body-paged query declared
/// with query paging would only ever read its first page). A read-only POST query
/// ([`Shape::read_only`](crate::Shape::read_only)) declared with the default retry rule is reported too: it should say
/// `retry = "safe"`.
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
        if let Some((paging, items)) = endpoint.paging {
            found.extend(listing_mismatch(paging, items, operation).map(|m| mismatch(None, m)));
        }
        if operation.shape.read_only && endpoint.retry == RetryRule::ByMethod {
            found.push(mismatch(
                None,
                "a read-only query in the catalog: declare `retry = \"safe\"` so that a lost connection or a 502-504 is retried like a GET's (or `retry = \"never\"` to say it must not be)".to_owned(),
            ));
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

/// Panics with every difference between the user's model `T` and the catalog's `model`
/// (fields it reads that Genesys does not send, types that do not decode what Genesys sends,
/// enum values it refuses), one per line; fields `T` leaves out are fine. For a test.
#[track_caller]
pub fn assert_model<T: serde::de::DeserializeOwned>(model: &str) {
    let mismatches: Vec<String> = check_model::<T>(model)
        .iter()
        .filter(|m| m.kind != MismatchKind::Dropped)
        .map(ToString::to_string)
        .collect();
    if !mismatches.is_empty() {
        panic!(
            "{} does not match Genesys's `{model}` ({}), {} difference(s):\n{}",
            std::any::type_name::<T>(),
            catalog().source(),
            mismatches.len(),
            mismatches.join("\n")
        );
    }
}

/// The query parameters the runtime sets itself on a listing of this style.
fn sets(paging: Paging, expected: &CatalogParam) -> bool {
    expected.kind == "query" && paging.query_params().contains(&expected.name.as_str())
}

/// Why a listing of style `paging` with items in `items` does not page through `operation`
/// the way the catalog says it does.
fn listing_mismatch(paging: Paging, items: &str, operation: &Operation) -> Option<String> {
    let Some(expected) = operation.shape.paging() else {
        return Some(format!(
            "declared `paging = \"{paging}\"`, but the catalog has no listing here (no paging parameter, or no next page in its answer): declare it without `paging` and read the answer as one value"
        ));
    };
    if expected != paging {
        return Some(format!(
            "declared `paging = \"{paging}\"`, but the catalog pages it with {}: declare `paging = \"{expected}\"`{}",
            style_words(expected),
            if paging.in_body() == expected.in_body() {
                ""
            } else if expected.in_body() {
                " (its paging fields are in the request body: as declared, every request would ask for the first page)"
            } else {
                " (its paging parameters are in the query, not the body)"
            }
        ));
    }
    match operation.shape.items.as_deref() {
        Some(field) if field != items => Some(format!(
            "the listing's items are in `{items}`, but the catalog's answer keeps them in `{field}`: declare `items = \"{field}\"`"
        )),
        _ => None,
    }
}

/// What moves a style's pages, in words.
fn style_words(paging: Paging) -> &'static str {
    match paging {
        Paging::Page => "`pageNumber` in the query",
        Paging::Cursor => "`cursor` in the query",
        Paging::After => "`after` in the query",
        Paging::Scim => "`startIndex` and `count` in the query",
        Paging::BodyPage => "`pageNumber` in the body",
        Paging::BodyPaging => "`paging.pageNumber` in the body",
        Paging::BodyCursor => "`cursor` in the body",
        Paging::BodyAfter => "`after` in the body",
        Paging::NextUri => "the answer's `nextUri`",
        Paging::NextPage => "the answer's `nextPage`",
        _ => "another style",
    }
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
