//! What the method is: `async fn name(&self, ...)` (or a listing's plain `fn`), what it
//! returns, and the listing keys `paging` and `items`.

use syn::spanned::Spanned;
use syn::{FnArg, ReturnType, TraitItemFn, Type};

use super::{Decoded, Paging, is_unit, second_generic, single_generic};
use crate::attr::EndpointArgs;
use crate::errors::Errors;
use crate::method::HttpMethod;

/// Reads `paging = "..."` and `items = "..."`: the paging style and the item field.
pub(super) fn listing_keys(
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
    let paging = match Paging::from_name(&lit.value()) {
        Some(paging) => paging,
        None => {
            errors.push(
                lit.span(),
                format!(
                    "unknown paging `{}`; write `paging = \"page\"` (pageNumber and pageCount), `\"cursor\"` (a `cursor` in each page), `\"after\"` (an `after` cursor in `nextUri`), or one of the other styles: {}",
                    lit.value(),
                    Paging::names()
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
        None => paging.default_items().to_owned(),
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
pub(super) fn check_signature(func: &TraitItemFn, listing: bool, errors: &mut Errors) {
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
pub(super) fn return_type<'a>(
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
