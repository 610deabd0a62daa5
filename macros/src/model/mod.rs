//! A typed model of one endpoint, borrowing the user's syntax tree, and the checks that make
//! a declaration valid: [`signature`] (receiver, `async`, return type, listing keys) and
//! [`binding`] (every argument to a placeholder, a query parameter, a header or the body).

mod binding;
mod signature;

use proc_macro2::TokenStream;
use syn::spanned::Spanned;
use syn::{GenericArgument, Ident, LitStr, PathArguments, ReturnType, TraitItemFn, Type};

use crate::attr::{BodyKind, EndpointArgs, media_type, runtime_path};
use crate::errors::Errors;
use crate::method::HttpMethod;
use crate::path::{Piece, parse_template};
use crate::policy::{self, Policy};
use binding::bind_args;
use signature::{check_signature, listing_keys, return_type};

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
    /// `named`: the optional arguments are set on a call type (see `crate::named`).
    pub(crate) named: bool,
}

/// How a listing pages, from `paging = "..."`: the runtime's `Paging` styles.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
// `BodyPaging` is `paging = "body-paging"`, named as the runtime's variant.
#[allow(clippy::enum_variant_names)]
pub(crate) enum Paging {
    /// `pageNumber` from 1 in the query, until `pageCount` (or an empty page).
    Page,
    /// `cursor` from the last page's `cursor` (or its `nextUri`).
    Cursor,
    /// `after` from the last page's `nextUri` (or a `cursors.after`).
    After,
    /// `startIndex` and `count` in the query (SCIM).
    Scim,
    /// `pageNumber` and `pageSize` at the top of the JSON body.
    BodyPage,
    /// `pageNumber` and `pageSize` in the JSON body's `paging` object.
    BodyPaging,
    /// `cursor` at the top of the JSON body.
    BodyCursor,
    /// `after` at the top of the JSON body.
    BodyAfter,
    /// The answer's `nextUri`.
    NextUri,
    /// The answer's `nextPage`.
    NextPage,
}

impl Paging {
    /// `(declared name, runtime variant, query parameters the runtime sets, default items)`.
    const STYLES: [(
        &'static str,
        Paging,
        &'static str,
        &'static [&'static str],
        &'static str,
    ); 10] = [
        (
            "page",
            Paging::Page,
            "Page",
            &["pageNumber", "pageSize"],
            "entities",
        ),
        (
            "cursor",
            Paging::Cursor,
            "Cursor",
            &["cursor", "pageSize"],
            "entities",
        ),
        (
            "after",
            Paging::After,
            "After",
            &["after", "pageSize"],
            "entities",
        ),
        (
            "scim",
            Paging::Scim,
            "Scim",
            &["startIndex", "count"],
            "Resources",
        ),
        ("body-page", Paging::BodyPage, "BodyPage", &[], "entities"),
        (
            "body-paging",
            Paging::BodyPaging,
            "BodyPaging",
            &[],
            "entities",
        ),
        (
            "body-cursor",
            Paging::BodyCursor,
            "BodyCursor",
            &[],
            "entities",
        ),
        (
            "body-after",
            Paging::BodyAfter,
            "BodyAfter",
            &[],
            "entities",
        ),
        (
            "next-uri",
            Paging::NextUri,
            "NextUri",
            &["pageSize"],
            "entities",
        ),
        (
            "next-page",
            Paging::NextPage,
            "NextPage",
            &["pageSize"],
            "results",
        ),
    ];

    fn entry(
        self,
    ) -> &'static (
        &'static str,
        Paging,
        &'static str,
        &'static [&'static str],
        &'static str,
    ) {
        Self::STYLES
            .iter()
            .find(|style| style.1 == self)
            .expect("every style is in the table")
    }

    /// The style declared as `name`.
    pub(crate) fn from_name(name: &str) -> Option<Paging> {
        Self::STYLES
            .iter()
            .find(|style| style.0 == name)
            .map(|style| style.1)
    }

    /// The declared names, for an error message.
    pub(crate) fn names() -> String {
        Self::STYLES
            .iter()
            .map(|style| format!("`{}`", style.0))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The query parameters the runtime sets itself on every page.
    fn owned_params(self) -> &'static [&'static str] {
        self.entry().3
    }

    /// The item field when `items` is not given.
    pub(crate) fn default_items(self) -> &'static str {
        self.entry().4
    }

    /// Whether the paging fields go in the JSON body.
    pub(crate) fn in_body(self) -> bool {
        matches!(
            self,
            Paging::BodyPage | Paging::BodyPaging | Paging::BodyCursor | Paging::BodyAfter
        )
    }

    /// The runtime's name for it.
    pub(crate) fn variant(self) -> &'static str {
        self.entry().2
    }

    /// The declared name.
    pub(crate) fn name(self) -> &'static str {
        self.entry().0
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
    if let (Some((paging, _)), Some(lit)) = (&paging, &attr.paging) {
        let json_body = args.iter().any(|arg| {
            matches!(
                arg.role,
                Role::Body {
                    kind: crate::attr::BodyKind::Json,
                    ..
                }
            )
        });
        if paging.in_body() && !json_body {
            errors.push(
                lit.span(),
                format!(
                    "a `paging = \"{}\"` listing sets its paging fields in the JSON body: declare the body argument, `#[body] body: &YourQuery`",
                    paging.name()
                ),
            );
        }
    }
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

    if let (Some(lit), Some((_, decoded))) = (&attr.accept, &returned) {
        check_accept(lit, decoded, errors);
    }

    if let Some(span) = attr.named {
        crate::named::check(func, span, attr.group.is_some(), errors);
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
        named: attr.named.is_some(),
    })
}

