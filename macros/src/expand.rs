//! Code generation: tokens only, from a valid [`Endpoint`].
//!
//! Every generated path is absolute (`::genesys_runtime::…`), generated locals use
//! `Span::mixed_site()` so they cannot collide with user names, and the user's types keep
//! their spans so that type errors land on them.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{FnArg, Ident, TraitItemFn, Type};

use crate::attr::{ARG_ATTRIBUTES, BodyKind};
use crate::model::{Decoded, Endpoint, Role, shape, single_generic};
use crate::path::Piece;
use crate::policy::Retry;

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
///     static ENDPOINT: Endpoint = Endpoint::new("delete_token", Method::DELETE, "/api/v2/tokens/{userId}")
///         .params(&[Param::new("userId", ParamKind::Path, false, false)])
///         .returns("()");
///     let mut request = RequestBuilder::new(Api::client(self), &ENDPOINT);
///     request.path("/api/v2/tokens/");
///     <str as PathParam>::add_to(&*user_id, &mut request, "userId");
///     request.send_unit()
/// }
/// ```
///
/// With `hoisted` (from `#[api]`), the description is that module-level static instead of
/// one inside the body.
pub(crate) fn expand(
    func: &TraitItemFn,
    endpoint: &Endpoint<'_>,
    hoisted: Option<&Ident>,
) -> TokenStream {
    let rt = &endpoint.runtime;
    let private = quote!(#rt::__private);
    let request = Ident::new("request", Span::mixed_site());
    let template = &endpoint.template;
    let (local_static, endpoint_ident) = match hoisted {
        Some(name) => (None, name.clone()),
        None => {
            let name = Ident::new("ENDPOINT", Span::mixed_site());
            let description = endpoint_static(endpoint);
            (
                Some(quote!(static #name: #private::Endpoint = #description;)),
                name,
            )
        }
    };

    let attrs = &func.attrs;
    let has_docs = attrs.iter().any(|a| a.path().is_ident("doc"));
    let route_doc = format!(" `{} {}`", endpoint.method.as_str(), template);
    let separator = has_docs.then(|| quote!(#[doc = ""]));
    if endpoint.named {
        let mut func = func.clone();
        func.attrs.extend(separator.map(|s| syn::parse_quote!(#s)));
        func.attrs.push(syn::parse_quote!(#[doc = #route_doc]));
        let call = crate::named::call_type_name(&func.sig.ident);
        let call_doc = format!(
            " The optional parameters are set by name on the returned [`{call}`], then `.send()`."
        );
        func.attrs.push(syn::parse_quote!(#[doc = ""]));
        func.attrs.push(syn::parse_quote!(#[doc = #call_doc]));
        return crate::named::constructor(&func, endpoint);
    }

    let ident = &func.sig.ident;
    let inputs = func.sig.inputs.iter().map(strip_arg_attributes);
    let output = endpoint.output;
    let self_token = match func.sig.inputs.first() {
        Some(FnArg::Receiver(receiver)) => receiver.self_token,
        _ => syn::token::SelfValue::default(),
    };

    let steps = build_steps(endpoint, &request);
    let (returns, send) = match &endpoint.decoded {
        // Spanned on the declared return type, so that an undecodable type is reported there.
        Decoded::Unit => (
            quote_spanned!(output.span()=> impl #private::Future<Output = #output> + #private::Send),
            quote!(#request.send_unit()),
        ),
        Decoded::Type(ty) => (
            quote_spanned!(output.span()=> impl #private::Future<Output = #output> + #private::Send),
            quote_spanned!(ty.span()=> #request.send(<#ty as #rt::FromResponse>::DECODER)),
        ),
        Decoded::Listing { item, .. } => (
            quote!(#output),
            quote_spanned!(item.span()=> <#item as #rt::ListingItem>::listing(#request)),
        ),
    };
    // Outside `#[api]`, an impl method looks the same as a trait method: a probe that only
    // type-checks where `Self` is the trait's own (unsized) parameter tells them apart.
    let probe = (!endpoint.in_api_trait).then(|| {
        quote_spanned!(ident.span()=> {
            #[allow(unused_imports)]
            use #private::{ConcreteSelf as _, TraitSelf as _};
            #private::DeclaredInATrait::check((&#private::Probe::<Self>::NEW).probe());
        })
    });

    quote! {
        #(#attrs)*
        #separator
        #[doc = #route_doc]
        fn #ident(#(#inputs),*) -> #returns {
            #local_static
            #probe
            let mut #request = #private::RequestBuilder::new(
                #rt::Api::client(#self_token),
                &#endpoint_ident,
            );
            #(#steps)*
            #send
        }
    }
}

/// Input: the endpoint's model. Output: its description as a constant expression:
/// `Endpoint::new("get_user", Method::GET, "/api/v2/users/{userId}")
///     .params(&[Param::new("userId", ParamKind::Path, false, false), ...])
///     .timeout_ms(5000).retry(RetryRule::Safe).accept("text/csv").returns("User")`.
pub(crate) fn endpoint_static(endpoint: &Endpoint<'_>) -> TokenStream {
    let rt = &endpoint.runtime;
    let private = quote!(#rt::__private);
    let operation = endpoint.operation.to_string();
    let method = Ident::new(endpoint.method.as_str(), Span::call_site());
    let template = &endpoint.template;
    let params = endpoint.args.iter().map(|arg| {
        let (name, kind) = match &arg.role {
            Role::Path(name) => (name.as_str(), quote!(Path)),
            Role::Query(name) => (name.as_str(), quote!(Query)),
            Role::Header(name) => (name.as_str(), quote!(Header)),
            Role::Body { .. } => ("body", quote!(Body)),
        };
        let (optional, list) = shape(arg.ty);
        quote!(#private::Param::new(#name, #private::ParamKind::#kind, #optional, #list))
    });
    let timeout = endpoint
        .policy
        .timeout_ms
        .map(|ms| quote!(.timeout_ms(#ms)));
    let retry = endpoint.policy.retry.map(|rule| match rule {
        Retry::Safe => quote!(.retry(#private::RetryRule::Safe)),
        Retry::Never => quote!(.retry(#private::RetryRule::Never)),
    });
    let accept = endpoint
        .accept
        .as_ref()
        .map(|accept| quote!(.accept(#accept)));
    let content_type = endpoint.args.iter().find_map(|arg| match &arg.role {
        Role::Body {
            content_type: Some(content_type),
            ..
        } => Some(quote!(.content_type(#content_type))),
        _ => None,
    });
    let paging = match &endpoint.decoded {
        Decoded::Listing { paging, field, .. } => {
            let style = Ident::new(paging.variant(), Span::call_site());
            Some(quote!(.paging(#private::Paging::#style, #field)))
        }
        _ => None,
    };
    let returns = returns_text(endpoint);
    quote! {
        #private::Endpoint::new(#operation, #private::Method::#method, #template)
            .params(&[#(#params),*])
            #timeout
            #retry
            #accept
            #content_type
            #paging
            .returns(#returns)
    }
}

/// The declared return type inside `Result<...>` (or the `Listing<...>`), as text.
pub(crate) fn returns_text(endpoint: &Endpoint<'_>) -> String {
    match endpoint.decoded {
        Decoded::Unit => "()".to_owned(),
        Decoded::Type(ty) => quote!(#ty).to_string().replace(' ', ""),
        Decoded::Listing { .. } => {
            let output = endpoint.output;
            quote!(#output).to_string().replace(' ', "")
        }
    }
}

/// Input: an argument and its declared type. Output: the type without its leading
/// references and the argument as a reference to that type: `&&'a [&'a str]` gives
/// `[&'a str]` and `&**expand`; `String` gives `String` and `&name`. The position's trait is
/// checked on what the user wrote, so an error names their type, not a reference to it.
fn peeled<'t>(ident: &Ident, ty: &'t Type) -> (&'t Type, TokenStream) {
    let mut ty = ty;
    let mut derefs = Vec::new();
    while let Type::Reference(reference) = ty {
        ty = &reference.elem;
        derefs.push(quote!(*));
    }
    (ty, quote!(&#(#derefs)*#ident))
}

/// Input: the path pieces and arguments. Output: one call per piece or argument, in path
/// order then declaration order, each argument through its position's public trait:
/// `request.path("/api/v2/users/");`, `<str as PathParam>::add_to(&*user_id, &mut request,
/// "userId");`, `<[&str] as QueryParam>::add_to(&*expand, &mut request, "expand");`,
/// `<Body as JsonBody>::set_body(&*body, &mut request);`.
pub(crate) fn build_steps(endpoint: &Endpoint<'_>, request: &Ident) -> Vec<TokenStream> {
    let rt = &endpoint.runtime;
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
                    let (ty, value) = peeled(arg.ident, arg.ty);
                    steps.push(quote_spanned!(ty.span()=>
                        <#ty as #rt::PathParam>::add_to(#value, &mut #request, #name);
                    ));
                }
            }
        }
    }
    for arg in &endpoint.args {
        let ident = arg.ident;
        match &arg.role {
            Role::Path(_) => {}
            Role::Query(name) => {
                let (ty, value) = peeled(ident, arg.ty);
                steps.push(quote_spanned!(ty.span()=>
                    <#ty as #rt::QueryParam>::add_to(#value, &mut #request, #name);
                ));
            }
            Role::Header(name) => {
                let (ty, value) = peeled(ident, arg.ty);
                steps.push(quote_spanned!(ty.span()=>
                    <#ty as #rt::HeaderParam>::add_to(#value, &mut #request, #name);
                ));
            }
            Role::Body { optional, kind, .. } => {
                let position = Ident::new(
                    match kind {
                        BodyKind::Json => "JsonBody",
                        BodyKind::Form => "FormBody",
                        BodyKind::Text => "TextBody",
                        BodyKind::Bytes => "BytesBody",
                        BodyKind::Multipart => "MultipartBody",
                    },
                    Span::call_site(),
                );
                if *optional {
                    // `Option<&B>` or `Option<B>`: an `Option<&B>` either way.
                    let declared = single_generic(arg.ty, "Option").unwrap_or(arg.ty);
                    let (ty, _) = peeled(ident, declared);
                    let as_ref = if matches!(declared, Type::Reference(_)) {
                        quote!(as_deref)
                    } else {
                        quote!(as_ref)
                    };
                    steps.push(quote_spanned!(ty.span()=>
                        #request.optional_body(
                            ::core::option::Option::#as_ref(&#ident),
                            <#ty as #rt::#position>::set_body,
                        );
                    ));
                } else {
                    let (ty, value) = peeled(ident, arg.ty);
                    steps.push(quote_spanned!(ty.span()=>
                        <#ty as #rt::#position>::set_body(#value, &mut #request);
                    ));
                }
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
