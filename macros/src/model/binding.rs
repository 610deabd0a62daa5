//! Binding every argument to a part of the request, and placeholders to arguments.

use std::collections::HashSet;

use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::{FnArg, Ident, LitStr, Pat, TraitItemFn, Type};

use super::{Arg, Role, single_generic};
use crate::attr::{ARG_ATTRIBUTES, ArgRole, BodyKind, parse_arg_attr};
use crate::case::{to_lower_camel_case, to_snake_case};
use crate::errors::Errors;
use crate::method::HttpMethod;
use crate::path::Piece;

/// Gives every argument its role and checks placeholders against arguments.
pub(super) fn bind_args<'a>(
    func: &'a TraitItemFn,
    method: Option<HttpMethod>,
    pieces: Option<&[Piece]>,
    path_lit: Option<&LitStr>,
    errors: &mut Errors,
) -> Vec<Arg<'a>> {
    let placeholders: Vec<&str> = pieces
        .unwrap_or_default()
        .iter()
        .filter_map(|piece| match piece {
            Piece::Placeholder(name) => Some(name.as_str()),
            Piece::Literal(_) => None,
        })
        .collect();
    let mut bound: HashSet<String> = HashSet::new();
    // Query and header names already sent, to refuse the same one twice.
    let mut sent: HashSet<(bool, String)> = HashSet::new();
    let mut body_span: Option<Span> = None;
    let mut args = Vec::new();
    let mut unbound: Vec<&Ident> = Vec::new();
    // Once an argument is reported, unfilled placeholders are likely that argument's.
    let reported_before = errors.count();

    for input in &func.sig.inputs {
        let FnArg::Typed(typed) = input else { continue };
        let ident = match &*typed.pat {
            Pat::Ident(pat) if pat.by_ref.is_none() && pat.subpat.is_none() => &pat.ident,
            other => {
                errors.push(
                    other.span(),
                    "endpoint arguments must be plain names, such as `user_id: &str`",
                );
                continue;
            }
        };
        if let Type::ImplTrait(impl_trait) = &*typed.ty {
            errors.push(
                impl_trait.span(),
                "`impl Trait` arguments are not supported: use a concrete type, such as `&str`",
            );
            continue;
        }

        let mut role: Option<(ArgRole, Span)> = None;
        let mut has_role_attribute = false;
        for attr in &typed.attrs {
            if !ARG_ATTRIBUTES.iter().any(|name| attr.path().is_ident(name)) {
                continue;
            }
            has_role_attribute = true;
            let Some(parsed) = parse_arg_attr(attr, errors) else {
                continue;
            };
            if role.is_some() {
                errors.push(
                    attr.path().span(),
                    "an argument fills one part of the request: keep one of `#[path]`, `#[query]`, `#[header]`, `#[body]`",
                );
            } else {
                role = Some((parsed, attr.path().span()));
            }
        }

        let role = match role {
            Some((ArgRole::Path(name), span)) => {
                let (wire, wire_span) = match &name {
                    Some(lit) => (lit.value(), lit.span()),
                    None => (find_placeholder(&placeholders, ident), span),
                };
                if pieces.is_some() && !placeholders.contains(&wire.as_str()) {
                    errors.push(
                        wire_span,
                        format!(
                            "the path has no placeholder `{{{wire}}}`; {}",
                            list_placeholders(&placeholders)
                        ),
                    );
                    continue;
                }
                Role::Path(wire)
            }
            Some((ArgRole::Query(name), _)) => Role::Query(match name {
                Some(lit) => lit.value(),
                None => to_lower_camel_case(&ident.to_string()),
            }),
            Some((ArgRole::Header(name), _)) => match header_name(&name.value()) {
                Ok(lower) => Role::Header(lower),
                Err(message) => {
                    errors.push(name.span(), message);
                    continue;
                }
            },
            Some((ArgRole::Body(spec), span)) => {
                if body_span.is_some() {
                    errors.push(
                        span,
                        "a request has one body: keep `#[body]` on one argument (combine the values into one model)",
                    );
                    continue;
                }
                body_span = Some(span);
                if let Some(method) = method.filter(|m| !m.allows_body()) {
                    errors.push(
                        span,
                        format!(
                            "a {} request has no body: send this value with `#[query]` instead, or use POST, PUT or PATCH",
                            method.as_str()
                        ),
                    );
                    continue;
                }
                Role::Body {
                    optional: single_generic(&typed.ty, "Option").is_some(),
                    kind: spec.kind,
                    content_type: spec.content_type.map(|lit| lit.value()),
                }
            }
            None if has_role_attribute => continue,
            None => {
                let wire = find_placeholder(&placeholders, ident);
                if pieces.is_some() && !placeholders.contains(&wire.as_str()) {
                    // Said once every argument is bound: which placeholders are left.
                    unbound.push(ident);
                    continue;
                }
                Role::Path(wire)
            }
        };
        match &role {
            Role::Path(wire) => {
                if !bound.insert(wire.clone()) {
                    errors.push(
                        ident.span(),
                        format!("placeholder `{{{wire}}}` is already filled by another argument"),
                    );
                    continue;
                }
                if let Some(message) = not_one_value(&typed.ty) {
                    errors.push(
                        typed.ty.span(),
                        format!("{message} cannot fill `{{{wire}}}`: a path segment takes exactly one value, such as `&str`; an optional or repeated part of a path is a different endpoint: declare one for each form"),
                    );
                }
            }
            Role::Query(name) | Role::Header(name) => {
                let (header, what) = match &role {
                    Role::Header(_) => (true, "header"),
                    _ => (false, "query parameter"),
                };
                if !sent.insert((header, name.clone())) {
                    errors.push(
                        ident.span(),
                        format!("the {what} `{name}` is already sent by another argument: send it once (a list sends several values: `&[&str]`)"),
                    );
                }
            }
            Role::Body {
                kind: BodyKind::Form,
                ..
            } => {
                if is_text(&typed.ty) {
                    errors.push(
                        peel(&typed.ty).span(),
                        "a form body is a struct or map of fields, and a string is neither: declare a `#[derive(serde::Serialize)]` struct of the fields, or send text already encoded with `#[body(text, content_type = \"application/x-www-form-urlencoded\")]`",
                    );
                }
            }
            Role::Body { .. } => {}
        }
        args.push(Arg {
            ident,
            ty: &typed.ty,
            role,
        });
    }

    let unfilled: Vec<&str> = placeholders
        .iter()
        .copied()
        .filter(|p| !bound.contains(*p))
        .collect();
    for (index, ident) in unbound.iter().enumerate() {
        let message = match unfilled.get(index) {
            // The argument is most likely this placeholder's, named differently.
            Some(placeholder) => format!(
                "argument `{ident}` fills no placeholder: to fill `{{{placeholder}}}`, rename it `{}`, or write `#[path(name = \"{placeholder}\")] {ident}`; to send it another way, mark it `#[query]`, `#[header(name = \"...\")]` or `#[body]`",
                to_snake_case(placeholder)
            ),
            None => format!(
                "argument `{ident}` is bound to nothing: mark it `#[query]`, `#[header(name = \"...\")]` or `#[body]`, or name it after a path placeholder ({})",
                list_placeholders(&placeholders)
            ),
        };
        errors.push(ident.span(), message);
    }
    // A placeholder left unfilled because the argument named after it is sent another way.
    let mut unfilled = unfilled;
    unfilled.retain(|placeholder| {
        let name = to_snake_case(placeholder);
        let Some(arg) = args.iter().find(|arg| arg.ident == name.as_str()) else {
            return true;
        };
        let how = match &arg.role {
            Role::Query(_) => "`#[query]`",
            Role::Header(_) => "`#[header]`",
            Role::Body { .. } => "`#[body]`",
            Role::Path(_) => return true,
        };
        errors.push(
            arg.ident.span(),
            format!(
                "`{name}` is named after the placeholder `{{{placeholder}}}` but marked {how}, so the placeholder has no argument: remove {how} to fill it, or rename this argument and add one for `{{{placeholder}}}`"
            ),
        );
        false
    });
    let arguments_reported = errors.count() > reported_before + unbound.len();
    if let Some(lit) = path_lit.filter(|_| !arguments_reported) {
        let template = lit.value();
        for (index, placeholder) in unfilled.iter().enumerate() {
            let fix = match unbound.get(index) {
                Some(ident) => format!(
                    "rename `{ident}` to `{}`, or mark it `#[path(name = \"{placeholder}\")]`",
                    to_snake_case(placeholder)
                ),
                None => format!(
                    "add `{}: &str`, or mark an argument `#[path(name = \"{placeholder}\")]`",
                    to_snake_case(placeholder)
                ),
            };
            errors.push(
                placeholder_span(lit, &template, placeholder),
                format!("placeholder `{{{placeholder}}}` has no argument: {fix}"),
            );
        }
    }
    args
}

