//! A typed model of one endpoint, borrowing the user's syntax tree, and the checks that make
//! a declaration valid: receiver, `async`, return type, and the binding of every argument to
//! a placeholder, a query parameter, a header or the body.

use std::collections::HashSet;

use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::{
    FnArg, GenericArgument, Ident, LitStr, Pat, PathArguments, ReturnType, TraitItemFn, Type,
};

use proc_macro2::TokenStream;

use crate::attr::{
    ARG_ATTRIBUTES, ArgRole, BodyKind, EndpointArgs, media_type, parse_arg_attr, runtime_path,
};
use crate::case::{to_lower_camel_case, to_snake_case};
use crate::errors::Errors;
use crate::method::HttpMethod;
use crate::path::{Piece, parse_template};
use crate::policy::{self, Policy};

/// One declared endpoint, valid and ready to expand.
pub(crate) struct Endpoint<'a> {
    /// The method's name: the operation.
    pub(crate) operation: &'a Ident,
    pub(crate) method: HttpMethod,
    pub(crate) template: String,
    pub(crate) pieces: Vec<Piece>,
    pub(crate) args: Vec<Arg<'a>>,
    /// The declared return type as written, such as `Result<TokenInfo>`.
    pub(crate) output: &'a Type,
    /// What a 2xx response becomes.
    pub(crate) decoded: Decoded<'a>,
    /// The declared timeout and retry rule.
    pub(crate) policy: Policy,
    /// `accept = "..."`: the media type asked for, instead of JSON.
    pub(crate) accept: Option<String>,
    /// Where the runtime is: `::genesys_runtime`, or what `crate = "..."` names.
    pub(crate) runtime: TokenStream,
    /// Whether the method is surely in a trait (under `#[api]`), so the placement probe can
    /// be left out.
    pub(crate) in_api_trait: bool,
}

/// How a listing pages, from `paging = "..."`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Paging {
    /// `pageNumber` from 1, until `pageCount` (or an empty page).
    Page,
    /// `cursor` from the last page's `cursor` (or its `nextUri`).
    Cursor,
    /// `after` from the last page's `nextUri` (or a `cursors.after`).
    After,
}

impl Paging {
    /// The query parameters the runtime sets itself on every page.
    fn owned_params(self) -> &'static [&'static str] {
        match self {
            Paging::Page => &["pageNumber", "pageSize"],
            Paging::Cursor => &["cursor", "pageSize"],
            Paging::After => &["after", "pageSize"],
        }
    }

    /// The runtime's name for it.
    pub(crate) fn variant(self) -> &'static str {
        match self {
            Paging::Page => "Page",
            Paging::Cursor => "Cursor",
            Paging::After => "After",
        }
    }
}

/// One argument of the method, bound to a part of the request.
pub(crate) struct Arg<'a> {
    pub(crate) ident: &'a Ident,
    pub(crate) ty: &'a Type,
    pub(crate) role: Role,
}

/// The part of the request an argument fills.
pub(crate) enum Role {
    /// Fills the `{placeholder}` of this name.
    Path(String),
    /// A query parameter with this wire name.
    Query(String),
    /// A header with this (lower-case) name.
    Header(String),
    /// The body; `optional` when the type is an `Option`.
    Body {
        optional: bool,
        kind: BodyKind,
        content_type: Option<String>,
    },
}

/// What the method returns inside `Result<...>`.
pub(crate) enum Decoded<'a> {
    /// `()`: the body is ignored.
    Unit,
    /// Any other type, decoded through `FromResponse`.
    Type(&'a Type),
    /// `Listing<T>` of a `paging = "..."` endpoint: a stream of `T` over pages.
    Listing {
        item: &'a Type,
        paging: Paging,
        /// The envelope's item field: `entities` unless `items = "..."` says otherwise.
        field: String,
    },
}

