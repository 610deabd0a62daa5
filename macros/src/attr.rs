//! Parsing the attributes: `#[endpoint(method = "...", path = "...")]` (with the optional
//! `timeout`, `retry`, `accept`, `paging`, `items` and `crate` keys) and the argument
//! attributes `#[path(name = "...")]`, `#[query]`, `#[query(name = "...")]`,
//! `#[header(name = "...")]` and `#[body]` / `#[body(form | text | bytes | multipart)]`.
//!
//! Keys are listed once per attribute; every key is set through [`set_once`], which reports
//! a duplicate at its second occurrence; an unknown key lists the valid ones.

use proc_macro2::{Span, TokenStream};
use syn::meta::ParseNestedMeta;
use syn::parse::Parser;
use syn::spanned::Spanned;
use syn::{Attribute, Expr, ExprLit, Lit, LitStr};

use crate::errors::Errors;
use crate::method::{edit_distance, is_close};

/// The keys `#[endpoint]` accepts.
const ENDPOINT_KEYS: &[&str] = &[
    "method", "path", "timeout", "retry", "accept", "paging", "items", "named", "crate",
];

/// The arguments of `#[endpoint(...)]`, each a string literal when given.
#[derive(Default)]
pub(crate) struct EndpointArgs {
    pub(crate) method: Option<LitStr>,
    pub(crate) path: Option<LitStr>,
    pub(crate) timeout: Option<LitStr>,
    pub(crate) retry: Option<LitStr>,
    /// `accept = "text/csv"`: the media type asked for.
    pub(crate) accept: Option<LitStr>,
    /// `paging = "page" | "cursor" | "after"`: a listing, and how it pages.
    pub(crate) paging: Option<LitStr>,
    /// `items = "conversations"`: the listing's item field (`entities` by default).
    pub(crate) items: Option<LitStr>,
    /// `named`: the optional arguments are set by name on a call type, not passed in order.
    pub(crate) named: Option<Span>,
    /// `crate = "genesys"`: where the runtime is, for a renamed dependency.
    pub(crate) krate: Option<LitStr>,
    /// Set by `#[api]` on the trait (not by users): the group's table name, whose hoisted
    /// static describes this endpoint.
    pub(crate) group: Option<syn::Ident>,
}

