//! Listings: an endpoint declared with `paging = "..."` returns a [`Listing`], read as a
//! stream of items ([`Listing::items`]) or of pages ([`Listing::pages`]). Each page is one
//! ordinary call (credentials, retries, `Retry-After`, timeouts, the body cap), sent only
//! when the stream is read past the previous page.

pub(crate) mod page;
mod repeats;
mod request;

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use bytes::Bytes;
use futures_core::Stream;
use http::{HeaderMap, HeaderValue};
use serde::de::DeserializeOwned;

use crate::client::Client;
use crate::error::{Error, Result};
use crate::request::RequestBuilder;
use crate::request::endpoint::{Endpoint, Paging};
use crate::response::{Decoder, RawResponse};
pub use page::Page;
use page::{Decoded, Next};
use repeats::{Fingerprint, Repeats};
use request::{PageUrl, body_with_paging, follow};

/// A listing endpoint's results, not fetched yet: choose a page size and a limit, then read
/// it as a stream of items or of pages.
///
/// ```no_run
/// # use genesys_runtime::{Listing, Result};
/// # async fn run(users: Listing<serde_json::Value>) -> Result<()> {
/// let mut users = users.page_size(100).limit(250).items();
/// while let Some(user) = users.try_next().await? {
///     println!("{user}");
/// }
/// # Ok(()) }
/// ```
///
/// Nothing is sent until the stream is read, and a page is fetched only when the items
/// before it have been read (backpressure), so `limit(10)` on 100-item pages sends one
/// request. Pages follow the declared [`Paging`] style: `pageNumber=1, 2, …` (in the query,
/// or in the JSON body) until `pageCount` (or, without it, until `total` or `totalHits`
/// items were read; without any, while there is a `nextUri` or the page is full); SCIM's
/// `startIndex` until `totalResults`; or the `cursor` / `after` the previous page gives (in a
/// field or in its `nextUri`), until there is none. For those styles `nextUri` itself is
/// never requested: the next request is the declared one with the new page or cursor, to the
/// client's own host. The `next-uri` and `next-page` styles request the answer's link, and
/// only on the client's own host under `/api/`: a link anywhere else ends the listing with
/// an [`Error::InvalidArgument`] that names it, and is never requested.
///
/// A listing always ends. An empty page ends a numbered listing. A server that loops (a
/// cursor it gave before, or the same page for every page number) ends it with an
/// [`Error::Decode`] that says so, found in memory of one cursor or page whatever the length
/// of the listing. A page without its items field (or with `null` there) while the server
/// announces more is an [`Error::Decode`] too, naming the field and `items = "..."`: a
/// misnamed field never lists nothing silently.
#[must_use = "a listing sends nothing until it is read: call `.items()` or `.pages()`"]
pub struct Listing<T> {
    fetch: Fetch,
    page_size: Option<u32>,
    limit: Option<usize>,
    item: std::marker::PhantomData<fn() -> T>,
}

/// What every page's request shares.
struct Fetch {
    client: Client,
    endpoint: &'static Endpoint,
    paging: Paging,
    field: &'static str,
    /// The URL with the declared arguments, before the paging parameters.
    url: String,
    /// Whether `url` has a query already.
    has_query: bool,
    headers: Option<HeaderMap>,
    body: Option<(Bytes, HeaderValue)>,
    /// For a body-paged listing: the declared body as a JSON object, to set the paging
    /// fields in on each page.
    body_fields: Option<serde_json::Map<String, serde_json::Value>>,
    refused: Option<Error>,
}

impl<T: DeserializeOwned + Send + 'static> Listing<T> {
    pub(crate) fn new(request: RequestBuilder<'_>) -> Self {
        let (paging, field) = request
            .endpoint
            .paging
            .unwrap_or((Paging::Page, "entities"));
        let mut refused = request.error;
        let body_fields = paging.in_body().then(|| {
            let fields = match &request.body {
                None => Ok(serde_json::Map::new()),
                Some((bytes, _)) => serde_json::from_slice(bytes),
            };
            fields.unwrap_or_else(|_| {
                refused.get_or_insert_with(|| {
                    Error::invalid_argument(
                        "body",
                        format!(
                            "a `paging = \"{paging}\"` listing sets its paging fields in the body, so the body must be a JSON object"
                        ),
                    )
                });
                serde_json::Map::new()
            })
        });
        Listing {
            fetch: Fetch {
                client: request.client.clone(),
                endpoint: request.endpoint,
                paging,
                field,
                url: request.url,
                has_query: request.has_query,
                headers: request.headers,
                body: request.body,
                body_fields,
                refused,
            },
            page_size: None,
            limit: None,
            item: std::marker::PhantomData,
        }
    }

    /// Asks for pages of `size` items (`pageSize`); the server's default otherwise.
    pub fn page_size(mut self, size: u32) -> Self {
        self.page_size = Some(size);
        self
    }

    /// Stops after `count` items; no page is requested past the one holding the last.
    pub fn limit(mut self, count: usize) -> Self {
        self.limit = Some(count);
        self
    }

    /// The items, page after page.
    pub fn items(self) -> Items<T> {
        Items {
            pages: self.pages(),
            buffer: Vec::new().into_iter(),
        }
    }

    /// The pages, each with its paging fields (the last one cut at the limit).
    pub fn pages(self) -> Pages<T> {
        // The first request: page 1, index 1, no cursor yet, or the declared request.
        let first = match self.fetch.paging {
            Paging::Page | Paging::BodyPage | Paging::BodyPaging => Next::Number(1),
            Paging::Scim => Next::Index(1),
            Paging::NextUri | Paging::NextPage => Next::Link(String::new()),
            _ => Next::Token(String::new()),
        };
        Pages {
            fetch: self.fetch,
            page_size: self.page_size,
            remaining: self.limit,
            next: Some(first),
            progress: Some(Progress::default()),
            in_flight: None,
        }
    }

    /// Reads every item (up to the limit) into a `Vec`.
    pub async fn all(self) -> Result<Vec<T>> {
        let mut items = self.items();
        let mut all = Vec::new();
        while let Some(item) = items.try_next().await? {
            all.push(item);
        }
        Ok(all)
    }
}

