//! Listings always end, and never end silently, one behaviour per test: a server that repeats
//! a page or cycles its cursors is stopped with an error that says so; `total` decides whether
//! more pages exist when `pageCount` is missing; a page without its items field while more are
//! announced is an error naming the field and `items = "..."`.

use genesys_runtime::{Api, Error, Listing, api, endpoint};
use genesys_tests::{Recorded, Reply, TestServer, client_at};
use serde_json::{Value, json};

#[api]
trait ListsApi: Api {
    /// Numbered pages, items in `entities`.
    #[endpoint(method = "GET", path = "/api/v2/users", paging = "page")]
    fn users(&self) -> Listing<Value>;

    /// Cursor pages, items in `results`.
    #[endpoint(
        method = "GET",
        path = "/api/v2/jobs/{jobId}/results",
        paging = "cursor",
        items = "results"
    )]
    fn results(&self, job_id: &str) -> Listing<Value>;

    /// The same pages, with the items field misspelled in the declaration.
    #[endpoint(
        method = "GET",
        path = "/api/v2/reports",
        paging = "page",
        items = "result"
    )]
    fn reports(&self) -> Listing<Value>;
}
impl<T: Api + ?Sized> ListsApi for T {}

fn query<'r>(request: &'r Recorded, name: &str) -> Option<&'r str> {
    request.query.as_deref()?.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        (key == name).then_some(value)
    })
}

fn page_number(request: &Recorded) -> u64 {
    query(request, "pageNumber").map_or(0, |n| n.parse().unwrap())
}

/// Every item until the listing ends or fails: the items, and the error if any.
async fn read_all(listing: Listing<Value>) -> (Vec<Value>, Option<Error>) {
    let mut items = listing.items();
    let mut read = Vec::new();
    loop {
        match items.try_next().await {
            Ok(Some(item)) => read.push(item),
            Ok(None) => return (read, None),
            Err(error) => return (read, Some(error)),
        }
    }
}

#[tokio::test]
async fn a_server_that_repeats_one_page_with_a_huge_page_count_is_stopped() {
    // Ignores `pageNumber`: page 1 every time, a million pages announced.
    let server = TestServer::always(Reply::json(
        200,
        &json!({"entities": [{"id": "u1"}], "pageNumber": 1, "pageCount": 1_000_000}),
    ))
    .await;
    let client = client_at(&server.url()).build().unwrap();

    let (items, error) = read_all(client.users()).await;

    assert_eq!(items.len(), 1, "page 1 is read");
    assert_eq!(server.requests().len(), 2, "stopped at the first repeat");
    let error = error.expect("a repeat is an error, not an endless stream");
    assert!(matches!(error, Error::Decode(_)), "{error:?}");
    assert!(
        error
            .to_string()
            .contains("page 2 repeats an earlier page byte for byte"),
        "{error}"
    );
}

#[tokio::test]
async fn a_server_that_alternates_two_pages_is_stopped_too() {
    let server = TestServer::start(|request, _| {
        let id = page_number(request) % 2;
        Reply::json(
            200,
            &json!({"entities": [{"id": id}], "pageCount": 1_000_000}),
        )
    })
    .await;
    let client = client_at(&server.url()).build().unwrap();

    let (_, error) = read_all(client.users()).await;

    assert!(
        error
            .unwrap()
            .to_string()
            .contains("repeats an earlier page")
    );
    assert!(
        server.requests().len() <= 5,
        "{} pages",
        server.requests().len()
    );
}

#[tokio::test]
async fn cycling_cursors_are_stopped() {
    // c1 -> c2 -> c3 -> c1 -> ...
    let server = TestServer::start(|request, _| {
        let next = match query(request, "cursor") {
            None => "c1",
            Some("c1") => "c2",
            Some("c2") => "c3",
            Some(_) => "c1",
        };
        Reply::json(200, &json!({"results": [{"at": next}], "cursor": next}))
    })
    .await;
    let client = client_at(&server.url()).build().unwrap();

    let (items, error) = read_all(client.results("j1")).await;

    let error = error.expect("a cycle is an error");
    assert!(
        error.to_string().contains("repeats an earlier cursor"),
        "{error}"
    );
    let pages = server.requests().len();
    assert!((4..=8).contains(&pages), "{pages} pages");
    assert_eq!(
        items.len(),
        pages - 1,
        "every page before the repeat is read"
    );
}

#[tokio::test]
async fn without_a_page_count_the_total_says_whether_more_pages_exist() {
    // Analytics-style pages: `total` only, no `pageCount`, no `nextUri`.
    let server = TestServer::start(|request, _| {
        let entities: Vec<Value> = match page_number(request) {
            1 => vec![json!(1), json!(2)],
            2 => vec![json!(3), json!(4)],
            3 => vec![json!(5)],
            _ => vec![],
        };
        Reply::json(200, &json!({"entities": entities, "total": 5}))
    })
    .await;
    let client = client_at(&server.url()).build().unwrap();

    let (items, error) = read_all(client.users().page_size(2)).await;

    assert!(error.is_none(), "{error:?}");
    assert_eq!(items, [json!(1), json!(2), json!(3), json!(4), json!(5)]);
    let queries: Vec<String> = server
        .requests()
        .iter()
        .map(|r| r.query.clone().unwrap_or_default())
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
async fn a_page_without_its_items_while_more_are_announced_is_an_error() {
    for body in [
        json!({"pageNumber": 1, "pageCount": 3}),
        json!({"entities": null, "pageNumber": 1, "pageCount": 3}),
    ] {
        let server = TestServer::always(Reply::json(200, &body)).await;
        let client = client_at(&server.url()).build().unwrap();

        let (items, error) = read_all(client.users()).await;

        assert!(items.is_empty());
        let error = error.expect("not an empty listing");
        assert!(matches!(error, Error::Decode(_)), "{error:?}");
        let shown = error.to_string();
        assert!(
            shown.contains("the page has no `entities` field (or it is `null`)")
                && shown.contains("`pageCount` 3 on page 1")
                && shown.contains("declare it with `items = \"...\"`"),
            "{shown}"
        );
        assert_eq!(server.requests().len(), 1);
    }
}

#[tokio::test]
async fn a_misspelled_items_field_is_an_error_not_an_empty_listing() {
    // One page, all 3 items in `results`; the declaration says `result`.
    let server = TestServer::always(Reply::json(
        200,
        &json!({"results": [1, 2, 3], "pageNumber": 1, "pageCount": 1, "total": 3}),
    ))
    .await;
    let client = client_at(&server.url()).build().unwrap();

    let (items, error) = read_all(client.reports()).await;

    assert!(items.is_empty());
    let shown = error.expect("not silently empty").to_string();
    assert!(
        shown.contains("no `result` field") && shown.contains("`total` 3 with 0 items read"),
        "{shown}"
    );
}

#[tokio::test]
async fn a_last_page_without_items_and_nothing_announced_is_the_end() {
    let server =
        TestServer::always(Reply::json(200, &json!({"pageNumber": 1, "pageCount": 1}))).await;
    let client = client_at(&server.url()).build().unwrap();

    let (items, error) = read_all(client.users()).await;

    assert!(items.is_empty() && error.is_none(), "{error:?}");
}
