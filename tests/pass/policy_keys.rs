//! Every policy key, on the methods it fits.
use genesys_runtime::{Api, Result, endpoint};

pub trait AnalyticsApi: Api {
    /// A query: a read-only POST, safe to retry, with its own bound.
    #[endpoint(method = "POST", path = "/api/v2/analytics/conversations/details/query", timeout = "2m", retry = "safe")]
    async fn query(&self, #[body] body: &serde_json::Value) -> Result<serde_json::Value>;

    /// Sent once, whatever the answer.
    #[endpoint(method = "DELETE", path = "/api/v2/analytics/reporting/schedules/{scheduleId}", retry = "never", timeout = "500ms")]
    async fn delete_schedule(&self, schedule_id: &str) -> Result<()>;
}
impl<T: Api + ?Sized> AnalyticsApi for T {}

fn main() {}