/// A media type that is not JSON cannot be decoded into a model: with `accept = "text/csv"`
/// the answer is read raw (`PlainText`, `RawBytes`, `ByteStream`, `()`, or one of those in
/// `Response<...>`), and a listing's pages are JSON.
fn check_accept(lit: &LitStr, decoded: &Decoded<'_>, errors: &mut Errors) {
    let accept = lit.value().to_ascii_lowercase();
    let essence = accept.split(';').next().unwrap_or_default().trim();
    if essence == "application/json" || essence.ends_with("+json") || essence == "*/*" {
        return;
    }
    let raw = |ty: &Type| {
        let ty = single_generic(ty, "Response").unwrap_or(ty);
        matches!(ty, Type::Tuple(tuple) if tuple.elems.is_empty())
            || matches!(ty, Type::Path(path) if path.path.segments.last().is_some_and(|last| {
                ["PlainText", "RawBytes", "ByteStream"].iter().any(|raw| last.ident == raw)
            }))
    };
    let (span, what) = match decoded {
        Decoded::Unit => return,
        Decoded::Type(ty) if raw(ty) => return,
        Decoded::Type(ty) => (ty.span(), format!("`{}`", quote::quote!(#ty))),
        Decoded::Listing { item, .. } => (item.span(), "a listing's items".to_owned()),
    };
    errors.push(
        span,
        format!(
            "`accept = \"{}\"` asks for an answer that is not JSON, so it cannot be decoded as {what}: return `PlainText` (text), `RawBytes` or `ByteStream` (a download), or drop `accept` to get JSON",
            lit.value()
        ),
    );
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
pub(crate) fn second_generic(ty: &Type) -> Option<&Type> {
    let Type::Path(path) = ty else { return None };
    let PathArguments::AngleBracketed(args) = &path.path.segments.last()?.arguments else {
        return None;
    };
    match args.args.iter().nth(1)? {
        GenericArgument::Type(inner) => Some(inner),
        _ => None,
    }
}

pub(crate) fn is_unit(ty: &Type) -> bool {
    matches!(ty, Type::Tuple(tuple) if tuple.elems.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::parse_quote;

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
