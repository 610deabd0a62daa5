//! The bounded buffer between the session and the consumer.
//!
//! It holds at most `capacity` items. When it is full, a new event is dropped and counted;
//! when room comes back, the next item is a [`Gap`] with the exact count before any newer
//! event (or, if nothing newer arrives, when the consumer has read everything). A gap the
//! session reports while the buffer is full is never dropped: gaps that arrive then are
//! merged into one, delivered just before the count. A slow consumer therefore costs at most
//! `capacity` events and two gaps of memory, and loses nothing silently.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};

use tokio::time::Instant;

use crate::{Error, Gap, GapReason, Notification};

/// The default capacity: 1,024 events.
pub const DEFAULT_BUFFER: usize = 1_024;

/// What arrived while the buffer was full.
#[derive(Debug)]
struct Overflow {
    /// When the first item was refused.
    since: Instant,
    /// Events dropped.
    missed: u64,
    /// The session's gaps that arrived meanwhile, merged into one.
    lost: Option<Gap>,
}

impl Overflow {
    /// Takes in an item that did not fit.
    fn absorb(&mut self, item: Notification) {
        match item {
            Notification::Event(_) => self.missed += 1,
            Notification::Gap(gap) => {
                self.lost = Some(match self.lost.take() {
                    None => gap,
                    Some(held) => Gap {
                        since: held.since.min(gap.since),
                        until: held.until.max(gap.until),
                        reason: held.reason,
                        missed: held.missed.zip(gap.missed).map(|(a, b)| a + b),
                    },
                });
            }
        }
    }

    /// How many items it becomes.
    fn len(&self) -> usize {
        usize::from(self.lost.is_some()) + usize::from(self.missed > 0)
    }
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

    /// Queues an item; one that does not fit is counted (an event) or merged (a gap) into
    /// what the consumer is told when room comes back.
    pub(crate) fn push(&self, item: Notification) {
        let mut q = self.lock();
        let room = q.capacity.saturating_sub(q.items.len());
        let pending = q.overflow.as_ref().map(Overflow::len);
        match pending {
            // What overflowed goes first, and needs room of its own.
            Some(pending) if room > pending => {
                q.flush_overflow();
                q.items.push_back(item);
            }
            None if room >= 1 => q.items.push_back(item),
            _ => q
                .overflow
                .get_or_insert_with(|| Overflow {
                    since: Instant::now(),
                    missed: 0,
                    lost: None,
                })
                .absorb(item),
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
        if q.items.is_empty() {
            q.flush_overflow();
        }
        if let Some(item) = q.items.pop_front() {
            return Poll::Ready(Some(Ok(item)));
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
    /// Queues what overflowed, if anything: the merged gaps, then the count of events dropped.
    fn flush_overflow(&mut self) {
        let Some(o) = self.overflow.take() else {
            return;
        };
        if let Some(lost) = o.lost {
            self.items.push_back(Notification::Gap(lost));
        }
        if o.missed > 0 {
            tracing::warn!(
                target: "genesys.notifications",
                missed = o.missed,
                "the consumer read too slowly: events were dropped"
            );
            self.items.push_back(Notification::Gap(Gap {
                since: o.since,
                until: Instant::now(),
                reason: GapReason::Overflow,
                missed: Some(o.missed),
            }));
        }
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

    fn lost(reason: GapReason) -> Notification {
        let now = Instant::now();
        Notification::Gap(Gap {
            since: now,
            until: now,
            reason,
            missed: None,
        })
    }

    /// Drains a buffer: events by id, gaps by reason and count.
    fn drain(buffer: &Buffer, reads: usize) -> Vec<String> {
        let waker = futures_util::task::noop_waker();
        let mut cx = Context::from_waker(&waker);
        let mut seen = Vec::new();
        while seen.len() < reads {
            match buffer.poll_next(&mut cx) {
                Poll::Ready(Some(Ok(Notification::Event(e)))) => {
                    seen.push(e.correlation_id.unwrap_or_default());
                }
                Poll::Ready(Some(Ok(Notification::Gap(g)))) => {
                    seen.push(format!("{:?} {:?}", g.reason, g.missed));
                }
                _ => break,
            }
        }
        seen
    }

    #[tokio::test]
    async fn a_gap_reported_while_the_buffer_is_full_is_merged_and_delivered_not_counted() {
        let buffer = Buffer::new(4);
        for n in 0..4 {
            buffer.push(event(n));
        }
        // While full: a lost socket's gap, two events, a silent socket's gap, an event.
        buffer.push(lost(GapReason::SocketLost));
        buffer.push(event(4));
        buffer.push(event(5));
        buffer.push(lost(GapReason::Silent));
        assert_eq!(drain(&buffer, 1), ["0"]);
        // Room for one item is not room for what overflowed: this one is counted too.
        buffer.push(event(6));
        assert_eq!(drain(&buffer, 3), ["1", "2", "3"]);
        buffer.push(event(7));
        buffer.end(None);
        assert_eq!(
            drain(&buffer, usize::MAX),
            ["SocketLost None", "Overflow Some(3)", "7"]
        );
        assert!(buffer.usage().1 <= 4);
    }
}
