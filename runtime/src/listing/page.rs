//! One page of a listing: the envelope decoded in one pass (the items from the declared
//! field, the paging fields Genesys uses), where the next page is, and whether the server
//! announces more than it gave.

use std::fmt;
use std::marker::PhantomData;

use percent_encoding::percent_decode_str;
use serde::Deserialize;
use serde::de::{self, DeserializeOwned, DeserializeSeed, IgnoredAny, MapAccess, Visitor};

use crate::error::text::snippet;
use crate::error::{DecodeError, Error, Result};
use crate::request::endpoint::Paging;
use crate::response::RawResponse;
use key::{Key, KeySeed};

mod key;

/// One page of a listing: its items and the paging fields the server sent. The rest of the
/// answer (the envelope: `aggregations`, `dataAvailabilityDate`, …) is read with
/// [`Page::envelope`].
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Page<T> {
    /// The items (the `entities` field, or the one declared with `items = "..."`).
    pub items: Vec<T>,
    /// `pageNumber`, in page-numbered listings.
    pub page_number: Option<u64>,
    /// `pageSize` (SCIM: `itemsPerPage`).
    pub page_size: Option<u64>,
    /// `total`: how many items the whole listing has, when the server says (SCIM:
    /// `totalResults`).
    pub total: Option<u64>,
    /// `totalHits`: how many items an analytics query matched, when the server says.
    pub total_hits: Option<u64>,
    /// `pageCount`, in page-numbered listings.
    pub page_count: Option<u64>,
    /// `startIndex`, in SCIM listings (1-based).
    pub start_index: Option<u64>,
    /// `nextUri`: the server's link to the next page, when there is one.
    pub next_uri: Option<String>,
    /// `nextPage`: a search's link to the next page, when there is one.
    pub next_page: Option<String>,
    /// The cursor for the next page (`cursor`, `after`, `cursors.after`), when there is one.
    pub cursor: Option<String>,
    /// The whole answer, for [`Page::envelope`].
    pub(crate) answer: Answer,
}

/// A page's whole answer, kept for [`Page::envelope`] (its `Debug` shows only the length).
#[derive(Clone)]
pub(crate) struct Answer {
    route: crate::error::Route,
    status: http::StatusCode,
    body: bytes::Bytes,
}

impl fmt::Debug for Answer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<{} bytes>", self.body.len())
    }
}