/// Builds the model, recording every independent mistake in `errors`.
pub(crate) fn build<'a>(
    func: &'a TraitItemFn,
    attr: &EndpointArgs,
    errors: &mut Errors,
) -> Option<Endpoint<'a>> {
    let method = attr.method.as_ref().and_then(|lit| {
        HttpMethod::parse(&lit.value())
            .map_err(|message| errors.push(lit.span(), message))
            .ok()
    });
    let pieces = attr.path.as_ref().and_then(|lit| {
        parse_template(&lit.value())
            .map_err(|message| errors.push(lit.span(), message))
            .ok()
    });

    let policy = policy::parse(attr.timeout.as_ref(), attr.retry.as_ref(), method, errors);
    let runtime = runtime_path(attr.krate.as_ref(), errors);
    let accept = attr.accept.as_ref().and_then(|lit| {
        media_type(&lit.value())
            .map_err(|message| errors.push(lit.span(), message))
            .ok()
            .map(|()| lit.value())
    });
    let paging = listing_keys(attr, method, errors);
    let returns_listing = matches!(&func.sig.output, ReturnType::Type(_, ty) if single_generic(ty, "Listing").is_some());
    // A listing is a plain `fn`; with a `paging` key that is wrong, its error is enough.
    let listing = paging.is_some() || returns_listing;
    check_signature(func, listing, errors);
    let returned = return_type(func, method, paging.clone(), attr.paging.is_some(), errors);
    let args = bind_args(func, method, pieces.as_deref(), attr.path.as_ref(), errors);
    if let Some((paging, _)) = &paging {
        for arg in &args {
            if let Role::Query(name) = &arg.role {
                if paging.owned_params().contains(&name.as_str()) {
                    errors.push(
                        arg.ident.span(),
                        format!(
                            "the listing sets `{name}` itself on every page: remove this argument{}",
                            if name == "pageSize" {
                                "; choose the page size with `.page_size(n)` on the listing"
                            } else {
                                ""
                            }
                        ),
                    );
                }
            }
        }
    }

    let (method, pieces, (output, decoded)) = (method?, pieces?, returned?);
    let template = attr.path.as_ref()?.value();
    errors.is_empty().then_some(Endpoint {
        operation: &func.sig.ident,
        method,
        template,
        pieces,
        args,
        output,
        decoded,
        policy,
        accept,
        runtime,
        in_api_trait: attr.group.is_some(),
    })
}

/// Reads `paging = "..."` and `items = "..."`: the paging style and the item field.
fn listing_keys(
    attr: &EndpointArgs,
    method: Option<HttpMethod>,
    errors: &mut Errors,
) -> Option<(Paging, String)> {
    let Some(lit) = &attr.paging else {
        if let Some(items) = &attr.items {
            errors.push(
                items.span(),
                "`items` names the item field of a listing: add `paging = \"page\"`, `\"cursor\"` or `\"after\"` too",
            );
        }
        return None;
    };
    let paging = match lit.value().as_str() {
        "page" => Paging::Page,
        "cursor" => Paging::Cursor,
        "after" => Paging::After,
        other => {
            errors.push(
                lit.span(),
                format!(
                    "unknown paging `{other}`; write `paging = \"page\"` (pageNumber and pageCount), `\"cursor\"` (a `cursor` in each page) or `\"after\"` (an `after` cursor in `nextUri`)"
                ),
            );
            return None;
        }
    };
    if let Some(method) = method.filter(|m| !matches!(m, HttpMethod::Get | HttpMethod::Post)) {
        errors.push(
            lit.span(),
            format!(
                "a listing is read with GET (or a POST search); a {} request does not page",
                method.as_str()
            ),
        );
    }
    let field = match &attr.items {
        None => "entities".to_owned(),
        Some(items) => {
            let value = items.value();
            let valid =
                !value.is_empty() && value.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            if !valid {
                errors.push(
                    items.span(),
                    "`items` is the name of the page's item field, like `items = \"conversations\"`",
                );
            }
            value
        }
    };
    Some((paging, field))
}

