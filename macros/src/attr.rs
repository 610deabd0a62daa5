//! Parsing the attributes: `#[endpoint(method = "...", path = "...")]` (with the optional
//! `timeout = "..."` and `retry = "..."`) and the argument
//! attributes `#[path(name = "...")]`, `#[query]`, `#[query(name = "...")]`,
//! `#[header(name = "...")]` and `#[body]`.
//!
//! Keys are listed once per attribute; every key is set through [`set_once`], which reports
//! a duplicate at its second occurrence; an unknown key lists the valid ones.

use proc_macro2::{Span, TokenStream};
use syn::meta::ParseNestedMeta;
use syn::parse::Parser;
use syn::spanned::Spanned;
use syn::{Attribute, Expr, ExprLit, Lit, LitStr};

use crate::errors::Errors;
use crate::method::edit_distance;

/// The keys `#[endpoint]` accepts.
const ENDPOINT_KEYS: &[&str] = &["method", "path", "timeout", "retry"];

/// The arguments of `#[endpoint(...)]`, each a string literal when given.
#[derive(Default)]
pub(crate) struct EndpointArgs {
    pub(crate) method: Option<LitStr>,
    pub(crate) path: Option<LitStr>,
    pub(crate) timeout: Option<LitStr>,
    pub(crate) retry: Option<LitStr>,
    /// Set by `#[api]` on the trait (not by users): the group's table name, whose hoisted
    /// static describes this endpoint.
    pub(crate) group: Option<syn::Ident>,
}

/// Parses `method = "GET", path = "/..."`, recording every mistake.
pub(crate) fn parse_endpoint_args(args: TokenStream, errors: &mut Errors) -> EndpointArgs {
    let mut parsed = EndpointArgs::default();
    let (mut seen_method, mut seen_path, mut seen_unknown) = (false, false, false);
    let parser = syn::meta::parser(|meta| {
        if meta.path.is_ident("method") {
            seen_method = true;
            if let Some(value) = string_value(&meta, errors)? {
                set_once(&mut parsed.method, value, &meta, errors);
            }
        } else if meta.path.is_ident("path") {
            seen_path = true;
            if let Some(value) = string_value(&meta, errors)? {
                set_once(&mut parsed.path, value, &meta, errors);
            }
        } else if meta.path.is_ident("timeout") {
            if let Some(value) = string_value(&meta, errors)? {
                set_once(&mut parsed.timeout, value, &meta, errors);
            }
        } else if meta.path.is_ident("__group") {
            parsed.group = Some(meta.value()?.parse()?);
        } else if meta.path.is_ident("retry") {
            if let Some(value) = string_value(&meta, errors)? {
                set_once(&mut parsed.retry, value, &meta, errors);
            }
        } else {
            seen_unknown = true;
            unknown_key(&meta, "endpoint", ENDPOINT_KEYS, errors)?;
        }
        Ok(())
    });
    if let Err(error) = parser.parse2(args) {
        errors.push_error(error);
    }
    // An unknown key is most likely the missing one misspelled: its error says so already.
    if !seen_method && !seen_unknown {
        errors.push(
            Span::call_site(),
            "missing `method`: write `#[endpoint(method = \"GET\", path = \"/api/v2/...\")]`",
        );
    }
    if !seen_path && !seen_unknown {
        errors.push(
            Span::call_site(),
            "missing `path`: write `#[endpoint(method = \"GET\", path = \"/api/v2/...\")]`",
        );
    }
    parsed
}

/// What an argument attribute says the argument is.
pub(crate) enum ArgRole {
    /// `#[path]` or `#[path(name = "userId")]`.
    Path(Option<LitStr>),
    /// `#[query]` or `#[query(name = "preserveIdleTTL")]`.
    Query(Option<LitStr>),
    /// `#[header(name = "X-Request-Id")]`.
    Header(LitStr),
    /// `#[body]`.
    Body,
}

/// The names of the argument attributes this macro reads (and removes).
pub(crate) const ARG_ATTRIBUTES: &[&str] = &["path", "query", "header", "body"];

