//! Waiting for the credential's rate budget before an attempt, within the call's bounds.

use std::time::Instant;

use super::call::{Call, DEADLINE};
use super::retry::RetryPolicy;
use super::wait::WaitBudget;
use crate::error::{Error, Result, TimeoutError, Waiting};

impl Call<'_> {
    /// Waits until `at`, the moment the budget gave; a wait past the call's deadline or
    /// beyond what remains of its `max_total_wait` is not started: the call ends at once.
    /// A `429` on the credential while it waited holds the credential again: the slot it
    /// waited for came before that hold's end, so it asks the budget again (a few times at
    /// most: the budget's own pace orders the calls after the hold).
    pub(crate) async fn wait_for_budget(
        &mut self,
        mut at: Instant,
        budget: &mut WaitBudget,
        policy: &RetryPolicy,
    ) -> Result<()> {
        for _ in 0..4 {
            self.wait_once(at, budget, policy).await?;
            let member = self.inner.credentials.get(self.member);
            if member.budget.state().blocked_until.is_none() {
                break;
            }
            match member.budget.admit() {
                Some(next) => at = next,
                None => break,
            }
        }
        Ok(())
    }

    async fn wait_once(
        &mut self,
        at: Instant,
        budget: &mut WaitBudget,
        policy: &RetryPolicy,
    ) -> Result<()> {
        let now = crate::budget::now();
        let wait = at.saturating_duration_since(now);
        if !budget.allows(wait, Instant::now()) {
            let (bound, what) = match self.options.and_then(|o| o.deadline) {
                Some(deadline) if budget.total_allows(wait) => (deadline, DEADLINE),
                _ => (policy.max_total_wait, "retry policy's `max_total_wait`"),
            };
            tracing::warn!(
                wait_ms = wait.as_millis() as u64,
                credential = self.member,
                "the credential's rate budget asks for a wait beyond this call's bounds; not sent"
            );
            return Err(Error::Timeout(Box::new(
                TimeoutError::new(self.route(), bound, what).waiting(Waiting::RateBudget(wait)),
            )));
        }
        tracing::info!(
            wait_ms = wait.as_millis() as u64,
            credential = self.member,
            "waiting for the credential's rate budget (a 429 on this credential, or its pace)"
        );
        tokio::time::sleep(wait).await;
        budget.spend(wait);
        self.rate_wait = (
            self.rate_wait.0.saturating_add(wait),
            self.rate_wait.1.saturating_add(wait),
        );
        Ok(())
    }
}
