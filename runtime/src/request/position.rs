//! What each position of a declaration takes, as public traits named for the position: the
//! one bound generated code checks on the user's type, at the user's token. A mistake reads
//! "`Filter` cannot be a query parameter" with what to write instead, and names nothing of
//! this crate's internals (each trait reaches the user's types through one blanket impl that
//! rustc is told not to recommend, so no private bound, file or list of implementors shows).

use std::borrow::Cow;

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::RequestBuilder;
use super::multipart::Multipart;
use crate::listing::Listing;

/// One path, query or header value: a string, a number, a bool, or a type of yours that
/// serializes as one of them (an enum of names, an id newtype), marked with this trait.
///
/// ```
/// use genesys_runtime::{Api, Result, Value, endpoint};
///
/// /// Serialized by its serde names: `active`, `inactive`.
/// #[derive(serde::Serialize)]
/// #[serde(rename_all = "camelCase")]
/// pub enum State { Active, Inactive }
/// impl Value for State {}
///
/// pub trait UsersApi: Api {
///     #[endpoint(method = "GET", path = "/api/v2/users")]
///     async fn list(&self, #[query] state: Option<State>) -> Result<()>;
/// }
/// ```
///
/// A struct of several fields is not one value: declare one `#[query]` argument per field.
/// A type from another crate that serializes as one string (a UUID, a date) goes in a
/// newtype of yours (`#[serde(transparent)]`), or as its text (`&id.to_string()`).
pub trait Value: Serialize {}

macro_rules! values {
    ($($ty:ty),*) => { $(impl Value for $ty {})* };
}
values!(
    str, String, bool, char, i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize, f32,
    f64
);
impl Value for Cow<'_, str> {}
impl<T: Value + ?Sized> Value for &T {}
impl<T: Value + ?Sized> Value for &mut T {}
impl<T: Value + ?Sized> Value for Box<T> {}