/// Parses one argument attribute whose name is in [`ARG_ATTRIBUTES`].
pub(crate) fn parse_arg_attr(attr: &Attribute, errors: &mut Errors) -> Option<ArgRole> {
    let kind = attr.path().get_ident()?.to_string();
    let mut name: Option<LitStr> = None;
    if !matches!(attr.meta, syn::Meta::Path(_)) {
        let keys: &[&str] = if kind == "body" { &[] } else { &["name"] };
        let result = attr.parse_nested_meta(|meta| {
            if keys.contains(&"name") && meta.path.is_ident("name") {
                if let Some(value) = string_value(&meta, errors)? {
                    set_once(&mut name, value, &meta, errors);
                }
                Ok(())
            } else {
                unknown_key(&meta, &kind, keys, errors)
            }
        });
        if let Err(error) = result {
            errors.push_error(error);
        }
    }
    match kind.as_str() {
        "path" => Some(ArgRole::Path(name)),
        "query" => Some(ArgRole::Query(name)),
        "header" => match name {
            Some(name) => Some(ArgRole::Header(name)),
            None => {
                errors.push(
                    attr.path().span(),
                    "a header argument needs its wire name: write `#[header(name = \"X-Header-Name\")]`",
                );
                None
            }
        },
        _ => Some(ArgRole::Body),
    }
}

/// Stores `value` in `slot`, or reports the key as given twice (at this, its second use).
fn set_once<T>(slot: &mut Option<T>, value: T, meta: &ParseNestedMeta<'_>, errors: &mut Errors) {
    if slot.is_some() {
        let key = meta
            .path
            .get_ident()
            .map(ToString::to_string)
            .unwrap_or_default();
        errors.push(
            meta.path.span(),
            format!("`{key}` is given twice; give each key once"),
        );
    } else {
        *slot = Some(value);
    }
}

/// Reads `= "literal"`; a value of another kind is reported and skipped.
fn string_value(meta: &ParseNestedMeta<'_>, errors: &mut Errors) -> syn::Result<Option<LitStr>> {
    let key = meta
        .path
        .get_ident()
        .map(ToString::to_string)
        .unwrap_or_default();
    if !meta.input.peek(syn::Token![=]) {
        errors.push(
            meta.path.span(),
            format!("`{key}` needs a value: write `{key} = \"...\"`"),
        );
        return Ok(None);
    }
    let expr: Expr = meta.value()?.parse()?;
    match expr {
        Expr::Lit(ExprLit {
            lit: Lit::Str(lit), ..
        }) => Ok(Some(lit)),
        other => {
            errors.push(
                other.span(),
                format!("`{key}` takes a string literal: write `{key} = \"...\"`"),
            );
            Ok(None)
        }
    }
}

/// Reports an unknown key (listing the valid ones) and skips its value.
fn unknown_key(
    meta: &ParseNestedMeta<'_>,
    attribute: &str,
    valid: &[&str],
    errors: &mut Errors,
) -> syn::Result<()> {
    let key = meta
        .path
        .get_ident()
        .map(ToString::to_string)
        .unwrap_or_else(|| "this key".to_owned());
    let message = match valid {
        [] => format!("`#[{attribute}]` takes no arguments: remove `{key}`"),
        keys => {
            // Close in spelling, or sharing a stem (`retries` for `retry`).
            let shared_prefix = |k: &str| {
                key.chars()
                    .zip(k.chars())
                    .take_while(|(a, b)| a == b)
                    .count()
            };
            let nearest = keys
                .iter()
                .map(|k| (edit_distance(&key, k), *k))
                .min()
                .filter(|(distance, _)| *distance <= 2)
                .map(|(_, k)| k)
                .or_else(|| keys.iter().copied().find(|k| shared_prefix(k) >= 4))
                .map(|k| format!("did you mean `{k}`? "))
                .unwrap_or_default();
            format!(
                "unknown key `{key}` in `#[{attribute}]`; {nearest}expected one of: {}",
                keys.iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
    };
    errors.push(meta.path.span(), message);
    if meta.input.peek(syn::Token![=]) {
        let _skipped: Expr = meta.value()?.parse()?;
    } else if meta.input.peek(syn::token::Paren) {
        meta.parse_nested_meta(|_| Ok(()))?;
    }
    Ok(())
}
