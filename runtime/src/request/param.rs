//! What may be passed as a path, query or header argument of a declared endpoint.
//!
//! [`ParamValue`] is one value written as text (a string, a number, a bool). [`ParamValues`]
//! is zero or more of them: a plain value is one, `Option` is zero or one, and lists
//! (`Vec`, slices, arrays) are sent as repeated query keys (`expand=a&expand=b`, the
//! OpenAPI `multi` format) or as one comma-separated header.

use std::borrow::Cow;
use std::fmt::{self, Write};
use std::rc::Rc;
use std::sync::Arc;

/// A single value that can fill a `{placeholder}` of a path, a query parameter or a header.
///
/// Implemented for strings, integers, floats, `bool` and references to them. Implement it
/// for your own types (an id newtype, an enum) by writing their wire text:
///
/// ```
/// use std::fmt;
/// struct UserId(u64);
/// impl genesys_runtime::ParamValue for UserId {
///     fn write_param(&self, out: &mut dyn fmt::Write) -> fmt::Result {
///         write!(out, "user-{}", self.0)
///     }
/// }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be sent as a path, query or header value",
    label = "this type has no wire text",
    note = "use a string, an integer, a float or a bool, or implement `genesys_runtime::ParamValue` for it"
)]
pub trait ParamValue {
    /// Writes the value's text, unencoded: the runtime percent-encodes it as it is written.
    fn write_param(&self, out: &mut dyn Write) -> fmt::Result;
}

/// Zero or more [`ParamValue`]s: what a query or header argument may be.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be sent as a query or header parameter",
    label = "not a parameter value",
    note = "use a value implementing `genesys_runtime::ParamValue`, an `Option` of one (omitted when `None`), or a `Vec`, slice or array of them (sent as repeated keys)"
)]
pub trait ParamValues {
    /// Calls `each` once per value to send, in order.
    fn for_each_param(&self, each: &mut dyn FnMut(&dyn ParamValue));
}

macro_rules! display_params {
    ($($ty:ty),* $(,)?) => {$(
        impl ParamValue for $ty {
            fn write_param(&self, out: &mut dyn Write) -> fmt::Result {
                write!(out, "{self}")
            }
        }
    )*};
}

display_params!(
    bool, char, i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize, f32, f64
);

impl ParamValue for str {
    fn write_param(&self, out: &mut dyn Write) -> fmt::Result {
        out.write_str(self)
    }
}

impl ParamValue for String {
    fn write_param(&self, out: &mut dyn Write) -> fmt::Result {
        out.write_str(self)
    }
}

impl ParamValue for Cow<'_, str> {
    fn write_param(&self, out: &mut dyn Write) -> fmt::Result {
        out.write_str(self)
    }
}

impl<T: ParamValue + ?Sized> ParamValue for &T {
    fn write_param(&self, out: &mut dyn Write) -> fmt::Result {
        (**self).write_param(out)
    }
}

impl<T: ParamValue + ?Sized> ParamValue for Box<T> {
    fn write_param(&self, out: &mut dyn Write) -> fmt::Result {
        (**self).write_param(out)
    }
}

impl<T: ParamValue + ?Sized> ParamValue for Arc<T> {
    fn write_param(&self, out: &mut dyn Write) -> fmt::Result {
        (**self).write_param(out)
    }
}

impl<T: ParamValue + ?Sized> ParamValue for Rc<T> {
    fn write_param(&self, out: &mut dyn Write) -> fmt::Result {
        (**self).write_param(out)
    }
}

impl ParamValue for time::OffsetDateTime {
    /// RFC 3339, as Genesys expects date-times (`2024-02-29T08:00:00Z`).
    fn write_param(&self, out: &mut dyn Write) -> fmt::Result {
        let text = self
            .format(&time::format_description::well_known::Rfc3339)
            .map_err(|_| fmt::Error)?;
        out.write_str(&text)
    }
}

impl<T: ParamValue> ParamValues for T {
    fn for_each_param(&self, each: &mut dyn FnMut(&dyn ParamValue)) {
        each(self)
    }
}

impl<T: ParamValues> ParamValues for Option<T> {
    fn for_each_param(&self, each: &mut dyn FnMut(&dyn ParamValue)) {
        if let Some(value) = self {
            value.for_each_param(each)
        }
    }
}

impl<T: ParamValue> ParamValues for [T] {
    fn for_each_param(&self, each: &mut dyn FnMut(&dyn ParamValue)) {
        for value in self {
            each(value)
        }
    }
}

impl<T: ParamValue> ParamValues for &[T] {
    fn for_each_param(&self, each: &mut dyn FnMut(&dyn ParamValue)) {
        (**self).for_each_param(each)
    }
}

impl<T: ParamValue, const N: usize> ParamValues for [T; N] {
    fn for_each_param(&self, each: &mut dyn FnMut(&dyn ParamValue)) {
        self.as_slice().for_each_param(each)
    }
}

impl<T: ParamValue> ParamValues for Vec<T> {
    fn for_each_param(&self, each: &mut dyn FnMut(&dyn ParamValue)) {
        self.as_slice().for_each_param(each)
    }
}

impl<T: ParamValue> ParamValues for &Vec<T> {
    fn for_each_param(&self, each: &mut dyn FnMut(&dyn ParamValue)) {
        self.as_slice().for_each_param(each)
    }
}