/// Why a path argument's type is certainly not one value: `Option<&str>` is "an `Option`",
/// `Vec<u8>`, `&[u8]` and `[u8; 4]` are "a list" (references looked through); `None` for
/// anything else (the type-level check has the last word).
fn not_one_value(ty: &Type) -> Option<&'static str> {
    match peel(ty) {
        Type::Slice(_) | Type::Array(_) => Some("a list"),
        ty if single_generic(ty, "Option").is_some() => Some("an `Option`"),
        ty if single_generic(ty, "Vec").is_some() => Some("a list"),
        _ => None,
    }
}

/// Whether a type is certainly a string: `&str`, `String`, `&String`, `Cow<str>`.
fn is_text(ty: &Type) -> bool {
    match peel(ty) {
        Type::Path(path) if path.qself.is_none() => {
            path.path
                .segments
                .last()
                .is_some_and(|last| last.ident == "str" || last.ident == "String")
                || single_generic(peel(ty), "Cow").is_some_and(is_text)
        }
        _ => false,
    }
}

/// The type behind any references and parentheses.
fn peel(ty: &Type) -> &Type {
    match ty {
        Type::Reference(reference) => peel(&reference.elem),
        Type::Paren(paren) => peel(&paren.elem),
        Type::Group(group) => peel(&group.elem),
        ty => ty,
    }
}

