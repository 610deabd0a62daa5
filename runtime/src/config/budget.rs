//! The builder's rate-budget settings, and what a client reports of its budgets.

use std::sync::Arc;

use super::builder::ClientBuilder;
use crate::budget::{BudgetState, RateBudget, RateLimit};
use crate::client::Client;

impl ClientBuilder {
    /// Paces the client's API calls to a rate limit you know (such as
    /// `RateLimit::per_minute(300)`, a client-credentials token's default), so that a bulk
    /// job runs at the server's rate instead of finding the limit with `429`s. Off by
    /// default: the limit is per organization and per token, and only you know it. Without
    /// a pace the client still shares each `429`'s `Retry-After` among its calls, and learns
    /// a pace from the `429`s it gets. With several credentials, each is paced at `limit`.
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
        self.pace = Some(limit);
        self
    }

    /// Replaces the [`RateBudget`] of the client's (first) credential, by default a
    /// [`LocalBudget`](crate::budget::LocalBudget) with the [`rate_limit`](Self::rate_limit)
    /// pace if one is set: your own, backed by a store several processes share, or one
    /// budget shared by several clients that use the same credential. Credentials added with
    /// the `add_*` methods keep a budget of their own.
    pub fn rate_budget(mut self, budget: Arc<dyn RateBudget>) -> Self {
        self.budget = Some(budget);
        self
    }
}

impl Client {
    /// The state of the rate budget of the client's (first) credential: `429`s seen, calls delayed and for how long,
    /// and whether calls are held now; for metrics and alerts.
    pub fn rate_budget(&self) -> BudgetState {
        self.inner.credentials.get(0).budget.state()
    }

    /// The state of each credential's rate budget, in the order the credentials were given
    /// (one entry for a client with one credential, or none).
    pub fn rate_budgets(&self) -> Vec<BudgetState> {
        self.inner
            .credentials
            .iter()
            .map(|member| member.budget.state())
            .collect()
    }
}
