//! One token fetch, shared: it runs as its own task, so that the callers waiting for it can
//! each leave at their own timeout without cancelling it for the others, and every one of
//! them gets its outcome, a failure included. When the last of them has left, the fetch is
//! cancelled: nothing runs on for nobody.

use std::sync::Arc;

use http::HeaderValue;
use tokio::sync::watch;
use tracing::Instrument;

use crate::client::ClientInner;
use crate::error::{Error, Result, TokenSourceError};

/// A fetch in flight. The callers waiting for it hold it in an `Arc`; the cache keeps only a
/// `Weak`, so that dropping the last caller's handle cancels the fetch.
pub(super) struct Flight {
    outcome: watch::Receiver<Option<Result<HeaderValue>>>,
    task: tokio::task::AbortHandle,
}

impl Drop for Flight {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Flight {
    /// Starts fetch number `id` from the token source of the client's credential `member`,
    /// on the current Tokio runtime.
    pub(super) fn start(inner: &Arc<ClientInner>, member: usize, id: u64) -> Result<Arc<Flight>> {
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return Err(Error::config(
                "a call needs a Tokio runtime to fetch its access token: make calls inside `#[tokio::main]`, `#[tokio::test]` or a `tokio::runtime::Runtime`",
            ));
        };
        let (sender, outcome) = watch::channel(None);
        let inner = Arc::clone(inner);
        let fetch = async move {
            if let Some(cache) = &inner.credentials.get(member).auth {
                let result = cache.fetch(&inner, id).await;
                // No receiver left: every caller has gone, nothing to tell.
                let _ = sender.send(Some(result));
            }
        };
        // The span of the call that started it: the token request's own span nests there.
        let task = runtime.spawn(fetch.in_current_span());
        Ok(Arc::new(Flight {
            outcome,
            task: task.abort_handle(),
        }))
    }

    /// Waits for the fetch's outcome. A fetch that ended without one panicked (the panic is
    /// contained in its task): that is the outcome, named after the source.
    pub(super) async fn outcome(&self, source: &'static str) -> Result<HeaderValue> {
        let mut outcome = self.outcome.clone();
        match outcome.wait_for(Option::is_some).await.as_deref() {
            Ok(Some(result)) => result.clone(),
            _ => Err(TokenSourceError::panicked(source).into()),
        }
    }
}