impl<T> fmt::Debug for Listing<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Listing")
            .field("endpoint", &format_args!("{}", self.fetch.endpoint))
            .field("paging", &self.fetch.paging)
            .field("page_size", &self.page_size)
            .field("limit", &self.limit)
            .finish()
    }
}

type PageFuture<T> =
    Pin<Box<dyn Future<Output = Result<(Page<T>, Option<Next>, Progress)>> + Send>>;

/// What a listing has read so far: how many items the server gave, and the loop check.
/// Moved into each page's request and back.
#[derive(Debug, Default)]
struct Progress {
    read: u64,
    repeats: Repeats,
}

/// A stream of a listing's pages: `Stream<Item = Result<Page<T>>>`. An error ends it.
pub struct Pages<T> {
    fetch: Fetch,
    page_size: Option<u32>,
    /// Items still wanted, under a limit.
    remaining: Option<usize>,
    /// The page to request next; `None` at the end.
    next: Option<Next>,
    /// With the page in flight while it is requested.
    progress: Option<Progress>,
    in_flight: Option<PageFuture<T>>,
}

// Nothing in `Pages` is pinned in place (the page future is boxed).
impl<T> Unpin for Pages<T> {}

impl<T: DeserializeOwned + Send + 'static> Pages<T> {
    /// The next page, or `None` after the last.
    pub async fn try_next(&mut self) -> Result<Option<Page<T>>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx))
            .await
            .transpose()
    }

    /// Starts the request for `next`.
    fn request(&mut self, next: Next) -> PageFuture<T> {
        let fetch = &mut self.fetch;
        let size = self.page_size;
        let paging = fetch.paging;
        let mut url = PageUrl::new(&fetch.url, fetch.has_query);
        let mut body = fetch.body.clone();
        let mut refused = fetch.refused.take();
        if let Some(fields) = &fetch.body_fields {
            let content_type = body.as_ref().map_or_else(
                || HeaderValue::from_static("application/json"),
                |(_, content_type)| content_type.clone(),
            );
            body = Some((body_with_paging(fields, paging, &next, size), content_type));
        } else {
            match &next {
                Next::Link(link) if !link.is_empty() => match follow(&fetch.client, link) {
                    Ok(linked) => {
                        url = PageUrl {
                            has_query: linked.contains('?'),
                            url: linked,
                        }
                    }
                    Err(why) => refused = refused.or(Some(why)),
                },
                Next::Index(index) => {
                    url.number("startIndex", *index);
                    if let Some(size) = size {
                        url.number("count", size.into());
                    }
                }
                next => {
                    if let Some(size) = size {
                        url.number("pageSize", size.into());
                    }
                    match (next, paging.parameter()) {
                        (Next::Number(number), Some(parameter)) => url.number(parameter, *number),
                        // The first request of a cursor listing carries no cursor.
                        (Next::Token(token), Some(parameter)) if !token.is_empty() => {
                            url.text(parameter, token)
                        }
                        _ => {}
                    }
                }
            }
        }
        let client = fetch.client.clone();
        let endpoint = fetch.endpoint;
        let field = fetch.field;
        let headers = fetch.headers.clone();
        // A refused argument fails the first page, and so the listing.
        let mut progress = self.progress.take().unwrap_or_default();
        Box::pin(async move {
            let request = RequestBuilder::prepared(
                &client,
                endpoint,
                url.url,
                url.has_query,
                headers,
                body,
                refused,
            );
            let raw: RawResponse = crate::send::execute(request, Decoder::RAW).await?;
            let Decoded {
                page,
                items_present,
            } = page::decode::<T>(&raw, paging, field)?;
            if !items_present {
                if let Some(announced) = page.announced(paging, &next, progress.read) {
                    return Err(page::refused_page::<T>(
                        &raw,
                        format_args!(
                            "the page has no `{field}` field (or it is `null`), although the server announces more ({announced}); if this endpoint keeps its items in another field, declare it with `items = \"...\"`"
                        ),
                    ));
                }
            }
            let after = page.next(paging, &next, progress.read, size);
            let fingerprint = match &after {
                Some(Next::Token(token) | Next::Link(token)) => {
                    Some(Fingerprint::Token(token.clone()))
                }
                Some(Next::Number(_) | Next::Index(_)) => Some(Fingerprint::Body(raw.body.clone())),
                None => None,
            };
            if fingerprint.is_some_and(|f| progress.repeats.repeats(f)) {
                return Err(page::refused_page::<T>(
                    &raw,
                    looping(&next, after.as_ref()),
                ));
            }
            progress.read = progress.read.saturating_add(page.items.len() as u64);
            Ok((page, after, progress))
        })
    }
}

