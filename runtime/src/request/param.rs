//! Path, query and header values: any `Serialize` type that writes one string, number or
//! bool (strings, integers, floats, `bool`, `char`, fieldless enums with their serde names,
//! newtypes around one of those, [`string_enum!`](crate::string_enum) enums), an `Option` of
//! one (nothing is sent for `None`), or a list of them (repeated query keys, the OpenAPI
//! `multi` format, or one comma-separated header).
//!
//! [`for_each_value`] walks a value with a small serde `Serializer` that hands each scalar
//! to a callback as `Display`, so no intermediate string is built for the common case.

use std::fmt::{self, Display};

use serde::Serialize;
use serde::ser::{self, Impossible};

/// Why a value cannot be sent as a parameter: said to the user in an `InvalidArgument`.
#[derive(Debug)]
pub(crate) struct ParamError(pub(crate) String);

impl Display for ParamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ParamError {}

impl ser::Error for ParamError {
    fn custom<T: Display>(msg: T) -> Self {
        ParamError(msg.to_string())
    }
}

fn not_a_value(what: &str) -> ParamError {
    ParamError(format!(
        "it serializes as {what}; a path, query or header value must be one string, number or bool (a fieldless enum, or a newtype around one), an `Option` of one, or a list of them (for a date-time, pass its RFC 3339 text)"
    ))
}

/// One scalar of a value: text as it is (the common case, written without the formatting
/// machinery), or anything else that displays itself (numbers, `bool`, `char`).
#[derive(Clone, Copy)]
pub(crate) enum Scalar<'a> {
    Str(&'a str),
    Display(&'a dyn Display),
}

impl Scalar<'_> {
    /// Writes the scalar's text to `out`.
    pub(crate) fn write_to(self, out: &mut impl fmt::Write) -> fmt::Result {
        match self {
            Scalar::Str(text) => out.write_str(text),
            Scalar::Display(value) => write!(out, "{value}"),
        }
    }
}

impl Display for Scalar<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_to(f)
    }
}

/// Calls `each` for every scalar in `value`, in order: once for a plain value, never for
/// `None`, once per element for a list.
pub(crate) fn for_each_value<V: Serialize + ?Sized>(
    value: &V,
    each: &mut dyn FnMut(Scalar<'_>),
) -> Result<(), ParamError> {
    value.serialize(Values {
        each,
        in_list: false,
    })
}

/// The serializer: scalars go to `each`; `None` is skipped; a list is walked once.
struct Values<'a> {
    each: &'a mut dyn FnMut(Scalar<'_>),
    in_list: bool,
}

macro_rules! scalars {
    ($($method:ident: $ty:ty),* $(,)?) => {$(
        fn $method(self, v: $ty) -> Result<(), ParamError> {
            (self.each)(Scalar::Display(&v));
            Ok(())
        }
    )*};
}

impl<'a> ser::Serializer for Values<'a> {
    type Ok = ();
    type Error = ParamError;
    type SerializeSeq = List<'a>;
    type SerializeTuple = List<'a>;
    type SerializeTupleStruct = Impossible<(), ParamError>;
    type SerializeTupleVariant = Impossible<(), ParamError>;
    type SerializeMap = Impossible<(), ParamError>;
    type SerializeStruct = Impossible<(), ParamError>;
    type SerializeStructVariant = Impossible<(), ParamError>;

    scalars!(
        serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32,
        serialize_i64: i64, serialize_i128: i128, serialize_u8: u8, serialize_u16: u16,
        serialize_u32: u32, serialize_u64: u64, serialize_u128: u128, serialize_f32: f32,
        serialize_f64: f64, serialize_char: char,
    );

    fn serialize_str(self, v: &str) -> Result<(), ParamError> {
        (self.each)(Scalar::Str(v));
        Ok(())
    }

    fn serialize_bytes(self, _: &[u8]) -> Result<(), ParamError> {
        Err(not_a_value("bytes"))
    }

