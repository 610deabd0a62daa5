//! [`ByteStream`]: a 2xx body read as it arrives (a download, an export), never held whole
//! in memory and not subject to the response cap; each chunk must arrive within the
//! attempt's timeout, and the whole body within the call's deadline, if it has one.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};
use std::time::{Duration, Instant};

use bytes::Bytes;
use futures_core::Stream;
use http::{HeaderMap, StatusCode, header};
use http_body::Body as _;

use super::{FromResponse, RawResponse};
use crate::error::{self, Error, Result, Route, TimeoutError, TransportError, Waiting};
use crate::send::wait::tokio_after;

/// The unread body of a streamed response, with the wait allowed between chunks and the
/// instant by which the whole body must have arrived.
#[derive(Debug)]
pub(crate) struct Unread {
    pub(crate) body: reqwest::Body,
    pub(crate) idle: Duration,
    /// Which setting `idle` is, for the timeout error.
    pub(crate) what: &'static str,
    /// The call's deadline: when, the whole bound, and which setting it is.
    pub(crate) deadline: Option<(Instant, Duration, &'static str)>,
}

/// A response body read chunk by chunk: declare `-> Result<ByteStream>` for a download.
///
/// The call (retries, credentials, errors) ends when the status and headers arrive; the
/// body is then read as you pull it, in the chunks the server sends, with bounded memory
/// and no size cap. Each chunk must arrive within the attempt's timeout (the endpoint's
/// `timeout`, a call's `timeout` option, or the client's `request_timeout`), and the whole
/// body within the call's [`deadline`](crate::CallOptions::deadline) when it has one (or
/// the one set here with [`deadline`](Self::deadline)); otherwise the next read is an
/// [`Error::Timeout`]. It is a [`Stream`] of `Result<Bytes>`, or read it with
/// [`chunk`](Self::chunk):
///
/// ```no_run
/// # async fn run(mut download: genesys_runtime::ByteStream) -> genesys_runtime::Result<()> {
/// let mut total = 0;
/// while let Some(chunk) = download.chunk().await? {
///     total += chunk.len(); // write it to a file, hash it, parse it ...
/// }
/// # Ok(()) }
/// ```
pub struct ByteStream {
    route: Route,
    status: StatusCode,
    headers: HeaderMap,
    source: Source,
}

enum Source {
    Wire {
        body: reqwest::Body,
        idle: Duration,
        what: &'static str,
        timer: Pin<Box<tokio::time::Sleep>>,
        /// The bound on the whole body, with its length and setting for the error.
        deadline: Option<(Pin<Box<tokio::time::Sleep>>, Duration, &'static str)>,
    },
    /// A body that was read already (a response built from its parts).
    Buffered(Option<Bytes>),
    Done,
}

impl ByteStream {
    /// The HTTP status (always 2xx: other statuses are errors).
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The `ININ-Correlation-Id` header.
    pub fn correlation_id(&self) -> Option<&str> {
        error::correlation_id(&self.headers)
    }

    /// The `Content-Type` header, if it is text.
    pub fn content_type(&self) -> Option<&str> {
        self.headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
    }

    /// The declared `Content-Length`, if any (before decompression).
    pub fn content_length(&self) -> Option<u64> {
        self.headers
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok())
    }

    /// Bounds the rest of the download: the body must have arrived whole within `rest` from
    /// now (and within the call's own deadline, if that ends first), or the next read is an
    /// [`Error::Timeout`]. A server that trickles a byte just within each chunk's timeout
    /// cannot keep it open longer.
    ///
    /// ```no_run
    /// # async fn run(download: genesys_runtime::ByteStream) -> genesys_runtime::Result<()> {
    /// use std::time::Duration;
    /// let mut download = download.deadline(Duration::from_secs(600));
    /// while let Some(chunk) = download.chunk().await? { let _ = chunk; }
    /// # Ok(()) }
    /// ```
    #[must_use]
    pub fn deadline(mut self, rest: Duration) -> Self {
        if let Source::Wire { deadline, .. } = &mut self.source {
            let ends_sooner = deadline
                .as_ref()
                .is_none_or(|(timer, _, _)| tokio_after(rest) < timer.deadline());
            if ends_sooner {
                *deadline = Some((
                    Box::pin(tokio::time::sleep_until(tokio_after(rest))),
                    rest,
                    "download's `deadline`",
                ));
            }
        }
        self
    }

