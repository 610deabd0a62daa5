//! The listing styles beyond query paging, one behaviour per test, over loopback: paging
//! fields set at the top of a JSON body, an `after` cursor in the body taken from `nextUri`,
//! a link to the next page followed only on the client's own host under `/api/` (every other
//! form refused before anything is sent), full pages followed when nothing counts them, and a
//! body that cannot carry paging fields refused.

use genesys_runtime::{Api, Error, Listing, api, endpoint};
use genesys_tests::{Reply, TestServer, client_for};
use serde_json::{Value, json};

#[api]
trait ShapesApi: Api {
    /// `pageNumber`/`pageSize` at the top of the body, items in `results`.
    #[endpoint(
        method = "POST",
        path = "/api/v2/groups/search",
        paging = "body-page",
        items = "results",
        retry = "safe"
    )]
    fn search(&self, #[body] query: &Value) -> Listing<Value>;

    /// `after` in the body, from the previous page's `nextUri`.
    #[endpoint(
        method = "POST",
        path = "/api/v2/casemanagement/caseplans/query",
        paging = "body-after",
        retry = "safe"
    )]
    fn caseplans(&self, #[body] query: &Value) -> Listing<Value>;

    /// The answer's `nextUri`.
    #[endpoint(method = "GET", path = "/api/v2/oauth/clients", paging = "next-uri")]
    fn clients(&self) -> Listing<Value>;

    /// Numbered pages with no count at all.
    #[endpoint(method = "GET", path = "/api/v2/quality/evaluations", paging = "page")]
    fn evaluations(&self) -> Listing<Value>;
}
impl<T: Api + ?Sized> ShapesApi for T {}

fn page(items: usize, extra: Value) -> Reply {
    let mut body = json!({ "results": (0..items).map(|n| json!(n)).collect::<Vec<_>>() });
    if let (Value::Object(body), Value::Object(extra)) = (&mut body, extra) {
        body.extend(extra);
    }
    Reply::json(200, &body)
}

#[tokio::test]
async fn body_page_sets_page_number_and_size_at_the_top_of_the_body() {
    let server = TestServer::start(|request, _| {
        let n = request.json()["pageNumber"].as_u64().unwrap_or(0);
        page(
            if n < 3 { 2 } else { 1 },
            json!({ "pageCount": 3, "pageNumber": n }),
        )
    })
    .await;
    let client = client_for(&server);

    let all = client
        .search(&json!({ "query": [{ "type": "EXACT" }], "pageNumber": 9 }))
        .page_size(2)
        .all()
        .await
        .unwrap();

    assert_eq!(all.len(), 5);
    let bodies: Vec<Value> = server.requests().iter().map(|r| r.json()).collect();
    assert_eq!(
        bodies,
        (1..=3)
            .map(|n| json!({ "query": [{ "type": "EXACT" }], "pageNumber": n, "pageSize": 2 }))
            .collect::<Vec<_>>()
    );
    assert!(server.requests().iter().all(|r| r.query.is_none()));
}

#[tokio::test]
async fn body_after_takes_the_cursor_from_next_uri() {
    let server = TestServer::start(|request, _| match request.json()["after"].as_str() {
        None => Reply::json(
            200,
            &json!({
                "entities": [1, 2],
                "nextUri": "/api/v2/casemanagement/caseplans/query?after=a%2Bb",
            }),
        ),
        Some("a+b") => Reply::json(200, &json!({ "entities": [3] })),
        Some(other) => Reply::json(400, &json!({ "message": other })),
    })
    .await;
    let client = client_for(&server);

    let all = client.caseplans(&json!({})).all().await.unwrap();

    assert_eq!(all, [json!(1), json!(2), json!(3)]);
    let bodies: Vec<Value> = server.requests().iter().map(|r| r.json()).collect();
    assert_eq!(bodies, [json!({}), json!({ "after": "a+b" })]);
}