/// `async fn name(&self, ...)` (a plain `fn` for a listing) with no body, no generics and
/// nothing exotic.
fn check_signature(func: &TraitItemFn, listing: bool, errors: &mut Errors) {
    let sig = &func.sig;
    if let Some(block) = &func.default {
        errors.push(
            block.span(),
            "an endpoint method has no body, `#[endpoint]` writes it: end the declaration with `;` (and declare it in an API trait, not an impl)",
        );
    }
    match (&sig.asyncness, listing) {
        (None, false) => errors.push(
            sig.fn_token.span,
            "an endpoint method must be declared `async fn`",
        ),
        (Some(token), true) => errors.push(
            token.span,
            "a listing is a stream that sends nothing until it is read: declare it `fn`, not `async fn`",
        ),
        _ => {}
    }
    if let Some(token) = &sig.constness {
        errors.push(token.span, "an endpoint method cannot be `const`");
    }
    if let syn::Safety::Unsafe(token) = &sig.safety {
        errors.push(token.span, "an endpoint method cannot be `unsafe`");
    }
    if let Some(abi) = &sig.abi {
        errors.push(abi.span(), "an endpoint method cannot declare an ABI");
    }
    if let Some(variadic) = &sig.variadic {
        errors.push(variadic.span(), "an endpoint method cannot be variadic");
    }
    if !sig.generics.params.is_empty() || sig.generics.where_clause.is_some() {
        errors.push(
            sig.generics.span(),
            "endpoint methods cannot be generic: give each argument a concrete type, such as `&str` or `Option<i32>`",
        );
    }
    match sig.inputs.first() {
        Some(FnArg::Receiver(receiver)) => match &receiver.kind {
            syn::ReceiverKind::Reference(_, _, None) => {}
            syn::ReceiverKind::Reference(_, _, Some(mutability)) => errors.push(
                mutability.span,
                "take `&self`, not `&mut self`: calls share the client",
            ),
            syn::ReceiverKind::Value => errors.push(
                receiver.self_token.span,
                "take `&self`: endpoint methods borrow the client, they do not consume it",
            ),
            _ => errors.push(receiver.span(), "write the receiver as plain `&self`"),
        },
        _ => errors.push(
            sig.paren_token.span.open(),
            "an endpoint method needs a `&self` receiver: write `(&self, ...)`",
        ),
    }
}

/// Checks `-> Result<T>` and tells what `T` is.
fn return_type<'a>(
    func: &'a TraitItemFn,
    method: Option<HttpMethod>,
    paging: Option<(Paging, String)>,
    paging_declared: bool,
    errors: &mut Errors,
) -> Option<(&'a Type, Decoded<'a>)> {
    if let Some((paging, field)) = paging {
        let listing = match &func.sig.output {
            ReturnType::Type(_, output) => {
                single_generic(output, "Listing").map(|item| (output, item))
            }
            ReturnType::Default => None,
        };
        return match listing {
            Some((output, item)) => Some((
                &**output,
                Decoded::Listing {
                    item,
                    paging,
                    field,
                },
            )),
            None => {
                let span = match &func.sig.output {
                    ReturnType::Type(_, output) => output.span(),
                    ReturnType::Default => func.sig.ident.span(),
                };
                errors.push(
                    span,
                    "a `paging` endpoint returns `Listing<Item>` (`genesys_runtime::Listing`), a stream of the page's items: write `-> Listing<YourItem>`",
                );
                None
            }
        };
    }
    let ReturnType::Type(_, output) = &func.sig.output else {
        errors.push(
            func.sig.ident.span(),
            "an endpoint method returns `genesys_runtime::Result<T>`: add `-> Result<()>` or `-> Result<YourModel>`",
        );
        return None;
    };
    if let Some(item) = single_generic(output, "Listing") {
        if paging_declared {
            // The `paging` value is wrong, and reported already.
            return None;
        }
        errors.push(
            output.span(),
            format!(
                "a listing says how it pages: add `paging = \"page\"`, `\"cursor\"` or `\"after\"` to `#[endpoint]`, and declare it `fn` (it returns a stream of `{}`)",
                quote::quote!(#item).to_string().replace(' ', "")
            ),
        );
        return None;
    }
    let Some(inner) = single_generic(output, "Result") else {
        errors.push(
            output.span(),
            "an endpoint method returns `genesys_runtime::Result<T>`, such as `Result<()>` or `Result<YourModel>`",
        );
        return None;
    };
    if let Some(error) = second_generic(output) {
        let ours = matches!(error, Type::Path(path) if path.path.segments.last().is_some_and(|s| s.ident == "Error"));
        if !ours {
            errors.push(
                error.span(),
                "endpoint calls fail with `genesys_runtime::Error`: write `Result<T>` (`genesys_runtime::Result`), and convert the error where you call the method (`?` with a `From<genesys_runtime::Error>` impl)",
            );
            return None;
        }
    }
    let decoded = if is_unit(inner) {
        Decoded::Unit
    } else {
        Decoded::Type(inner)
    };
    if method == Some(HttpMethod::Head) {
        let unit_response = single_generic(inner, "Response").is_some_and(is_unit);
        if !matches!(decoded, Decoded::Unit) && !unit_response {
            errors.push(
                inner.span(),
                "a HEAD response has no body: return `Result<()>`, or `Result<Response<()>>` for status and headers",
            );
            return None;
        }
    }
    Some((output, decoded))
}

/// Gives every argument its role and checks placeholders against arguments.
fn bind_args<'a>(
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
        if let Role::Path(wire) = &role {
            if !bound.insert(wire.clone()) {
                errors.push(
                    ident.span(),
                    format!("placeholder `{{{wire}}}` is already filled by another argument"),
                );
                continue;
            }
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
    if matches!(
        lower.as_str(),
        "authorization" | "content-type" | "content-length" | "host" | "accept"
    ) {
        return Err(format!(
            "the runtime sets `{name}` itself; choose another header"
        ));
    }
    Ok(lower)
}

/// `Name<T>` (by its last path segment) → `T`.
/// Whether an argument of this type may be left out, and whether it is a list: `Option<T>`
/// is optional; `&[T]`, `[T; N]` and `Vec<T>` (behind references or an `Option`) are lists,
/// which may be empty, so optional too.
pub(crate) fn shape(ty: &Type) -> (bool, bool) {
    let mut ty = ty;
    let mut optional = false;
    loop {
        match ty {
            Type::Reference(reference) => ty = &reference.elem,
            Type::Paren(paren) => ty = &paren.elem,
            Type::Group(group) => ty = &group.elem,
            Type::Slice(_) | Type::Array(_) => return (true, true),
            _ => {
                if let Some(inner) = single_generic(ty, "Option") {
                    optional = true;
                    ty = inner;
                } else if single_generic(ty, "Vec").is_some() {
                    return (true, true);
                } else {
                    return (optional, false);
                }
            }
        }
    }
}

pub(crate) fn single_generic<'a>(ty: &'a Type, name: &str) -> Option<&'a Type> {
    let Type::Path(path) = ty else { return None };
    if path.qself.is_some() {
        return None;
    }
    let last = path.path.segments.last()?;
    if last.ident != name {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.first()? {
        GenericArgument::Type(inner) => Some(inner),
        _ => None,
    }
}

