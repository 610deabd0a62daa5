//! The same test logic as `stubs.rs`, over real HTTP: the bundled loopback fake, with the
//! user's own `SessionApi`. The two seams agree on the result and on what was sent.

mod common;

use genesys_api_tokens::fake::{
    DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, FakeClient, FakeGenesys,
    PERMISSION_ORGANIZATION_ADMIN, PERMISSION_TOKEN_DELETE,
};
use user_group::SessionApi;

#[tokio::test]
async fn the_business_logic_runs_on_the_loopback_fake() {
    let fake = FakeGenesys::builder()
        .client(
            FakeClient::new(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET)
                .permission(PERMISSION_TOKEN_DELETE)
                .permission(PERMISSION_ORGANIZATION_ADMIN),
        )
        .user("ann", "Ann")
        .start()
        .await;
    let client = fake.client_builder().build().unwrap();
    let scopes = client.whoami().await.unwrap().authorized_scope.len();
    let seen = fake.requests().len();

    let (report, set) = common::run(&client).await;

    assert_eq!(report, common::expected(scopes));
    assert_eq!(set, common::timeout());
    let sent: Vec<(String, String)> = fake.requests()[seen..]
        .iter()
        .map(|r| (r.method.to_string(), r.path.clone()))
        .collect();
    let expected: Vec<(String, String)> = common::ROUTES
        .iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .chain([("PUT".into(), "/api/v2/tokens/timeout".into())])
        .collect();
    assert_eq!(sent, expected);

    // A 429 then success, as on the stubs.
    fake.inject_rate_limit(1, std::time::Duration::ZERO);
    let (again, _) = common::run(&client).await;
    assert_eq!(again, common::expected(scopes));
    let statuses: Vec<u16> = fake.requests()[seen + 4..]
        .iter()
        .map(|r| r.status.as_u16())
        .collect();
    assert_eq!(statuses[..2], [429, 200], "the 429 was retried");
}
