//! The bounded buffer between the session and the consumer.
//!
//! It holds at most `capacity` items. When it is full, a new event is dropped and counted;
//! when room comes back, the next item is a [`Gap`] with the exact count before any newer
//! event (or, if nothing newer arrives, when the consumer has read everything). A slow
//! consumer therefore costs at most `capacity` events of memory, and loses nothing silently.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};

use tokio::time::Instant;

use crate::{Error, Gap, GapReason, Notification};

/// The default capacity: 1,024 events.
pub const DEFAULT_BUFFER: usize = 1_024;

#[derive(Debug)]
struct Overflow {
    since: Instant,
    missed: u64,
}

#[derive(Debug)]
struct Queue {
    items: VecDeque<Notification>,
    capacity: usize,
    overflow: Option<Overflow>,
    /// The stream's end: `Some` once the session is over.
    end: Option<Option<Error>>,
    waker: Option<Waker>,
    /// The most items held at once.
    peak: usize,
}

/// Shared by the session (writer) and the stream (reader).
#[derive(Clone, Debug)]
pub(crate) struct Buffer(Arc<Mutex<Queue>>);

impl Buffer {
    pub(crate) fn new(capacity: usize) -> Self {
        Buffer(Arc::new(Mutex::new(Queue {
            items: VecDeque::with_capacity(capacity.min(DEFAULT_BUFFER)),
            capacity: capacity.max(2),
            overflow: None,
            end: None,
            waker: None,
            peak: 0,
        })))
    }

    fn lock(&self) -> MutexGuard<'_, Queue> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Queues an item; an event that does not fit is counted in the pending overflow gap.
    pub(crate) fn push(&self, item: Notification) {
        let mut q = self.lock();
        let room = q.capacity - q.items.len();
        if q.overflow.is_some() {
            // The gap goes first, and needs a slot of its own.
            if room >= 2 {
                let gap = q.take_overflow();
                q.items.push_back(gap);
                q.items.push_back(item);
            } else if let Some(o) = q.overflow.as_mut() {
                o.missed += 1;
            }
        } else if room >= 1 {
            q.items.push_back(item);
        } else {
            q.overflow = Some(Overflow {
                since: Instant::now(),
                missed: 1,
            });
        }
        q.peak = q.peak.max(q.items.len());
        if let Some(waker) = q.waker.take() {
            waker.wake();
        }
    }

    /// Ends the stream (after what is queued): with the error that ended it, if any.
    pub(crate) fn end(&self, error: Option<Error>) {
        let mut q = self.lock();
        if q.end.is_none() {
            q.end = Some(error);
        }
        if let Some(waker) = q.waker.take() {
            waker.wake();
        }
    }

    pub(crate) fn poll_next(
        &self,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Notification, Error>>> {
        let mut q = self.lock();
        if let Some(item) = q.items.pop_front() {
            return Poll::Ready(Some(Ok(item)));
        }
        if q.overflow.is_some() {
            return Poll::Ready(Some(Ok(q.take_overflow())));
        }
        match q.end.as_mut() {
            Some(end) => Poll::Ready(end.take().map(Err)),
            None => {
                q.waker = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }

    /// (items held now, the most held at once, capacity).
    pub(crate) fn usage(&self) -> (usize, usize, usize) {
        let q = self.lock();
        (q.items.len(), q.peak, q.capacity)
    }
}

impl Queue {
    fn take_overflow(&mut self) -> Notification {
        let o = self.overflow.take().expect("checked by the caller");
        tracing::warn!(
            target: "genesys.notifications",
            missed = o.missed,
            "the consumer read too slowly: events were dropped"
        );
        Notification::Gap(Gap {
            since: o.since,
            until: Instant::now(),
            reason: GapReason::Overflow,
            missed: Some(o.missed),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Event;

    fn event(n: u64) -> Notification {
        Notification::Event(Event {
            topic: "t".into(),
            version: None,
            correlation_id: Some(n.to_string()),
            body: serde_json::Value::Null,
        })
    }

    #[tokio::test]
    async fn a_full_buffer_counts_what_it_drops_and_reports_it_in_order() {
        let buffer = Buffer::new(4);
        for n in 0..10 {
            buffer.push(event(n));
        }
        assert_eq!(buffer.usage().0, 4);
        let mut seen = Vec::new();
        let waker = futures_util::task::noop_waker();
        let mut cx = Context::from_waker(&waker);
        // Read three, then two more arrive: the gap comes before them.
        for _ in 0..3 {
            seen.push(buffer.poll_next(&mut cx));
        }
        buffer.push(event(10));
        buffer.push(event(11));
        buffer.end(None);
        while let Poll::Ready(Some(item)) = buffer.poll_next(&mut cx) {
            seen.push(Poll::Ready(Some(item)));
        }
        let text: Vec<String> = seen
            .into_iter()
            .map(|p| match p {
                Poll::Ready(Some(Ok(Notification::Event(e)))) => e.correlation_id.unwrap(),
                Poll::Ready(Some(Ok(Notification::Gap(g)))) => format!("gap {:?}", g.missed),
                other => format!("{other:?}"),
            })
            .collect();
        assert_eq!(text, ["0", "1", "2", "3", "gap Some(6)", "10", "11"]);
        assert!(buffer.usage().1 <= 4);
    }
}