#[tokio::test]
async fn next_uri_is_followed_as_a_path_or_as_an_absolute_url_on_the_clients_host() {
    let server = TestServer::start(|request, _| {
        let base = format!("http://{}", request.header("host").unwrap());
        match request.query.as_deref() {
            None => Reply::json(
                200,
                &json!({
                    "entities": [1], "nextUri": "/api/v2/oauth/clients?page=2",
                }),
            ),
            Some("page=2") => Reply::json(
                200,
                &json!({
                    "entities": [2], "nextUri": format!("{base}/api/v2/oauth/clients?page=3"),
                }),
            ),
            _ => Reply::json(200, &json!({ "entities": [3] })),
        }
    })
    .await;
    let client = client_for(&server);

    let all = client.clients().all().await.unwrap();

    assert_eq!(all, [json!(1), json!(2), json!(3)]);
    let queries: Vec<Option<String>> = server.requests().into_iter().map(|r| r.query).collect();
    assert_eq!(
        queries,
        [None, Some("page=2".into()), Some("page=3".into())]
    );
    assert!(
        server
            .requests()
            .iter()
            .all(|r| r.header("authorization") == Some("Bearer test-token-123"))
    );
}

#[tokio::test]
async fn every_link_off_the_clients_host_or_api_is_refused_unsent() {
    let server = TestServer::start(|_, _| Reply::json(200, &json!({}))).await;
    let port = server.url().rsplit(':').next().unwrap().to_owned();
    let links = [
        "https://elsewhere.example/api/v2/oauth/clients?page=2".to_owned(),
        "//elsewhere.example/api/v2/oauth/clients".to_owned(),
        format!("http://127.0.0.1:{port}0/api/v2/oauth/clients"),
        format!("http://127.0.0.1:{port}.evil.example/api/v2/oauth/clients"),
        "/login/oauth/token".to_owned(),
        "api/v2/oauth/clients?page=2".to_owned(),
    ];
    for link in links {
        let answer = json!({ "entities": [1], "nextUri": link });
        let server = TestServer::start(move |_, _| Reply::json(200, &answer)).await;
        let client = client_for(&server);

        let mut items = client.clients().items();
        assert_eq!(items.try_next().await.unwrap(), Some(json!(1)), "{link}");
        let error = items.try_next().await.unwrap_err();

        assert!(
            matches!(error, Error::InvalidArgument(_)),
            "{link}: {error:?}"
        );
        assert!(
            error.to_string().contains("is not on the client's host"),
            "{error}"
        );
        assert_eq!(server.requests().len(), 1, "{link} was requested");
        assert_eq!(items.try_next().await.unwrap(), None, "the listing ended");
    }
}

#[tokio::test]
async fn without_any_count_full_pages_are_followed_until_a_short_one() {
    let server = TestServer::start(|request, _| {
        let n: usize = request
            .query
            .as_deref()
            .unwrap()
            .rsplit('=')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        Reply::json(
            200,
            &json!({ "entities": vec![n; if n < 3 { 2 } else { 1 }] }),
        )
    })
    .await;
    let client = client_for(&server);

    let all = client.evaluations().page_size(2).all().await.unwrap();

    assert_eq!(all.len(), 5);
    let queries: Vec<String> = server
        .requests()
        .into_iter()
        .filter_map(|r| r.query)
        .collect();
    assert_eq!(
        queries,
        [
            "pageSize=2&pageNumber=1",
            "pageSize=2&pageNumber=2",
            "pageSize=2&pageNumber=3"
        ]
    );
}

#[tokio::test]
async fn a_body_that_is_not_a_json_object_is_refused_before_anything_is_sent() {
    let server = TestServer::start(|_, _| Reply::json(200, &json!({}))).await;
    let client = client_for(&server);

    let error = client
        .search(&json!(["not", "an", "object"]))
        .all()
        .await
        .unwrap_err();

    assert!(matches!(error, Error::InvalidArgument(_)), "{error:?}");
    assert!(
        error.to_string().contains("must be a JSON object"),
        "{error}"
    );
    assert!(server.requests().is_empty());
}