/// The second generic argument of the last segment: `E` in `Result<T, E>`.
fn second_generic(ty: &Type) -> Option<&Type> {
    let Type::Path(path) = ty else { return None };
    let PathArguments::AngleBracketed(args) = &path.path.segments.last()?.arguments else {
        return None;
    };
    match args.args.iter().nth(1)? {
        GenericArgument::Type(inner) => Some(inner),
        _ => None,
    }
}

fn is_unit(ty: &Type) -> bool {
    matches!(ty, Type::Tuple(tuple) if tuple.elems.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::parse_quote;

    #[test]
    fn header_names_are_lowercased_and_checked() {
        assert_eq!(header_name("X-Request-Id").unwrap(), "x-request-id");
        assert!(header_name("Bad Header").is_err());
        assert!(header_name("Authorization").is_err());
    }

    #[test]
    fn shapes_of_argument_types() {
        let shape_of = |ty: Type| shape(&ty);
        assert_eq!(shape_of(parse_quote!(&str)), (false, false));
        assert_eq!(shape_of(parse_quote!(Option<bool>)), (true, false));
        assert_eq!(shape_of(parse_quote!(&[&str])), (true, true));
        assert_eq!(shape_of(parse_quote!(Vec<String>)), (true, true));
        assert_eq!(shape_of(parse_quote!(Option<&[i32]>)), (true, true));
        assert_eq!(shape_of(parse_quote!([u8; 3])), (true, true));
    }

    #[test]
    fn single_generic_reads_the_last_segment() {
        let ty: Type = parse_quote!(genesys_runtime::Result<Vec<u8>>);
        assert!(single_generic(&ty, "Result").is_some());
        let ty: Type = parse_quote!(Option<&Body>);
        assert!(single_generic(&ty, "Option").is_some());
        assert!(single_generic(&ty, "Result").is_none());
    }
}