/// Declares a parameter trait: the position's name, what it takes, its words, and how the
/// value is added to the request.
macro_rules! param {
    ($(#[$doc:meta])* $name:ident: $bound:ident, $message:literal, $label:literal, $note:literal, $add:ident) => {
        $(#[$doc])*
        #[diagnostic::on_unimplemented(message = $message, label = $label, note = $note)]
        pub trait $name {
            /// Adds it to the request as the parameter `name`.
            #[doc(hidden)]
            fn add_to(&self, request: &mut RequestBuilder<'_>, name: &'static str);
        }

        #[diagnostic::do_not_recommend]
        impl<T: $bound + ?Sized> $name for T {
            fn add_to(&self, request: &mut RequestBuilder<'_>, name: &'static str) {
                request.$add(name, self);
            }
        }
    };
}

param!(
    /// A path argument (`{userId}` bound to `user_id`): exactly one [`Value`], appended as
    /// one percent-encoded segment.
    PathParam: Value,
    "`{Self}` cannot be a path argument",
    "a path segment takes exactly one value",
    "use a string, a number, a bool, or a type of yours marked with the runtime's `Value` trait (`impl Value for MyId {{}}`: an enum of names, an id newtype); not an `Option` or a list, since a path needs exactly one value",
    segment
);

/// Zero, one or several [`Value`]s: a value, an `Option` of one (nothing sent for `None`),
/// a `Vec`, slice or array of them, or an `Option` of a `Vec` or slice. What a query
/// parameter or a header takes.
#[doc(hidden)]
pub trait Values: Serialize {}
impl<T: Value + ?Sized> Values for T {}
impl<T: Value> Values for Option<T> {}
impl<T: Value> Values for Vec<T> {}
impl<T: Value> Values for [T] {}
impl<T: Value> Values for Option<Vec<T>> {}
impl<T: Value> Values for Option<&[T]> {}
macro_rules! arrays {
    ($($n:literal)*) => { $(impl<T: Value> Values for [T; $n] {})* };
}
// Those serde serializes: up to 32.
arrays!(1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32);

param!(
    /// A `#[query]` argument: a [`Value`], an `Option` of one, or a list of them (the key
    /// repeated for each value).
    QueryParam: Values,
    "`{Self}` cannot be a query parameter",
    "not a value, an `Option` of one, or a list of them",
    "use a string, a number, a bool, or a type of yours marked with the runtime's `Value` trait (`impl Value for MyEnum {{}}`), an `Option` of one, or a `Vec`, slice or array of them; a struct of several fields is not one value: declare one `#[query]` argument per field",
    query
);

param!(
    /// A `#[header]` argument: a [`Value`], an `Option` of one, or a list of them (joined
    /// with `, `).
    HeaderParam: Values,
    "`{Self}` cannot be a header",
    "not a value, an `Option` of one, or a list of them",
    "use a string, a number, a bool, or a type of yours marked with the runtime's `Value` trait (`impl Value for MyEnum {{}}`), an `Option` of one, or a `Vec`, slice or array of them",
    header
);

/// Declares a body trait: the position's name, what it takes, and how it is set.
macro_rules! body {
    ($(#[$doc:meta])* $name:ident: $bound:path, $message:literal, $note:literal, $set:ident) => {
        $(#[$doc])*
        #[diagnostic::on_unimplemented(
            message = $message,
            label = "this type cannot be this body",
            note = $note
        )]
        pub trait $name {
            /// Sets it as the request's body.
            #[doc(hidden)]
            fn set_body(&self, request: &mut RequestBuilder<'_>);
        }

        #[diagnostic::do_not_recommend]
        impl<T: $bound + ?Sized> $name for T {
            fn set_body(&self, request: &mut RequestBuilder<'_>) {
                request.$set(self);
            }
        }
    };
}

body!(
    /// A `#[body]` or `#[body(json)]` argument: any `serde::Serialize` type.
    JsonBody: Serialize,
    "`{Self}` cannot be a JSON body",
    "derive `serde::Serialize` for it (`#[derive(serde::Serialize)]`), or send `serde_json::Value`",
    json_body
);
body!(
    /// A `#[body(form)]` argument: a `serde::Serialize` struct or map of values.
    FormBody: Serialize,
    "`{Self}` cannot be a form body",
    "a form body is a `#[derive(serde::Serialize)]` struct, or a map, of strings, numbers and bools",
    form_body
);
body!(
    /// A `#[body(text)]` argument: `&str`, `String`, anything `AsRef<str>`.
    TextBody: AsRef<str>,
    "`{Self}` cannot be a text body",
    "a text body is a `&str`, a `String`, or another `AsRef<str>` type",
    text_body
);
body!(
    /// A `#[body(bytes)]` argument: `&[u8]`, `Vec<u8>`, `Bytes`, anything `AsRef<[u8]>`.
    BytesBody: AsRef<[u8]>,
    "`{Self}` cannot be a body of bytes",
    "a body of bytes is a `&[u8]`, a `Vec<u8>`, a `bytes::Bytes`, or another `AsRef<[u8]>` type",
    bytes_body
);
body!(
    /// A `#[body(multipart)]` argument: a [`Multipart`].
    MultipartBody: AsRef<Multipart>,
    "`{Self}` cannot be a multipart body",
    "build the form with the runtime's `Multipart::new().text(..).file(..)` and pass it",
    multipart_body
);

/// The item of a listing (`fn list(&self) -> Listing<Item>`): any `serde::Deserialize` type
/// that owns its data.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be the item of a listing",
    label = "its pages' items cannot be decoded as this type",
    note = "derive `serde::Deserialize` for it (`#[derive(serde::Deserialize)]`), or list `serde_json::Value`s"
)]
pub trait ListingItem: Sized {
    /// The listing this request starts.
    #[doc(hidden)]
    fn listing(request: RequestBuilder<'_>) -> Listing<Self>;
}

#[diagnostic::do_not_recommend]
impl<T: DeserializeOwned + Send + 'static> ListingItem for T {
    fn listing(request: RequestBuilder<'_>) -> Listing<T> {
        request.listing()
    }
}