/// Why a looping listing was stopped.
fn looping(requested: &Next, after: Option<&Next>) -> String {
    match (requested, after) {
        (_, Some(Next::Token(token))) => format!(
            "the page repeats an earlier cursor `{}`; stopping rather than reading the same pages forever",
            crate::error::text::OneLine(token, 64)
        ),
        (Next::Number(number), _) => format!(
            "page {number} repeats an earlier page byte for byte (the server seems to ignore `pageNumber`); stopping rather than reading the same page forever"
        ),
        _ => "the listing loops; stopping rather than reading the same pages forever".to_owned(),
    }
}

impl<T: DeserializeOwned + Send + 'static> Stream for Pages<T> {
    type Item = Result<Page<T>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Page<T>>>> {
        let this = self.get_mut();
        if this.in_flight.is_none() {
            if this.remaining == Some(0) {
                return Poll::Ready(None);
            }
            let Some(next) = this.next.take() else {
                return Poll::Ready(None);
            };
            this.in_flight = Some(this.request(next));
        }
        let result = ready!(
            this.in_flight
                .as_mut()
                .expect("set above")
                .as_mut()
                .poll(cx)
        );
        this.in_flight = None;
        match result {
            Ok((mut page, after, progress)) => {
                this.progress = Some(progress);
                this.next = after;
                if let Some(remaining) = &mut this.remaining {
                    page.items.truncate(*remaining);
                    *remaining -= page.items.len();
                }
                Poll::Ready(Some(Ok(page)))
            }
            Err(error) => {
                this.next = None;
                Poll::Ready(Some(Err(error)))
            }
        }
    }
}

impl<T> fmt::Debug for Pages<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages")
            .field("endpoint", &format_args!("{}", self.fetch.endpoint))
            .field("next", &self.next)
            .finish_non_exhaustive()
    }
}

/// A stream of a listing's items: `Stream<Item = Result<T>>`. An error ends it.
pub struct Items<T> {
    pages: Pages<T>,
    buffer: std::vec::IntoIter<T>,
}

impl<T> Unpin for Items<T> {}

impl<T: DeserializeOwned + Send + 'static> Items<T> {
    /// The next item, or `None` after the last.
    pub fn try_next(&mut self) -> impl Future<Output = Result<Option<T>>> + Send + '_ {
        NextItem { items: self }
    }

    /// The next item from the page already read, or from the next page.
    fn poll_item(&mut self, cx: &mut Context<'_>) -> Poll<Result<Option<T>>> {
        loop {
            if let Some(item) = self.buffer.next() {
                return Poll::Ready(Ok(Some(item)));
            }
            match ready!(Pin::new(&mut self.pages).poll_next(cx)) {
                Some(Ok(page)) => self.buffer = page.items.into_iter(),
                Some(Err(error)) => return Poll::Ready(Err(error)),
                None => return Poll::Ready(Ok(None)),
            }
        }
    }
}

/// [`Items::try_next`]'s future.
struct NextItem<'a, T> {
    items: &'a mut Items<T>,
}

impl<T: DeserializeOwned + Send + 'static> Future for NextItem<'_, T> {
    type Output = Result<Option<T>>;

    #[inline]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<Option<T>>> {
        let items = &mut *self.get_mut().items;
        // Most items are in the page already read: handed over here, inlined where they are
        // awaited (each layer of wrapping would move the item once more).
        match items.buffer.next() {
            Some(item) => Poll::Ready(Ok(Some(item))),
            None => items.poll_item(cx),
        }
    }
}

impl<T: DeserializeOwned + Send + 'static> Stream for Items<T> {
    type Item = Result<T>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<T>>> {
        self.get_mut().poll_item(cx).map(Result::transpose)
    }
}

impl<T> fmt::Debug for Items<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items")
            .field("pages", &self.pages)
            .field("buffered", &self.buffer.len())
            .finish()
    }
}
