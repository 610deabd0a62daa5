//! The builder's rate-budget settings, and what a client reports of its budget.

use std::sync::Arc;

use super::builder::ClientBuilder;
use crate::budget::{BudgetState, LocalBudget, RateBudget, RateLimit};
use crate::client::Client;

impl ClientBuilder {
    /// Paces the client's API calls to a rate limit you know (such as
    /// `RateLimit::per_minute(300)`, a client-credentials token's default), so that a bulk
    /// job runs at the server's rate instead of finding the limit with `429`s. Off by
    /// default: the limit is per organization and per token, and only you know it. Without
    /// a pace the client still shares each `429`'s `Retry-After` among its calls.
    ///
    /// ```
    /// use genesys_runtime::{Client, RateLimit, RetryPolicy};
    /// let bulk = Client::builder()
    ///     .access_token("…")
    ///     .rate_limit(RateLimit::per_minute(300).burst(10))
    ///     .retry(RetryPolicy::bulk())
    ///     .build()?;
    /// # Ok::<(), genesys_runtime::Error>(())
    /// ```
    pub fn rate_limit(mut self, limit: RateLimit) -> Self {
        self.budget = Some(Arc::new(LocalBudget::new(Some(limit))));
        self
    }

    /// Replaces the client's [`RateBudget`] (by default a [`LocalBudget`] without a pace):
    /// your own, backed by a store several processes share, or one budget shared by
    /// several clients that use the same credential.
    pub fn rate_budget(mut self, budget: Arc<dyn RateBudget>) -> Self {
        self.budget = Some(budget);
        self
    }
}

impl Client {
    /// The state of the client's rate budget: `429`s seen, calls delayed and for how long,
    /// and whether calls are held now; for metrics and alerts.
    pub fn rate_budget(&self) -> BudgetState {
        self.inner.budget.state()
    }
}
