#![doc = include_str!("../README.md")]
//! ## How it is built
//!
//! The macro works in stages, one per file: `attr` parses the attributes, `path` and
//! `method` parse the literals, `model` binds arguments and validates the declaration,
//! `expand` writes tokens. `errors` collects every mistake so all are reported at once.

mod attr;
mod case;
mod errors;
mod expand;
mod group;
mod method;
mod model;
mod named;
mod path;
mod policy;

use proc_macro::TokenStream;

/// (Implemented in the `genesys-macros` crate; use it as `genesys_runtime::endpoint`.)
#[proc_macro_attribute]
pub fn endpoint(args: TokenStream, item: TokenStream) -> TokenStream {
    endpoint::expand(args.into(), item.into()).into()
}

/// (Implemented in the `genesys-macros` crate; use it as `genesys_runtime::api`.)
#[proc_macro_attribute]
pub fn api(args: TokenStream, item: TokenStream) -> TokenStream {
    group::expand(args.into(), item.into()).into()
}

mod endpoint {
    use proc_macro2::TokenStream;
    use quote::quote;
    use syn::spanned::Spanned;

    use crate::errors::Errors;

    /// Parses, validates and expands one `#[endpoint]`; on mistakes, emits them all next to
    /// the user's method.
    pub(crate) fn expand(args: TokenStream, item: TokenStream) -> TokenStream {
        let func = match syn::parse2::<syn::TraitItemFn>(item.clone()) {
            Ok(func) => func,
            Err(_) => return not_a_trait_method(item),
        };
        // A function with a body and no `self` is a free function (a trait or impl method
        // with a body would have a receiver): the mistake is where it is, not its body.
        let has_receiver = matches!(func.sig.inputs.first(), Some(syn::FnArg::Receiver(_)));
        if func.default.is_some() && !has_receiver {
            return not_a_trait_method(item);
        }
        let mut errors = Errors::default();
        let attr = crate::attr::parse_endpoint_args(args, &mut errors);
        match crate::model::build(&func, &attr, &mut errors) {
            Some(endpoint) if errors.is_empty() => {
                let hoisted = attr
                    .group
                    .as_ref()
                    .map(|group| crate::group::hoisted_name(&group.to_string(), &func.sig.ident));
                crate::expand::expand(&func, &endpoint, hoisted.as_ref())
            }
            _ => {
                let compile_errors = errors
                    .into_error()
                    .map(|e| e.to_compile_error())
                    .unwrap_or_default();
                let fallback = crate::expand::fallback(&func);
                quote!(#compile_errors #fallback)
            }
        }
    }

    /// The error for `#[endpoint]` on a free function, an impl method, a struct, …
    fn not_a_trait_method(item: TokenStream) -> TokenStream {
        let span = match syn::parse2::<syn::Item>(item.clone()) {
            Ok(syn::Item::Fn(func)) => func.sig.ident.span(),
            Ok(other) => other.span(),
            Err(_) => proc_macro2::Span::call_site(),
        };
        let error = syn::Error::new(
            span,
            "`#[endpoint]` goes on a method declaration inside an API trait: `trait MyApi: genesys_runtime::Api { #[endpoint(...)] async fn name(&self) -> Result<T>; }`",
        )
        .to_compile_error();
        quote!(#error #item)
    }
}