    fn serialize_none(self) -> Result<(), ParamError> {
        Ok(())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), ParamError> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), ParamError> {
        Err(not_a_value("`()`"))
    }

    fn serialize_unit_struct(self, name: &'static str) -> Result<(), ParamError> {
        Err(not_a_value(&format!("the unit struct `{name}`")))
    }

    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), ParamError> {
        (self.each)(Scalar::Str(variant));
        Ok(())
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), ParamError> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        _: u32,
        variant: &'static str,
        _: &T,
    ) -> Result<(), ParamError> {
        Err(not_a_value(&format!(
            "the enum variant `{name}::{variant}` with data"
        )))
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<List<'a>, ParamError> {
        if self.in_list {
            return Err(not_a_value("a list inside a list"));
        }
        Ok(List { each: self.each })
    }

    /// Arrays serialize as tuples.
    fn serialize_tuple(self, len: usize) -> Result<List<'a>, ParamError> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_struct(
        self,
        name: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, ParamError> {
        Err(not_a_value(&format!("the tuple struct `{name}`")))
    }

    fn serialize_tuple_variant(
        self,
        name: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, ParamError> {
        Err(not_a_value(&format!(
            "the enum variant `{name}::{variant}`"
        )))
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, ParamError> {
        Err(not_a_value("a map"))
    }

    fn serialize_struct(
        self,
        name: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStruct, ParamError> {
        Err(not_a_value(&format!("the struct `{name}`")))
    }

    fn serialize_struct_variant(
        self,
        name: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, ParamError> {
        Err(not_a_value(&format!(
            "the enum variant `{name}::{variant}`"
        )))
    }

    fn collect_str<T: Display + ?Sized>(self, value: &T) -> Result<(), ParamError> {
        (self.each)(Scalar::Display(&value));
        Ok(())
    }
}

/// The elements of a list, each one scalar.
struct List<'a> {
    each: &'a mut dyn FnMut(Scalar<'_>),
}

impl ser::SerializeTuple for List<'_> {
    type Ok = ();
    type Error = ParamError;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ParamError> {
        ser::SerializeSeq::serialize_element(self, value)
    }

    fn end(self) -> Result<(), ParamError> {
        Ok(())
    }
}

impl ser::SerializeSeq for List<'_> {
    type Ok = ();
    type Error = ParamError;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ParamError> {
        value.serialize(Values {
            each: &mut *self.each,
            in_list: true,
        })
    }

    fn end(self) -> Result<(), ParamError> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts<V: Serialize + ?Sized>(value: &V) -> Result<Vec<String>, ParamError> {
        let mut out = Vec::new();
        for_each_value(value, &mut |v| out.push(v.to_string()))?;
        Ok(out)
    }

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    enum State {
        Active,
        OnQueue,
    }

    #[derive(Serialize)]
    struct UserId(u64);

    #[derive(Serialize)]
    enum WithData {
        Some(u8),
    }

    #[test]
    fn scalars_enums_newtypes_options_and_lists() {
        assert_eq!(texts("a b").unwrap(), ["a b"]);
        assert_eq!(texts(&7u8).unwrap(), ["7"]);
        assert_eq!(texts(&-1.5f64).unwrap(), ["-1.5"]);
        assert_eq!(texts(&true).unwrap(), ["true"]);
        assert_eq!(texts(&State::OnQueue).unwrap(), ["onQueue"]);
        assert_eq!(texts(&UserId(42)).unwrap(), ["42"]);
        assert_eq!(texts(&None::<&str>).unwrap(), Vec::<String>::new());
        assert_eq!(texts(&Some(State::Active)).unwrap(), ["active"]);
        assert_eq!(texts(&["a", "b"]).unwrap(), ["a", "b"]);
        assert_eq!(texts(&vec![UserId(1), UserId(2)]).unwrap(), ["1", "2"]);
        assert_eq!(texts(&Some(vec![1, 2])).unwrap(), ["1", "2"]);
    }

    #[test]
    fn structured_values_are_refused_with_what_to_do() {
        let message = texts(&WithData::Some(1)).unwrap_err().0;
        assert!(message.contains("`WithData::Some` with data"), "{message}");
        assert!(message.contains("one string, number or bool"), "{message}");
        assert!(
            texts(&vec![vec![1]])
                .unwrap_err()
                .0
                .contains("a list inside a list")
        );
        assert!(
            texts(&[[1]])
                .unwrap_err()
                .0
                .contains("a list inside a list")
        );
        #[derive(Serialize)]
        struct Filter {
            state: u8,
        }
        assert!(
            texts(&Filter { state: 1 })
                .unwrap_err()
                .0
                .contains("the struct `Filter`")
        );
        let map: std::collections::BTreeMap<&str, u8> = [("a", 1)].into();
        assert!(texts(&map).unwrap_err().0.contains("a map"));
    }
}
