//! Code generation: tokens only, from a valid [`Endpoint`].
//!
//! Every generated path is absolute (`::genesys_runtime::…`), generated locals use
//! `Span::mixed_site()` so they cannot collide with user names, and the user's types keep
//! their spans so that type errors land on them.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{FnArg, Ident, TraitItemFn};

use crate::attr::ARG_ATTRIBUTES;
use crate::model::{Decoded, Endpoint, Role, single_generic};
use crate::path::Piece;

/// Input: the user's declaration and its model, such as
///
/// ```text
/// /// Delete all auth tokens for the specified user.
/// async fn delete_token(&self, user_id: &str) -> Result<()>;
/// ```
///
/// Output: a provided method that builds the request and makes one runtime call:
///
/// ```text
/// /// Delete all auth tokens for the specified user.
/// ///
/// /// `DELETE /api/v2/tokens/{userId}`
/// fn delete_token(&self, user_id: &str)
///     -> impl Future<Output = Result<()>> + Send {
///     let mut request = RequestBuilder::new(Api::client(self), Method::DELETE, "/api/v2/tokens/{userId}");
///     request.path("/api/v2/tokens/");
///     request.segment::<&str>("userId", user_id);
///     request.send_unit()
/// }
/// ```
pub(crate) fn expand(func: &TraitItemFn, endpoint: &Endpoint<'_>) -> TokenStream {
    let rt = quote!(::genesys_runtime);
    let private = quote!(#rt::__private);
    let request = Ident::new("request", Span::mixed_site());
    let method = Ident::new(endpoint.method.as_str(), Span::call_site());
    let template = &endpoint.template;

    let attrs = &func.attrs;
    let has_docs = attrs.iter().any(|a| a.path().is_ident("doc"));
    let route_doc = format!(" `{} {}`", endpoint.method.as_str(), template);
    let separator = has_docs.then(|| quote!(#[doc = ""]));

    let ident = &func.sig.ident;
    let inputs = func.sig.inputs.iter().map(strip_arg_attributes);
    let output = endpoint.output;
    let self_token = match func.sig.inputs.first() {
        Some(FnArg::Receiver(receiver)) => receiver.self_token,
        _ => syn::token::SelfValue::default(),
    };

    let steps = build_steps(endpoint, &request);
    // Spanned on the declared return type, so that an undecodable type is reported there.
    let returns = quote_spanned!(output.span()=>
        impl #private::Future<Output = #output> + #private::Send
    );
    let send = match endpoint.decoded {
        Decoded::Unit => quote!(#request.send_unit()),
        Decoded::Type(ty) => quote_spanned!(ty.span()=> #request.send::<#ty>()),
    };

    quote! {
        #(#attrs)*
        #separator
        #[doc = #route_doc]
        fn #ident(#(#inputs),*) -> #returns {
            let mut #request = #private::RequestBuilder::new(
                #rt::Api::client(#self_token),
                #private::Method::#method,
                #template,
            );
            #(#steps)*
            #send
        }
    }
}

/// Input: the path pieces and arguments. Output: one builder call per piece or argument, in
/// path order then declaration order: `request.path("/api/v2/users/");`,
/// `request.segment::<&str>("userId", user_id);`, `request.query("expand", expand);`,
/// `request.header("x-id", id);`, `request.json_body(&body);`.
fn build_steps(endpoint: &Endpoint<'_>, request: &Ident) -> Vec<TokenStream> {
    let mut steps = Vec::new();
    for piece in &endpoint.pieces {
        match piece {
            Piece::Literal(text) => steps.push(quote!(#request.path(#text);)),
            Piece::Placeholder(name) => {
                let arg = endpoint
                    .args
                    .iter()
                    .find(|arg| matches!(&arg.role, Role::Path(wire) if wire == name));
                if let Some(arg) = arg {
                    let (ident, ty) = (arg.ident, arg.ty);
                    steps.push(quote_spanned!(ty.span()=> #request.segment::<#ty>(#name, #ident);));
                }
            }
        }
    }
    for arg in &endpoint.args {
        let (ident, ty) = (arg.ident, arg.ty);
        match &arg.role {
            Role::Path(_) => {}
            Role::Query(name) => {
                steps.push(quote_spanned!(ty.span()=> #request.query::<#ty>(#name, #ident);));
            }
            Role::Header(name) => {
                steps.push(quote_spanned!(ty.span()=> #request.header::<#ty>(#name, #ident);));
            }
            Role::Body { optional: false } => {
                steps.push(quote_spanned!(ty.span()=> #request.json_body::<#ty>(&#ident);));
            }
            Role::Body { optional: true } => {
                let inner = single_generic(ty, "Option").unwrap_or(ty);
                steps.push(quote_spanned!(ty.span()=>
                    #request.optional_json_body::<#inner>(::core::option::Option::as_ref(&#ident));
                ));
            }
        }
    }
    steps
}

/// The argument as declared, minus `#[path]`, `#[query]`, `#[header]` and `#[body]`.
pub(crate) fn strip_arg_attributes(arg: &FnArg) -> FnArg {
    let mut arg = arg.clone();
    if let FnArg::Typed(typed) = &mut arg {
        typed
            .attrs
            .retain(|attr| !ARG_ATTRIBUTES.iter().any(|name| attr.path().is_ident(name)));
    }
    arg
}

/// What is emitted next to compile errors: the user's method, argument attributes removed,
/// with a body that never runs (the crate does not compile), so that the rest of the crate
/// keeps type-checking and the user sees only the real mistakes.
pub(crate) fn fallback(func: &TraitItemFn) -> TokenStream {
    let mut func = func.clone();
    for input in func.sig.inputs.iter_mut() {
        *input = strip_arg_attributes(input);
        // A receiver other than `&self` is already reported; do not add errors about it.
        if matches!(input, FnArg::Receiver(_)) {
            *input = syn::parse_quote!(&self);
        }
    }
    func.attrs
        .push(syn::parse_quote!(#[allow(unused_variables)]));
    if func.default.is_none() {
        func.default = Some(syn::parse_quote!({ ::core::unimplemented!() }));
        func.semi_token = None;
    }
    quote!(#func)
}