    /// The next chunk, or `None` at the end of the body.
    pub async fn chunk(&mut self) -> Result<Option<Bytes>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx))
            .await
            .transpose()
    }

    fn transport(&self, source: reqwest::Error) -> Error {
        Error::Transport(Box::new(TransportError::from_reqwest(
            self.route.clone(),
            source,
            true,
        )))
    }

    fn timeout(&mut self, timeout: Duration, what: &'static str) -> Poll<Option<Result<Bytes>>> {
        self.source = Source::Done;
        let error = TimeoutError::new(self.route.clone(), timeout, what).waiting(Waiting::Body);
        Poll::Ready(Some(Err(Error::Timeout(Box::new(error)))))
    }
}

impl Stream for ByteStream {
    type Item = Result<Bytes>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Bytes>>> {
        let this = self.get_mut();
        loop {
            let (body, idle, what, timer, deadline) = match &mut this.source {
                Source::Done => return Poll::Ready(None),
                Source::Buffered(bytes) => {
                    let next = bytes.take().filter(|b| !b.is_empty());
                    if next.is_none() {
                        this.source = Source::Done;
                    }
                    return Poll::Ready(next.map(Ok));
                }
                Source::Wire {
                    body,
                    idle,
                    what,
                    timer,
                    deadline,
                } => (body, *idle, *what, timer, deadline),
            };
            // The whole body's bound holds even while chunks keep coming.
            if let Some((end, total, setting)) = deadline {
                if end.as_mut().poll(cx).is_ready() {
                    let (total, setting) = (*total, *setting);
                    return this.timeout(total, setting);
                }
            }
            match Pin::new(&mut *body).poll_frame(cx) {
                Poll::Ready(Some(Ok(frame))) => {
                    timer.as_mut().reset(tokio_after(idle));
                    match frame.into_data() {
                        Ok(data) if data.is_empty() => continue,
                        Ok(data) => return Poll::Ready(Some(Ok(data))),
                        // Trailers: nothing to hand over.
                        Err(_) => continue,
                    }
                }
                Poll::Ready(Some(Err(e))) => {
                    this.source = Source::Done;
                    return Poll::Ready(Some(Err(this.transport(e))));
                }
                Poll::Ready(None) => {
                    this.source = Source::Done;
                    return Poll::Ready(None);
                }
                Poll::Pending => {
                    ready!(timer.as_mut().poll(cx));
                    return this.timeout(idle, what);
                }
            }
        }
    }
}

#[diagnostic::do_not_recommend]
impl FromResponse for ByteStream {
    const STREAMED: bool = true;

    fn from_response(response: RawResponse) -> Result<Self> {
        let source = match response.unread {
            Some(unread) => {
                let Unread {
                    body,
                    idle,
                    what,
                    deadline,
                } = *unread;
                Source::Wire {
                    body,
                    idle,
                    what,
                    timer: Box::pin(tokio::time::sleep_until(tokio_after(idle))),
                    deadline: deadline.map(|(at, total, setting)| {
                        let rest = at.saturating_duration_since(Instant::now());
                        let end = tokio::time::sleep_until(tokio_after(rest));
                        (Box::pin(end), total, setting)
                    }),
                }
            }
            None => Source::Buffered(Some(response.body)),
        };
        Ok(ByteStream {
            route: response.route,
            status: response.status,
            headers: response.headers,
            source,
        })
    }
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStream")
            .field("route", &self.route)
            .field("status", &self.status)
            .field("content_length", &self.content_length())
            .finish_non_exhaustive()
    }
}
