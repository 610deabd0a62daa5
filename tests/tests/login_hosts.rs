//! Where the client secret goes, for every order of `region`, `base_url` and `login_url`
//! calls, over two loopback listeners: only to the host the `ClientBuilder` docs name.

use genesys_api_tokens::TokensApi;
use genesys_runtime::{Client, ClientBuilder, Region};
use genesys_tests::{Recorded, Reply, TestServer};
use serde_json::json;

const BASIC: &str = "Basic Y2xpZW50LTE6c2VjcmV0LTE="; // client-1:secret-1

#[derive(Clone, Copy, Debug)]
enum Step {
    Region,
    BaseUrl,
    LoginUrl,
}

/// Every ordering of every non-empty subset of the three calls.
fn orders() -> Vec<Vec<Step>> {
    let all = [Step::Region, Step::BaseUrl, Step::LoginUrl];
    let mut orders = Vec::new();
    for mask in 1..8u8 {
        let chosen: Vec<Step> = (0..3)
            .filter(|i| mask & (1 << i) != 0)
            .map(|i| all[i])
            .collect();
        permute(&chosen, &mut Vec::new(), &mut orders);
    }
    orders
}

fn permute(left: &[Step], prefix: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    if left.is_empty() {
        out.push(prefix.clone());
        return;
    }
    for i in 0..left.len() {
        prefix.push(left[i]);
        let rest: Vec<Step> = left
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(_, s)| *s)
            .collect();
        permute(&rest, prefix, out);
        prefix.pop();
    }
}

fn answer(request: &Recorded, _: usize) -> Reply {
    if request.path == "/oauth/token" {
        Reply::json(200, &json!({"access_token": "tok", "expires_in": 3600}))
    } else {
        Reply::json(200, &json!({"idleTokenTimeoutSeconds": 900}))
    }
}

fn secret_seen(server: &TestServer) -> bool {
    server
        .requests()
        .iter()
        .any(|r| r.header("authorization") == Some(BASIC))
}

#[tokio::test]
async fn the_client_secret_reaches_only_the_documented_host_whatever_the_order() {
    let orders = orders();
    assert_eq!(orders.len(), 15);
    for order in orders {
        let api = TestServer::start(answer).await;
        let login = TestServer::start(answer).await;
        let mut builder: ClientBuilder =
            Client::builder().client_credentials("client-1", "secret-1");
        for step in &order {
            builder = match step {
                Step::Region => builder.region(Region::EuWest1),
                Step::BaseUrl => builder.base_url(api.url()),
                Step::LoginUrl => builder.login_url(login.url()),
            };
        }
        let client = builder.build().unwrap();
        let has = |s: fn(&Step) -> bool| order.iter().any(s);
        let (region, base, explicit_login) = (
            has(|s| matches!(s, Step::Region)),
            has(|s| matches!(s, Step::BaseUrl)),
            has(|s| matches!(s, Step::LoginUrl)),
        );

        // The documented table (ClientBuilder, "Where requests and the client secret go").
        let expected_api = match (base, region) {
            (true, _) => api.url(),
            (false, true) => Region::EuWest1.api_base_url().to_owned(),
            (false, false) => Region::UsEast1.api_base_url().to_owned(),
        };
        let expected_login = match (explicit_login, region, base) {
            (true, _, _) => login.url(),
            (false, true, _) => Region::EuWest1.login_base_url().to_owned(),
            (false, false, true) => api.url(), // a loopback base URL logs in at itself
            (false, false, false) => Region::UsEast1.login_base_url().to_owned(),
        };
        assert_eq!(client.base_url(), expected_api, "{order:?}");
        assert_eq!(client.login_url(), expected_login, "{order:?}");

        // Where both hosts are the loopback listeners, prove it on the wire.
        if base && (explicit_login || !region) {
            client.get_tokens_timeout().await.unwrap();
            let token_host_is_login = explicit_login;
            assert_eq!(secret_seen(&login), token_host_is_login, "{order:?}");
            assert_eq!(secret_seen(&api), !token_host_is_login, "{order:?}");
            let calls: Vec<_> = api
                .requests()
                .into_iter()
                .filter(|r| r.path != "/oauth/token")
                .collect();
            assert_eq!(calls.len(), 1, "{order:?}");
            assert_eq!(
                calls[0].header("authorization"),
                Some("Bearer tok"),
                "{order:?}"
            );
        } else {
            assert!(
                api.requests().is_empty() && login.requests().is_empty(),
                "{order:?}"
            );
        }
    }
}

#[test]
fn a_region_contradicting_a_genesys_host_is_a_config_error_in_either_order() {
    let one = Client::builder()
        .region(Region::EuWest1)
        .base_url("https://api.mypurecloud.com")
        .access_token("tok")
        .build()
        .unwrap_err();
    let other = Client::builder()
        .base_url("https://api.mypurecloud.com")
        .region(Region::EuWest1)
        .access_token("tok")
        .build()
        .unwrap_err();
    assert_eq!(one.to_string(), other.to_string());
    assert!(one.to_string().contains("eu-west-1"), "{one}");

    let error = Client::builder()
        .region(Region::EuWest1)
        .login_url("https://login.mypurecloud.de")
        .client_credentials("id", "secret")
        .build()
        .unwrap_err();
    assert!(error.to_string().contains("another region"), "{error}");
}