/// Parses `method = "GET", path = "/..."`, recording every mistake.
pub(crate) fn parse_endpoint_args(args: TokenStream, errors: &mut Errors) -> EndpointArgs {
    let mut parsed = EndpointArgs::default();
    let (mut seen_method, mut seen_path, mut seen_unknown) = (false, false, false);
    let parser = syn::meta::parser(|meta| {
        let slot = if meta.path.is_ident("method") {
            seen_method = true;
            &mut parsed.method
        } else if meta.path.is_ident("path") {
            seen_path = true;
            &mut parsed.path
        } else if meta.path.is_ident("timeout") {
            &mut parsed.timeout
        } else if meta.path.is_ident("retry") {
            &mut parsed.retry
        } else if meta.path.is_ident("accept") {
            &mut parsed.accept
        } else if meta.path.is_ident("paging") {
            &mut parsed.paging
        } else if meta.path.is_ident("items") {
            &mut parsed.items
        } else if meta.path.is_ident("crate") {
            &mut parsed.krate
        } else if meta.path.is_ident("named") {
            if meta.input.peek(syn::Token![=]) {
                errors.push(
                    meta.path.span(),
                    "`named` is a flag and takes no value: write `#[endpoint(..., named)]`",
                );
                let _skipped: Expr = meta.value()?.parse()?;
            } else if parsed.named.is_some() {
                errors.push(
                    meta.path.span(),
                    "`named` is given twice; give each key once",
                );
            } else {
                parsed.named = Some(meta.path.span());
            }
            return Ok(());
        } else if meta.path.is_ident("__group") {
            parsed.group = Some(meta.value()?.parse()?);
            return Ok(());
        } else {
            seen_unknown = true;
            return unknown_key(&meta, "endpoint", ENDPOINT_KEYS, errors);
        };
        if let Some(value) = string_value(&meta, errors)? {
            set_once(slot, value, &meta, errors);
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
    /// `#[body]`, `#[body(form)]`, `#[body(text, content_type = "text/csv")]`, …
    Body(BodySpec),
}

/// How a body argument is encoded, and the span of what chose it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BodyKind {
    /// JSON (`#[body]` or `#[body(json)]`).
    Json,
    /// `application/x-www-form-urlencoded`, from a `Serialize` struct or map.
    Form,
    /// Text, `text/plain; charset=utf-8` unless declared.
    Text,
    /// Bytes, `application/octet-stream` unless declared.
    Bytes,
    /// `multipart/form-data`, from a `Multipart`.
    Multipart,
}

/// The body attribute's contents.
pub(crate) struct BodySpec {
    pub(crate) kind: BodyKind,
    /// `content_type = "..."`, for JSON, text and bytes bodies.
    pub(crate) content_type: Option<LitStr>,
}

/// The body kinds, as written in `#[body(...)]`.
const BODY_KINDS: &[(&str, BodyKind)] = &[
    ("json", BodyKind::Json),
    ("form", BodyKind::Form),
    ("text", BodyKind::Text),
    ("bytes", BodyKind::Bytes),
    ("multipart", BodyKind::Multipart),
];

/// Parses the inside of `#[body(...)]`: at most one kind and an optional `content_type`.
fn parse_body_attr(attr: &Attribute, errors: &mut Errors) -> BodySpec {
    let mut kind: Option<(BodyKind, Span)> = None;
    let mut content_type: Option<LitStr> = None;
    if matches!(attr.meta, syn::Meta::Path(_)) {
        return BodySpec {
            kind: BodyKind::Json,
            content_type,
        };
    }
    let result = attr.parse_nested_meta(|meta| {
        if meta.path.is_ident("content_type") {
            if let Some(value) = string_value(&meta, errors)? {
                set_once(&mut content_type, value, &meta, errors);
            }
            return Ok(());
        }
        let found = BODY_KINDS
            .iter()
            .find(|(name, _)| meta.path.is_ident(name));
        match found {
            Some((name, found)) => {
                if meta.input.peek(syn::Token![=]) {
                    errors.push(
                        meta.path.span(),
                        format!("`{name}` is a body kind and takes no value: write `#[body({name})]`"),
                    );
                    let _skipped: Expr = meta.value()?.parse()?;
                } else if kind.is_some() {
                    errors.push(
                        meta.path.span(),
                        "a body has one encoding: keep one of `json`, `form`, `text`, `bytes`, `multipart`",
                    );
                } else {
                    kind = Some((*found, meta.path.span()));
                }
                Ok(())
            }
            None => unknown_key(
                &meta,
                "body",
                &["json", "form", "text", "bytes", "multipart", "content_type"],
                errors,
            ),
        }
    });
    if let Err(error) = result {
        errors.push_error(error);
    }
    let kind = kind.map_or(BodyKind::Json, |(kind, _)| kind);
    if let Some(lit) = &content_type {
        match kind {
            BodyKind::Form | BodyKind::Multipart => {
                errors.push(
                    lit.span(),
                    "a form or multipart body sets its own `Content-Type`: remove `content_type`",
                );
                content_type = None;
            }
            _ => {
                if let Err(message) = media_type(&lit.value()) {
                    errors.push(lit.span(), message);
                    content_type = None;
                }
            }
        }
    }
    BodySpec { kind, content_type }
}

/// Checks a media type such as `text/csv` or `application/json; charset=utf-8`.
pub(crate) fn media_type(text: &str) -> Result<(), String> {
    let token = |part: &str| {
        !part.is_empty()
            && part
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$&^_.+-*".contains(&b))
    };
    let essence = text.split(';').next().unwrap_or_default().trim();
    let valid = essence
        .split_once('/')
        .is_some_and(|(kind, sub)| token(kind) && token(sub))
        && text.bytes().all(|b| (b' '..=b'~').contains(&b));
    if valid {
        Ok(())
    } else {
        Err(format!(
            "`{text}` is not a media type: write `type/subtype`, like `text/csv` or `application/pdf`"
        ))
    }
}

/// The runtime's path: `crate = "..."` as a path, or `::genesys_runtime`.
pub(crate) fn runtime_path(krate: Option<&LitStr>, errors: &mut Errors) -> TokenStream {
    match krate {
        None => quote::quote!(::genesys_runtime),
        Some(lit) => match lit.parse::<syn::Path>() {
            Ok(path) => quote::quote_spanned!(lit.span()=> #path),
            Err(_) if lit.value().contains('-') => {
                errors.push(
                    lit.span(),
                    format!(
                        "`{}` is a package name, and code names a crate with `_` for `-`: write `crate = \"{}\"`",
                        lit.value(),
                        lit.value().replace('-', "_")
                    ),
                );
                quote::quote!(::genesys_runtime)
            }
            Err(_) => {
                errors.push(
                    lit.span(),
                    format!(
                        "`{}` is not a path: name the runtime as your crate sees it, like `crate = \"genesys\"` for `genesys = {{ package = \"genesys-runtime\" }}`",
                        lit.value()
                    ),
                );
                quote::quote!(::genesys_runtime)
            }
        },
    }
}

/// The names of the argument attributes this macro reads (and removes).
pub(crate) const ARG_ATTRIBUTES: &[&str] = &["path", "query", "header", "body"];

/// Parses one argument attribute whose name is in [`ARG_ATTRIBUTES`].
pub(crate) fn parse_arg_attr(attr: &Attribute, errors: &mut Errors) -> Option<ArgRole> {
    let kind = attr.path().get_ident()?.to_string();
    if kind == "body" {
        return Some(ArgRole::Body(parse_body_attr(attr, errors)));
    }
    let mut name: Option<LitStr> = None;
    if !matches!(attr.meta, syn::Meta::Path(_)) {
        let result = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("name") {
                if let Some(value) = string_value(&meta, errors)? {
                    set_once(&mut name, value, &meta, errors);
                }
                Ok(())
            } else {
                unknown_key(&meta, &kind, &["name"], errors)
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
        _ => None,
    }
}

/// Stores `value` in `slot`, or reports the key as given twice (at this, its second use).
pub(crate) fn set_once<T>(
    slot: &mut Option<T>,
    value: T,
    meta: &ParseNestedMeta<'_>,
    errors: &mut Errors,
) {
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
pub(crate) fn string_value(
    meta: &ParseNestedMeta<'_>,
    errors: &mut Errors,
) -> syn::Result<Option<LitStr>> {
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
        _ if attribute == "endpoint" && key == "content_type" => {
            "`content_type` is the body's media type, so it goes on the body argument: `#[body(bytes, content_type = \"image/png\")]` (a GET, HEAD or DELETE has no body; the media type asked for is `accept = \"...\"`)".to_owned()
        }
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
                .copied()
                .filter(|k| is_close(&key, k))
                .min_by_key(|k| edit_distance(&key, k))
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
