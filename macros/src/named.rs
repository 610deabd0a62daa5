//! `#[endpoint(..., named)]`: the optional arguments (an `Option`, a list, an optional body)
//! are set by name on a call type instead of passed in order. The method takes the required
//! arguments and returns the call type; each optional argument is a setter on it, and
//! `.send()` returns what the method is declared to return:
//!
//! ```text
//! #[endpoint(method = "GET", path = "/api/v2/routing/queues/{queueId}/members", paging = "page", named)]
//! fn get_routing_queue_members(&self, queue_id: &str,
//!     #[query(name = "name")] name: Option<&str>,
//!     #[query(name = "expand")] expand: &[&str]) -> Listing<QueueMember>;
//!
//! client.get_routing_queue_members("q1").name("Ann").send().items()
//! ```
//!
//! The call type (`GetRoutingQueueMembersCall<'a, A>`) is declared by `#[api]` next to the
//! trait; the route table still lists every parameter.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::{FnArg, GenericArgument, Ident, Lifetime, PathArguments, TraitItemFn, Type, Visibility};

use crate::case::to_pascal_case;
use crate::errors::Errors;
use crate::model::{Decoded, Endpoint, Role, shape, single_generic};

/// Reports what a `named` method cannot be: outside `#[api]` (its call type has nowhere to
/// go), or with a lifetime of its own in an argument (a generic method is refused for every
/// endpoint already).
pub(crate) fn check(func: &TraitItemFn, span: Span, in_api: bool, errors: &mut Errors) {
    if !in_api {
        errors.push(
            span,
            "`named` declares a call type next to the trait: add `#[api]` to the trait",
        );
    }
    for input in &func.sig.inputs {
        if let FnArg::Typed(typed) = input {
            if let Some(lifetime) = named_lifetime(&typed.ty) {
                errors.push(
                    lifetime.span(),
                    format!(
                        "a `named` method's arguments borrow for the call's lifetime: write `&str` or `'_` instead of `{lifetime}`"
                    ),
                );
            }
        }
    }
}

/// The call type's name: `get_routing_queue_members` gives `GetRoutingQueueMembersCall`.
pub(crate) fn call_type_name(method: &Ident) -> Ident {
    format_ident!(
        "{}Call",
        to_pascal_case(&method.to_string()),
        span = method.span()
    )
}

/// Whether an argument is set by name: an `Option`, a list, or an optional body.
fn is_named(ty: &Type, role: &Role) -> bool {
    let (optional, list) = shape(ty);
    !matches!(role, Role::Path(_)) && (optional || list)
}

