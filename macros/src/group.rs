//! `#[api]` on an API trait: hoists each `#[endpoint]` method's `Endpoint` description to a
//! module-level static, tells the method's attribute to use it (a hidden `__group` argument;
//! the attribute still writes the method and reports its mistakes), and adds the group's
//! route table, `pub static <TRAIT_NAME>: ApiGroup`, listing those same statics and printing
//! them in its docs.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::spanned::Spanned;
use syn::{Attribute, ItemTrait, TraitItem};

use std::collections::{HashMap, HashSet};

use crate::case::to_snake_case;
use crate::errors::Errors;
use crate::model::{Endpoint, Role, shape};
use syn::Ident;

/// Input: `#[api] pub trait TokensApi: Api { #[endpoint(...)] async fn ...; ... }`.
///
/// Output: the trait, each `#[endpoint(...)]` given `__group = TOKENS_API`, one
/// `static __GENESYS_TOKENS_API_<METHOD>: Endpoint` per method, and
///
/// ```text
/// /// The route table of [`TokensApi`]: ... (a markdown table of every endpoint)
/// pub static TOKENS_API: ApiGroup = ApiGroup::new("TokensApi", &[&__GENESYS_..., ...]);
/// ```
pub(crate) fn expand(args: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let krate = api_args(args, &mut errors);
    let rt = crate::attr::runtime_path(krate.as_ref(), &mut errors);
    let mut group: ItemTrait = match syn::parse2(item.clone()) {
        Ok(group) => group,
        Err(_) => {
            let span = syn::parse2::<syn::Item>(item.clone())
                .map(|item| item.span())
                .unwrap_or_else(|_| Span::call_site());
            let error = syn::Error::new(
                span,
                "`#[api]` goes on an API trait: `#[api] pub trait MyApi: genesys_runtime::Api { ... }`",
            )
            .to_compile_error();
            return quote!(#error #item);
        }
    };
    let table_name = to_snake_case(&group.ident.to_string()).to_uppercase();
    let table = format_ident!("{}", table_name);
    let mut statics = Vec::new();
    let mut entries = Vec::new();
    let mut rows = Vec::new();

    // `#[api]` twice would declare the route table twice.
    group.attrs.retain(|attr| {
        let again = attr
            .path()
            .segments
            .last()
            .is_some_and(|segment| segment.ident == "api");
        if again {
            errors.push(
                attr.span(),
                "`#[api]` is applied twice to this trait: remove this one",
            );
        }
        !again
    });
    // A second method of the same name is reported here and left out: the compiler's own
    // error would point at the generated code.
    let mut names: HashSet<String> = HashSet::new();
    group.items.retain(|item| {
        let TraitItem::Fn(func) = item else {
            return true;
        };
        let name = func.sig.ident.to_string();
        let first = names.insert(name.clone());
        if !first {
            errors.push(
                func.sig.ident.span(),
                format!(
                    "a method named `{name}` is already declared in this trait: each endpoint is one method with its own name; rename this one"
                ),
            );
        }
        first
    });
    let mut routes: HashMap<(String, String), Ident> = HashMap::new();

    for item in group.items.iter_mut() {
        let TraitItem::Fn(func) = item else { continue };
        let Some(position) = func.attrs.iter().position(is_endpoint) else {
            if func.default.is_none() {
                errors.push(
                    func.sig.ident.span(),
                    format!(
                        "`{}` has no `#[endpoint]`: every method of an `#[api]` trait without a body is an endpoint, so add `#[endpoint(method = \"...\", path = \"...\")]` (or give a helper method a body)",
                        func.sig.ident
                    ),
                );
                // A body, so that the blanket `impl` does not also fail for it.
                *func = syn::parse2(crate::expand::fallback(func)).unwrap_or_else(|_| func.clone());
            }
            continue;
        };
        let mut args = match &func.attrs[position].meta {
            syn::Meta::List(list) => list.tokens.clone(),
            _ => TokenStream::new(),
        };
        // Mistakes are reported by the method's own `#[endpoint]`, which still expands: here
        // they only keep the method out of the table.
        let mut ignored = Errors::default();
        let mut parsed = crate::attr::parse_endpoint_args(args.clone(), &mut ignored);
        if let (Some(krate), None) = (&krate, &parsed.krate) {
            // The group's `crate = "..."` holds for each method that does not say otherwise.
            args = quote!(#args, crate = #krate);
            parsed = crate::attr::parse_endpoint_args(args.clone(), &mut ignored);
        }
        // Built as the method's own attribute will be: inside this `#[api]`.
        parsed.group = Some(table.clone());
        if let Some(endpoint) = crate::model::build(func, &parsed, &mut ignored) {
            let route = (
                endpoint.method.as_str().to_owned(),
                endpoint.template.clone(),
            );
            if let Some(first) = routes.get(&route) {
                // Still told where the runtime is, without a place in the table.
                let attr = &mut func.attrs[position];
                let path_of = attr.path().clone();
                *attr = syn::parse_quote!(#[#path_of(#args)]);
                if let Some(path) = &parsed.path {
                    errors.push(
                        path.span(),
                        format!(
                            "`{} {}` is already declared by `{first}`: a route is one endpoint (the route table and `Stubs` find endpoints by method and path); remove one, or fix its method or path",
                            route.0, route.1
                        ),
                    );
                }
                continue;
            }
            routes.insert(route, func.sig.ident.clone());
            let name = hoisted_name(&table_name, &func.sig.ident);
            let description = crate::expand::endpoint_static(&endpoint);
            statics.push(quote! {
                #[doc(hidden)]
                static #name: #rt::__private::Endpoint = #description;
            });
            if endpoint.named {
                statics.push(crate::named::call_type(
                    func,
                    &endpoint,
                    &name,
                    &group.vis,
                    &group.ident,
                ));
            }
            entries.push(quote!(&#name));
            rows.push(row(&endpoint));
            // Tell the method's `#[endpoint]` to use that static.
            let attr = &mut func.attrs[position];
            let path = attr.path().clone();
            *attr = syn::parse_quote!(#[#path(#args, __group = #table)]);
        } else {
            // It reports its own mistakes, as a method of this `#[api]` trait.
            let attr = &mut func.attrs[position];
            let path = attr.path().clone();
            *attr = syn::parse_quote!(#[#path(#args, __group = #table)]);
        }
    }

    let trait_name = group.ident.to_string();
    let vis = &group.vis;
    let mut doc = format!(
        " The route table of [`{trait_name}`]: every endpoint it declares, as `'static` data.\n\n\
         | operation | method | path | parameters | returns | policy |\n|---|---|---|---|---|---|\n"
    );
    for row in &rows {
        doc.push_str(row);
        doc.push('\n');
    }
    let compile_errors = errors.into_error().map(|e| e.to_compile_error());
    quote! {
        #compile_errors
        #group
        #(#statics)*
        #[doc = #doc]
        #vis static #table: #rt::__private::ApiGroup =
            #rt::__private::ApiGroup::new(#trait_name, &[#(#entries),*]);
    }
}

/// Reads `#[api]`'s arguments: nothing, or `crate = "..."`.
fn api_args(args: TokenStream, errors: &mut Errors) -> Option<syn::LitStr> {
    let mut krate = None;
    if args.is_empty() {
        return krate;
    }
    let parser = syn::meta::parser(|meta| {
        if meta.path.is_ident("crate") {
            if let Some(value) = crate::attr::string_value(&meta, errors)? {
                crate::attr::set_once(&mut krate, value, &meta, errors);
            }
            Ok(())
        } else {
            Err(meta.error(
                "`#[api]` takes no arguments besides `crate = \"...\"` (the runtime's path, for a renamed dependency): write `#[api]`",
            ))
        }
    });
    if let Err(error) = syn::parse::Parser::parse2(parser, args) {
        errors.push_error(error);
    }
    krate
}

/// The module-level static of a method's description: `__GENESYS_TOKENS_API_GET_TOKENS_ME`.
pub(crate) fn hoisted_name(table: &str, method: &Ident) -> Ident {
    format_ident!("__GENESYS_{}_{}", table, method.to_string().to_uppercase())
}

/// `#[endpoint(...)]` or `#[genesys_runtime::endpoint(...)]`.
fn is_endpoint(attr: &Attribute) -> bool {
    attr.path()
        .segments
        .last()
        .is_some_and(|segment| segment.ident == "endpoint")
}

/// One markdown row: `| get_user | GET | /api/v2/users/{userId} | userId (path) | User | |`.
fn row(endpoint: &Endpoint<'_>) -> String {
    let params: Vec<String> = endpoint
        .args
        .iter()
        .map(|arg| {
            let (name, kind) = match &arg.role {
                Role::Path(name) => (name.as_str(), "path"),
                Role::Query(name) => (name.as_str(), "query"),
                Role::Header(name) => (name.as_str(), "header"),
                Role::Body { .. } => ("body", "body"),
            };
            let (optional, list) = shape(arg.ty);
            let mut text = format!("`{name}` ({kind}");
            if list {
                text.push_str(", list");
            }
            if optional {
                text.push_str(", optional");
            }
            text.push(')');
            text
        })
        .collect();
    let returns = format!("`{}`", crate::expand::returns_text(endpoint));
    let mut policy = Vec::new();
    if let Some(ms) = endpoint.policy.timeout_ms {
        policy.push(format!("timeout {ms} ms"));
    }
    if let Some(rule) = endpoint.policy.retry {
        policy.push(format!("retry {rule:?}").to_lowercase());
    }
    if let Some(accept) = &endpoint.accept {
        policy.push(format!("accept `{accept}`"));
    }
    if let crate::model::Decoded::Listing { paging, field, .. } = &endpoint.decoded {
        policy.push(format!("paging {} (items in `{field}`)", paging.name()));
    }
    format!(
        "| `{}` | {} | `{}` | {} | {} | {} |",
        endpoint.operation,
        endpoint.method.as_str(),
        endpoint.template,
        params.join(", "),
        returns,
        policy.join(", ")
    )
}