/// The span of `{placeholder}` inside the path literal where the compiler can point inside a
/// literal (nightly), else the whole literal.
fn placeholder_span(lit: &LitStr, template: &str, placeholder: &str) -> Span {
    let needle = format!("{{{placeholder}}}");
    template
        .find(&needle)
        // `+ 1`: the literal's opening quote (the template has no escapes: it was parsed).
        .and_then(|start| lit.token().subspan(start + 1..start + 1 + needle.len()))
        .unwrap_or_else(|| lit.span())
}

/// The placeholder whose snake_case form is the argument's name (or that name itself).
fn find_placeholder(placeholders: &[&str], ident: &Ident) -> String {
    let name = ident.to_string();
    let name = name.trim_start_matches("r#");
    placeholders
        .iter()
        .find(|p| to_snake_case(p) == name)
        .map_or_else(|| name.to_owned(), |p| (*p).to_owned())
}

fn list_placeholders(placeholders: &[&str]) -> String {
    if placeholders.is_empty() {
        "the path has no placeholders".to_owned()
    } else {
        let names: Vec<String> = placeholders.iter().map(|p| format!("`{{{p}}}`")).collect();
        format!("the path has {}", names.join(", "))
    }
}

/// Validates a header name and returns it in lower case, as HTTP/2 and `http` want it.
fn header_name(name: &str) -> Result<String, String> {
    let valid = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
    if !valid {
        return Err(format!(
            "`{name}` is not a valid header name: use letters, digits and `-`, like `X-Request-Id`"
        ));
    }
    let lower = name.to_ascii_lowercase();
    match lower.as_str() {
        "accept" => Err(format!(
            "the runtime sets `{name}` itself: declare the media type on the endpoint, `#[endpoint(..., accept = \"text/csv\")]`"
        )),
        "content-type" => Err(format!(
            "the runtime sets `{name}` from the body: declare it on the body, `#[body(bytes, content_type = \"image/png\")]` (or `#[body(form)]`, `#[body(text)]`, `#[body(multipart)]`)"
        )),
        "authorization" => Err(format!(
            "the runtime sets `{name}` itself from the client's credentials; choose another header"
        )),
        // Where the request goes and how it is framed: the runtime's alone.
        "host"
        | "content-length"
        | "transfer-encoding"
        | "connection"
        | "keep-alive"
        | "te"
        | "trailer"
        | "upgrade"
        | "proxy-authorization"
        | "proxy-connection" => Err(format!(
            "the runtime sets `{name}` itself (it says where the request goes or how it is framed); choose another header"
        )),
        _ => Ok(lower),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_names_are_lowercased_and_checked() {
        assert_eq!(header_name("X-Request-Id").unwrap(), "x-request-id");
        assert!(header_name("Bad Header").is_err());
        assert!(header_name("Authorization").is_err());
        for connection_level in [
            "Host",
            "Transfer-Encoding",
            "Connection",
            "TE",
            "Keep-Alive",
        ] {
            assert!(
                header_name(connection_level)
                    .unwrap_err()
                    .contains("where the request goes")
            );
        }
        assert!(header_name("Accept").unwrap_err().contains("accept = "));
        assert!(
            header_name("Content-Type")
                .unwrap_err()
                .contains("content_type = ")
        );
    }
}