/// Input: a `named` endpoint. Output: the method, taking the required arguments and
/// returning the call type with the others unset.
pub(crate) fn constructor(func: &TraitItemFn, endpoint: &Endpoint<'_>) -> TokenStream {
    let call = call_type_name(&func.sig.ident);
    let life = lifetime();
    let attrs = &func.attrs;
    let ident = &func.sig.ident;
    let mut params = Vec::new();
    let mut fields = Vec::new();
    for arg in &endpoint.args {
        let name = arg.ident;
        if is_named(arg.ty, &arg.role) {
            fields.push(quote!(#name: ::core::default::Default::default()));
        } else {
            let ty = with_lifetime(arg.ty, &life);
            params.push(quote!(#name: #ty));
            fields.push(quote!(#name));
        }
    }
    let api = api_field();
    quote! {
        #(#attrs)*
        fn #ident<#life>(&#life self, #(#params),*) -> #call<#life, Self> {
            #call { #api: self, #(#fields),* }
        }
    }
}

/// Input: a `named` endpoint, its description's static and the trait's visibility. Output:
/// the call type, a setter per optional argument, and `send`, which builds the request from
/// the description as the method would and makes the one runtime call.
pub(crate) fn call_type(
    func: &TraitItemFn,
    endpoint: &Endpoint<'_>,
    description: &Ident,
    vis: &Visibility,
    trait_name: &Ident,
) -> TokenStream {
    let rt = &endpoint.runtime;
    let call = call_type_name(&func.sig.ident);
    let life = lifetime();
    let api = api_field();
    let method = &func.sig.ident;
    let mut fields = Vec::new();
    let mut names = Vec::new();
    let mut setters = Vec::new();
    for arg in &endpoint.args {
        let name = arg.ident;
        let ty = with_lifetime(arg.ty, &life);
        names.push(quote!(#name));
        fields.push(quote!(#name: #ty));
        if !is_named(arg.ty, &arg.role) {
            continue;
        }
        let wire = match &arg.role {
            Role::Path(wire) => format!("the `{wire}` path parameter"),
            Role::Query(wire) => format!("the `{wire}` query parameter"),
            Role::Header(wire) => format!("the `{wire}` header"),
            Role::Body { .. } => "the body".to_owned(),
        };
        match single_generic(arg.ty, "Option") {
            Some(inner) => {
                let inner = with_lifetime(inner, &life);
                let doc = format!(" Sets {wire}.");
                setters.push(quote! {
                    #[doc = #doc]
                    pub fn #name(mut self, #name: #inner) -> Self {
                        self.#name = ::core::option::Option::Some(#name);
                        self
                    }
                });
            }
            None => {
                let doc = format!(" Sets {wire} (a list; empty sends none).");
                setters.push(quote! {
                    #[doc = #doc]
                    pub fn #name(mut self, #name: #ty) -> Self {
                        self.#name = #name;
                        self
                    }
                });
            }
        }
    }
    let request = Ident::new("request", Span::mixed_site());
    let steps = crate::expand::build_steps(endpoint, &request);
    let output = endpoint.output;
    let private = quote!(#rt::__private);
    let (returns, send) = match &endpoint.decoded {
        Decoded::Unit => (
            quote!(impl #private::Future<Output = #output> + #private::Send + #life),
            quote!(#request.send_unit()),
        ),
        Decoded::Type(ty) => (
            quote!(impl #private::Future<Output = #output> + #private::Send + #life),
            quote!(#request.send(<#ty as #rt::FromResponse>::DECODER)),
        ),
        Decoded::Listing { item, .. } => (
            quote!(#output),
            quote!(<#item as #rt::ListingItem>::listing(#request)),
        ),
    };
    let doc = format!(
        " A call of [`{trait_name}::{method}`] being set up: set the optional parameters you need by name, then `.send()`."
    );
    let send_doc = match endpoint.decoded {
        Decoded::Listing { .. } => {
            " The listing, with the parameters set (nothing is sent until it is read)."
        }
        _ => " Sends the call, with the parameters set.",
    };
    quote! {
        #[doc = #doc]
        #[must_use = "a call does nothing until `.send()`"]
        #[allow(clippy::type_complexity)]
        #vis struct #call<#life, A: ?::core::marker::Sized> {
            #api: &#life A,
            #(#fields),*
        }

        impl<#life, A: #rt::Api + ?::core::marker::Sized> #call<#life, A> {
            #(#setters)*

            #[doc = #send_doc]
            #[allow(unused_variables)]
            pub fn send(self) -> #returns {
                let #call { #api, #(#names),* } = self;
                let mut #request = #private::RequestBuilder::new(#rt::Api::client(#api), &#description);
                #(#steps)*
                #send
            }
        }

        impl<#life, A: ?::core::marker::Sized> ::core::fmt::Debug for #call<#life, A> {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.debug_struct(::core::stringify!(#call)).finish_non_exhaustive()
            }
        }
    }
}

fn lifetime() -> Lifetime {
    Lifetime::new("'genesys", Span::call_site())
}

fn api_field() -> Ident {
    Ident::new("__genesys_api", Span::call_site())
}

/// The type with every elided lifetime (`&T`, `'_`, `Cow<str>` is left as is) made `life`.
fn with_lifetime(ty: &Type, life: &Lifetime) -> Type {
    let mut ty = ty.clone();
    fill(&mut ty, life);
    ty
}

fn fill(ty: &mut Type, life: &Lifetime) {
    match ty {
        Type::Reference(reference) => {
            match &mut reference.lifetime {
                None => reference.lifetime = Some(life.clone()),
                Some(existing) if existing.ident == "_" => *existing = life.clone(),
                Some(_) => {}
            }
            fill(&mut reference.elem, life);
        }
        Type::Slice(slice) => fill(&mut slice.elem, life),
        Type::Array(array) => fill(&mut array.elem, life),
        Type::Paren(paren) => fill(&mut paren.elem, life),
        Type::Group(group) => fill(&mut group.elem, life),
        Type::Tuple(tuple) => tuple.elems.iter_mut().for_each(|t| fill(t, life)),
        Type::Path(path) => {
            for segment in path.path.segments.iter_mut() {
                if let PathArguments::AngleBracketed(args) = &mut segment.arguments {
                    for arg in args.args.iter_mut() {
                        match arg {
                            GenericArgument::Type(t) => fill(t, life),
                            GenericArgument::Lifetime(l) if l.ident == "_" => *l = life.clone(),
                            _ => {}
                        }
                    }
                }
            }
        }
        _ => {}
    }
}

/// A lifetime the user named in a type (`'a`, not `'_` or `'static`).
fn named_lifetime(ty: &Type) -> Option<&Lifetime> {
    let named = |l: &Lifetime| l.ident != "_" && l.ident != "static";
    match ty {
        Type::Reference(reference) => reference
            .lifetime
            .as_ref()
            .filter(|l| named(l))
            .or_else(|| named_lifetime(&reference.elem)),
        Type::Slice(slice) => named_lifetime(&slice.elem),
        Type::Array(array) => named_lifetime(&array.elem),
        Type::Paren(paren) => named_lifetime(&paren.elem),
        Type::Group(group) => named_lifetime(&group.elem),
        Type::Tuple(tuple) => tuple.elems.iter().find_map(named_lifetime),
        Type::Path(path) => path.path.segments.iter().find_map(|segment| {
            let PathArguments::AngleBracketed(args) = &segment.arguments else {
                return None;
            };
            args.args.iter().find_map(|arg| match arg {
                GenericArgument::Type(t) => named_lifetime(t),
                GenericArgument::Lifetime(l) if named(l) => Some(l),
                _ => None,
            })
        }),
        _ => None,
    }
}
