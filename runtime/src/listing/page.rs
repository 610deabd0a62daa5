//! One page of a listing: the envelope decoded in one pass (the items from the declared
//! field, the paging fields Genesys uses), and where the next page is.

use std::fmt;
use std::marker::PhantomData;

use percent_encoding::percent_decode_str;
use serde::Deserialize;
use serde::de::{self, DeserializeOwned, DeserializeSeed, IgnoredAny, MapAccess, Visitor};

use crate::error::text::snippet;
use crate::error::{DecodeError, Error, Result};
use crate::request::endpoint::Paging;
use crate::response::RawResponse;

/// One page of a listing: its items and the paging fields the server sent.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Page<T> {
    /// The items (the `entities` field, or the one declared with `items = "..."`).
    pub items: Vec<T>,
    /// `pageNumber`, in page-numbered listings.
    pub page_number: Option<u64>,
    /// `pageSize`.
    pub page_size: Option<u64>,
    /// `total`: how many items the whole listing has, when the server says.
    pub total: Option<u64>,
    /// `pageCount`, in page-numbered listings.
    pub page_count: Option<u64>,
    /// `nextUri`: the server's link to the next page, when there is one.
    pub next_uri: Option<String>,
    /// The cursor for the next page (`cursor`, `after`, `cursors.after`), when there is one.
    pub cursor: Option<String>,
}

/// Where the next page is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Next {
    /// `pageNumber=n`.
    Number(u64),
    /// `cursor=...` or `after=...`.
    Token(String),
}

impl<T> Page<T> {
    /// The next page after this one, requested as `requested`; `None` at the end.
    pub(crate) fn next(&self, paging: Paging, requested: &Next) -> Option<Next> {
        match paging {
            Paging::Page => {
                let Next::Number(number) = requested else {
                    return None;
                };
                let more = match self.page_count {
                    Some(count) => *number < count,
                    None => self.next_uri.is_some(),
                };
                (more && !self.items.is_empty()).then(|| Next::Number(number + 1))
            }
            Paging::Cursor | Paging::After => self
                .cursor
                .clone()
                .or_else(|| {
                    let uri = self.next_uri.as_deref()?;
                    query_value(uri, paging.parameter())
                })
                .filter(|token| !token.is_empty())
                .map(Next::Token),
        }
    }
}

/// The value of `name` in the query of `uri`, percent-decoded.
fn query_value(uri: &str, name: &str) -> Option<String> {
    let (_, query) = uri.split_once('?')?;
    let query = query.split('#').next().unwrap_or_default();
    query.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        (key == name).then(|| {
            percent_decode_str(&value.replace('+', " "))
                .decode_utf8_lossy()
                .into_owned()
        })
    })
}

/// Decodes a page whose items are in `field`.
pub(crate) fn decode<T: DeserializeOwned>(
    response: &RawResponse,
    paging: Paging,
    field: &'static str,
) -> Result<Page<T>> {
    let mut deserializer = serde_json::Deserializer::from_slice(&response.body);
    let decoded = PageSeed::<T> {
        field,
        cursor_field: match paging {
            Paging::Page => None,
            Paging::Cursor | Paging::After => Some(paging.parameter()),
        },
        item: PhantomData,
    }
    .deserialize(&mut deserializer)
    .and_then(|page| deserializer.end().map(|()| page));
    decoded.map_err(|source| page_error::<T>(response, source))
}

/// A page that could not be decoded (or that repeats the last cursor).
pub(crate) fn page_error<T>(response: &RawResponse, source: serde_json::Error) -> Error {
    Error::Decode(Box::new(DecodeError {
        route: response.route.clone(),
        status: response.status,
        headers: response.headers.clone(),
        type_name: std::any::type_name::<Page<T>>(),
        snippet: snippet(&response.body),
        source,
    }))
}

struct PageSeed<T> {
    field: &'static str,
    /// `cursor` or `after`: a top-level field of that name is the next cursor.
    cursor_field: Option<&'static str>,
    item: PhantomData<fn() -> T>,
}

/// `cursors: { "after": "..." }`.
#[derive(Deserialize)]
struct Cursors {
    after: Option<String>,
}

impl<'de, T: DeserializeOwned> DeserializeSeed<'de> for PageSeed<T> {
    type Value = Page<T>;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Page<T>, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de, T: DeserializeOwned> Visitor<'de> for PageSeed<T> {
    type Value = Page<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a page object with its items in `{}`", self.field)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Page<T>, A::Error> {
        let mut page = Page {
            items: Vec::new(),
            page_number: None,
            page_size: None,
            total: None,
            page_count: None,
            next_uri: None,
            cursor: None,
        };
        let mut after = None;
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            let key = key.as_ref();
            if key == self.field {
                page.items = map.next_value::<Option<Vec<T>>>()?.unwrap_or_default();
            } else if Some(key) == self.cursor_field {
                page.cursor = map.next_value()?;
            } else {
                match key {
                    "pageNumber" => page.page_number = map.next_value()?,
                    "pageSize" => page.page_size = map.next_value()?,
                    "total" => page.total = map.next_value()?,
                    "pageCount" => page.page_count = map.next_value()?,
                    "nextUri" => page.next_uri = map.next_value()?,
                    "cursors" => after = map.next_value::<Option<Cursors>>()?.and_then(|c| c.after),
                    _ => {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
            }
        }
        if page.cursor.is_none() && self.cursor_field.is_some() {
            page.cursor = after;
        }
        Ok(page)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_are_found_and_decoded() {
        let uri = "/api/v2/assistants?pageSize=2&after=a%2Bb%3D&x=1";
        assert_eq!(query_value(uri, "after").as_deref(), Some("a+b="));
        assert_eq!(query_value(uri, "cursor"), None);
        assert_eq!(query_value("/no/query", "after"), None);
    }

    fn page(count: Option<u64>, next: Option<&str>, items: usize) -> Page<u8> {
        Page {
            items: vec![0; items],
            page_number: None,
            page_size: None,
            total: None,
            page_count: count,
            next_uri: next.map(str::to_owned),
            cursor: None,
        }
    }

    #[test]
    fn page_numbers_stop_at_the_page_count_or_an_empty_page() {
        let one = Next::Number(1);
        assert_eq!(
            page(Some(3), None, 2).next(Paging::Page, &one),
            Some(Next::Number(2))
        );
        assert_eq!(page(Some(1), Some("/x"), 2).next(Paging::Page, &one), None);
        assert_eq!(page(Some(3), None, 0).next(Paging::Page, &one), None);
        assert_eq!(
            page(None, Some("/x"), 2).next(Paging::Page, &one),
            Some(Next::Number(2))
        );
        assert_eq!(page(None, None, 2).next(Paging::Page, &one), None);
    }

    #[test]
    fn cursors_come_from_the_field_or_the_next_uri() {
        let first = Next::Token(String::new());
        let mut with_cursor = page(None, None, 1);
        with_cursor.cursor = Some("c2".into());
        assert_eq!(
            with_cursor.next(Paging::Cursor, &first),
            Some(Next::Token("c2".into()))
        );
        let linked = page(None, Some("/api/v2/x?after=t3&pageSize=2"), 1);
        assert_eq!(
            linked.next(Paging::After, &first),
            Some(Next::Token("t3".into()))
        );
        assert_eq!(page(None, None, 1).next(Paging::After, &first), None);
    }
}