impl<T> Page<T> {
    /// The page's whole answer decoded as `E`: declare a struct with the envelope fields
    /// you need (`aggregations`, `dataAvailabilityDate`, …) and leave the items out, so they
    /// are skipped rather than decoded twice.
    ///
    /// ```no_run
    /// # use genesys_runtime::{Listing, Result};
    /// #[derive(serde::Deserialize)]
    /// #[serde(rename_all = "camelCase")]
    /// struct Envelope {
    ///     data_availability_date: Option<String>,
    /// }
    /// # async fn run(listing: Listing<serde_json::Value>) -> Result<()> {
    /// let mut pages = listing.pages();
    /// while let Some(page) = pages.try_next().await? {
    ///     let envelope: Envelope = page.envelope()?;
    ///     println!("{} items, data up to {:?}", page.items.len(), envelope.data_availability_date);
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::Decode`] when the answer does not decode as `E`.
    pub fn envelope<E: DeserializeOwned>(&self) -> Result<E> {
        let answer = &self.answer;
        serde_json::from_slice(&answer.body).map_err(|source| {
            Error::Decode(Box::new(DecodeError {
                route: answer.route.clone(),
                status: answer.status,
                headers: http::HeaderMap::new(),
                type_name: std::any::type_name::<E>(),
                page: true,
                snippet: snippet(&answer.body),
                source: std::sync::Arc::new(source),
            }))
        })
    }
}

/// Where the next page is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Next {
    /// `pageNumber=n` (in the query or the body).
    Number(u64),
    /// `startIndex=n` (SCIM).
    Index(u64),
    /// `cursor=...` or `after=...` (in the query or the body); empty for the first page.
    Token(String),
    /// A link the previous page gave (`nextUri`, `nextPage`); empty for the first page.
    Link(String),
}

/// A page as decoded, with whether its items field was there at all.
pub(crate) struct Decoded<T> {
    pub(crate) page: Page<T>,
    /// Whether the items field was present and not `null`.
    pub(crate) items_present: bool,
}

impl<T> Page<T> {
    /// Whether, by its own paging fields, a numbered listing goes on after this page (page
    /// `number`, after `read_before` items, asked in pages of `asked`): `pageCount` above
    /// this page's number, else `total` (or `totalHits`) above the items read so far, else a
    /// `nextUri`, else a full page.
    fn more_by_count(&self, number: u64, read_before: u64, asked: Option<u32>) -> bool {
        let read = read_before.saturating_add(self.items.len() as u64);
        match (self.page_count, self.total.or(self.total_hits)) {
            (Some(count), _) => number < count,
            (None, Some(total)) => read < total,
            (None, None) => self.next_uri.is_some() || self.full(asked),
        }
    }

    /// Whether the page holds as many items as a page can (the size asked for, else the
    /// `pageSize` it reports): without any count, a full page may have a successor.
    fn full(&self, asked: Option<u32>) -> bool {
        asked
            .map(u64::from)
            .or(self.page_size)
            .is_some_and(|size| size > 0 && self.items.len() as u64 >= size)
    }

    /// The cursor for the next page: its `cursor` (or `after`, or `cursors.after`) field,
    /// else the one in its `nextUri`.
    fn next_token(&self, paging: Paging) -> Option<String> {
        let parameter = paging.parameter()?;
        self.cursor
            .clone()
            .or_else(|| query_value(self.next_uri.as_deref()?, parameter))
            .filter(|token| !token.is_empty())
    }

    /// The link to the next page of a link style.
    fn next_link(&self, paging: Paging) -> Option<String> {
        match paging {
            Paging::NextUri => self.next_uri.clone(),
            Paging::NextPage => self.next_page.clone(),
            _ => None,
        }
        .filter(|link| !link.is_empty())
    }

    /// The next page after this one, requested as `requested` after `read_before` items in
    /// pages of `asked`; `None` at the end (an empty page ends a numbered listing).
    pub(crate) fn next(
        &self,
        paging: Paging,
        requested: &Next,
        read_before: u64,
        asked: Option<u32>,
    ) -> Option<Next> {
        let read = read_before.saturating_add(self.items.len() as u64);
        match requested {
            Next::Number(number) => (self.more_by_count(*number, read_before, asked)
                && !self.items.is_empty())
            .then(|| Next::Number(number.saturating_add(1))),
            Next::Index(index) => {
                let more = match self.total {
                    Some(total) => read < total,
                    None => self.full(asked),
                };
                (more && !self.items.is_empty())
                    .then(|| Next::Index(index.saturating_add(self.items.len() as u64)))
            }
            Next::Token(_) => self.next_token(paging).map(Next::Token),
            Next::Link(_) => self.next_link(paging).map(Next::Link),
        }
    }

    /// What the server announces beyond this page, in words for an error (`None`: nothing
    /// more): any of `pageCount` above this page's number, `total` (or `totalHits`) above
    /// the items read so far, a cursor or link for the next page, or a `nextUri`.
    pub(crate) fn announced(
        &self,
        paging: Paging,
        requested: &Next,
        read_before: u64,
    ) -> Option<String> {
        let read = read_before.saturating_add(self.items.len() as u64);
        if let (Next::Number(number), Some(count)) = (requested, self.page_count) {
            if *number < count {
                return Some(format!("`pageCount` {count} on page {number}"));
            }
        }
        if let Some(total) = self.total.filter(|total| read < *total) {
            return Some(format!("`total` {total} with {read} items read"));
        }
        if let Some(hits) = self.total_hits.filter(|hits| read < *hits) {
            return Some(format!("`totalHits` {hits} with {read} items read"));
        }
        if matches!(requested, Next::Token(_)) && self.next_token(paging).is_some() {
            return Some("a cursor for the next page".to_owned());
        }
        if paging == Paging::NextPage && self.next_link(paging).is_some() {
            return Some("a `nextPage`".to_owned());
        }
        self.next_uri.as_ref().map(|_| "a `nextUri`".to_owned())
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
) -> Result<Decoded<T>> {
    let mut deserializer = serde_json::Deserializer::from_slice(&response.body);
    let decoded = PageSeed::<T> {
        field,
        cursor_field: match paging {
            Paging::Cursor | Paging::After | Paging::BodyCursor | Paging::BodyAfter => {
                paging.parameter()
            }
            _ => None,
        },
        answer: Answer {
            route: response.route.clone(),
            status: response.status,
            body: response.body.clone(),
        },
        item: PhantomData,
    }
    .deserialize(&mut deserializer)
    .and_then(|page| deserializer.end().map(|()| page));
    decoded.map_err(|source| page_error::<T>(response, source))
}

/// A page that could not be decoded, or that cannot be right (`why`): it repeats an earlier
/// one, or it lacks its items while more are announced.
pub(crate) fn refused_page<T>(response: &RawResponse, why: impl fmt::Display) -> Error {
    page_error::<T>(response, <serde_json::Error as de::Error>::custom(why))
}

/// A page that could not be decoded.
fn page_error<T>(response: &RawResponse, source: serde_json::Error) -> Error {
    Error::Decode(Box::new(DecodeError {
        route: response.route.clone(),
        status: response.status,
        headers: response.headers.clone(),
        type_name: std::any::type_name::<T>(),
        page: true,
        snippet: snippet(&response.body),
        source: std::sync::Arc::new(source),
    }))
}

struct PageSeed<T> {
    field: &'static str,
    /// `cursor` or `after`: a top-level field of that name is the next cursor.
    cursor_field: Option<&'static str>,
    answer: Answer,
    item: PhantomData<fn() -> T>,
}

/// `cursors: { "after": "..." }`.
#[derive(Deserialize)]
struct Cursors {
    after: Option<String>,
}

impl<'de, T: DeserializeOwned> DeserializeSeed<'de> for PageSeed<T> {
    type Value = Decoded<T>;

    fn deserialize<D: de::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Decoded<T>, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de, T: DeserializeOwned> Visitor<'de> for PageSeed<T> {
    type Value = Decoded<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a page object with its items in `{}`", self.field)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Decoded<T>, A::Error> {
        let mut page = Page {
            items: Vec::new(),
            page_number: None,
            page_size: None,
            total: None,
            total_hits: None,
            page_count: None,
            start_index: None,
            next_uri: None,
            next_page: None,
            cursor: None,
            answer: self.answer,
        };
        let mut after = None;
        let mut items_present = false;
        let keys = || KeySeed {
            items: self.field,
            cursor: self.cursor_field,
        };
        while let Some(key) = map.next_key_seed(keys())? {
            match key {
                Key::Items => {
                    let items = map.next_value::<Option<Vec<T>>>()?;
                    items_present = items.is_some();
                    page.items = items.unwrap_or_default();
                }
                Key::Cursor => page.cursor = map.next_value()?,
                Key::PageNumber => page.page_number = map.next_value()?,
                Key::PageSize => page.page_size = map.next_value()?,
                Key::Total => page.total = map.next_value()?,
                Key::TotalHits => page.total_hits = map.next_value()?,
                Key::PageCount => page.page_count = map.next_value()?,
                Key::StartIndex => page.start_index = map.next_value()?,
                Key::NextUri => page.next_uri = map.next_value()?,
                Key::NextPage => page.next_page = map.next_value()?,
                Key::Cursors => {
                    after = map.next_value::<Option<Cursors>>()?.and_then(|c| c.after);
                }
                Key::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        if page.cursor.is_none() && self.cursor_field.is_some() {
            page.cursor = after;
        }
        Ok(Decoded {
            page,
            items_present,
        })
    }
}

#[cfg(test)]
mod tests;
