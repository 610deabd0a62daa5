//! [`string_enum!`](crate::string_enum): enums sent as strings that keep values they do not
//! know, so that a new value on the server never breaks decoding.

/// Declares an enum sent as a JSON string, with an `Unknown(String)` variant that keeps any
/// value this version does not know (the official SDKs turn those into a useless
/// "outdated SDK version" placeholder; this keeps the text).
///
/// It implements `Serialize`, `Deserialize`, `FromStr` (infallible), `Display` and `as_str`,
/// and [`Value`](crate::Value): it can be a path, query or header argument.
///
/// ```
/// genesys_runtime::string_enum! {
///     /// The state of an OAuth client.
///     pub enum ClientState {
///         /// Usable.
///         Active = "active",
///         /// Switched off.
///         Disabled = "disabled",
///     }
/// }
/// let state: ClientState = serde_json::from_str("\"active\"").unwrap();
/// assert_eq!(state, ClientState::Active);
/// let future: ClientState = serde_json::from_str("\"archived\"").unwrap();
/// assert_eq!(future, ClientState::Unknown("archived".into()));
/// assert_eq!(serde_json::to_string(&future).unwrap(), "\"archived\"");
/// ```
#[macro_export]
macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        $vis enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this version does not know, kept as sent.
            Unknown(::std::string::String),
        }

        impl $name {
            /// The wire text of this value.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $wire, )+
                    Self::Unknown(other) => other,
                }
            }
        }

        impl ::core::str::FromStr for $name {
            type Err = ::core::convert::Infallible;
            fn from_str(text: &str) -> ::core::result::Result<Self, Self::Err> {
                ::core::result::Result::Ok(match text {
                    $( $wire => Self::$variant, )+
                    other => Self::Unknown(::std::string::String::from(other)),
                })
            }
        }

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        /// One string: a path, query or header value.
        impl $crate::Value for $name {}

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S: $crate::__private::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                let text: ::std::borrow::Cow<'de, str> =
                    $crate::__private::serde::Deserialize::deserialize(deserializer)?;
                ::core::result::Result::Ok(match <Self as ::core::str::FromStr>::from_str(&text) {
                    ::core::result::Result::Ok(value) => value,
                    ::core::result::Result::Err(never) => match never {},
                })
            }
        }

    };
}
