//! The user's group over loopback: listings in the three styles, every body kind, `Accept`,
//! `202` as `Response<()>`, serde enums as values. Each test asserts the exact requests.

mod support;

use genesys::{Error, Multipart, StatusCode};
use serde_json::json;
use support::{Body, Reply, Server, client};
use user_group::{DirectoryApi, Login, QueueId, State, User};

fn user(id: &str) -> serde_json::Value {
    json!({ "id": id, "name": "n" })
}

#[tokio::test]
async fn a_page_envelope_listing_streams_three_pages_with_a_retry_on_the_second() {
    let server = Server::start(|request, index| {
        let page = |n: u64, ids: &[&str]| {
            Reply::json(200, json!({
                "entities": ids.iter().map(|id| user(id)).collect::<Vec<_>>(),
                "pageSize": 2, "pageNumber": n, "total": 5, "pageCount": 3,
                "nextUri": if n < 3 { json!(format!("/api/v2/users?pageNumber={}", n + 1)) } else { json!(null) },
            }))
        };
        match (request.target.as_str(), index) {
            (t, _) if t.ends_with("pageNumber=1") => page(1, &["u1", "u2"]),
            // The second page is rate-limited once: retried after `Retry-After`.
            (t, 1) if t.ends_with("pageNumber=2") => Reply::json(429, json!({"message": "slow down"}))
                .with_header("retry-after", "0"),
            (t, _) if t.ends_with("pageNumber=2") => page(2, &["u3", "u4"]),
            (t, _) if t.ends_with("pageNumber=3") => page(3, &["u5"]),
            _ => Reply::json(404, json!({})),
        }
    })
    .await;
    let client = client(&server);

    let users = client
        .list_users(Some(State::Active))
        .page_size(2)
        .all()
        .await
        .unwrap();

    let ids: Vec<&str> = users.iter().map(|u: &User| u.id.as_str()).collect();
    assert_eq!(ids, ["u1", "u2", "u3", "u4", "u5"]);
    assert_eq!(
        server.targets(),
        [
            "/api/v2/users?state=active&pageSize=2&pageNumber=1",
            "/api/v2/users?state=active&pageSize=2&pageNumber=2",
            "/api/v2/users?state=active&pageSize=2&pageNumber=2",
            "/api/v2/users?state=active&pageSize=2&pageNumber=3",
        ]
    );
    assert!(
        server
            .recorded()
            .iter()
            .all(|r| r.header("authorization") == Some("Bearer user-group-token"))
    );
}

#[tokio::test]
async fn no_page_is_fetched_before_it_is_needed() {
    let server = Server::start(|request, _| {
        let n: u64 = request.target.rsplit('=').next().unwrap().parse().unwrap();
        Reply::json(
            200,
            json!({
                "entities": [user(&format!("a{n}")), user(&format!("b{n}"))],
                "pageNumber": n, "pageCount": 100,
            }),
        )
    })
    .await;
    let client = client(&server);

    let mut items = client.list_users(None).items();
    assert!(
        server.targets().is_empty(),
        "nothing is sent before the stream is read"
    );
    items.try_next().await.unwrap().unwrap();
    items.try_next().await.unwrap().unwrap();
    assert_eq!(
        server.targets().len(),
        1,
        "both items came from the first page"
    );
    items.try_next().await.unwrap().unwrap();
    assert_eq!(
        server.targets(),
        ["/api/v2/users?pageNumber=1", "/api/v2/users?pageNumber=2"]
    );

    // A limit inside a page stops there: one request for 3 items of 2-item pages is two.
    let before = server.targets().len();
    let three = client.list_users(None).limit(3).all().await.unwrap();
    assert_eq!(three.len(), 3);
    assert_eq!(server.targets().len() - before, 2);
}

#[tokio::test]
async fn a_cursor_listing_follows_the_cursor_until_there_is_none() {
    let server = Server::start(|request, _| {
        let target = request.target.as_str();
        let (results, cursor) = if target.ends_with("/results") {
            (json!([{"n": 1}, {"n": 2}]), json!("c2"))
        } else if target.ends_with("cursor=c2") {
            (json!([{"n": 3}]), json!("c%3"))
        } else if target.ends_with("cursor=c%253") {
            (json!([{"n": 4}]), json!(null))
        } else {
            return Reply::json(400, json!({"message": target}));
        };
        Reply::json(200, json!({ "results": results, "cursor": cursor }))
    })
    .await;
    let client = client(&server);

    let mut pages = client.job_results("job 7").pages();
    let mut sizes = Vec::new();
    while let Some(page) = pages.try_next().await.unwrap() {
        sizes.push(page.items.len());
    }

    assert_eq!(sizes, [2, 1, 1]);
    assert_eq!(
        server.targets(),
        [
            "/api/v2/analytics/jobs/job%207/results",
            "/api/v2/analytics/jobs/job%207/results?cursor=c2",
            "/api/v2/analytics/jobs/job%207/results?cursor=c%253",
        ]
    );
}

#[tokio::test]
async fn an_after_listing_takes_the_cursor_from_next_uri() {
    let server = Server::start(|request, _| {
        let target = request.target.as_str();
        let (entities, next) = match target {
            "/api/v2/assistants?pageSize=2" => (
                json!([{"id": 1}, {"id": 2}]),
                json!("/api/v2/assistants?pageSize=2&after=a2"),
            ),
            "/api/v2/assistants?pageSize=2&after=a2" => (
                json!([{"id": 3}, {"id": 4}]),
                json!("/api/v2/assistants?after=a%3D3&pageSize=2"),
            ),
            "/api/v2/assistants?pageSize=2&after=a%3D3" => (json!([{"id": 5}]), json!(null)),
            other => return Reply::json(400, json!({"message": other})),
        };
        Reply::json(
            200,
            json!({ "entities": entities, "nextUri": next, "selfUri": target }),
        )
    })
    .await;
    let client = client(&server);

    let all = client.list_assistants().page_size(2).all().await.unwrap();

    assert_eq!(all.len(), 5);
    assert_eq!(
        server.targets(),
        [
            "/api/v2/assistants?pageSize=2",
            "/api/v2/assistants?pageSize=2&after=a2",
            "/api/v2/assistants?pageSize=2&after=a%3D3",
        ]
    );
}

#[tokio::test]
async fn a_cursor_that_repeats_ends_the_listing_with_an_error() {
    let server =
        Server::start(|_, _| Reply::json(200, json!({ "results": [{"n": 1}], "cursor": "same" })))
            .await;
    let client = client(&server);

    let error = client.job_results("j").all().await.unwrap_err();

    assert!(matches!(error, Error::Decode(_)), "{error:?}");
    assert!(
        error.to_string().contains("repeats an earlier cursor"),
        "{error}"
    );
    assert_eq!(server.targets().len(), 2);
}

#[tokio::test]
async fn bodies_go_out_byte_for_byte_with_their_content_type() {
    let server = Server::start(|_, _| Reply::json(204, json!(null))).await;
    let client = client(&server);

    let login = Login {
        username: "ann lee&co".into(),
        remember: true,
    };
    client.login(&login).await.unwrap();
    client
        .put_note(&QueueId("q 1".into()), "first line\nsecond: ✓")
        .await
        .unwrap();
    let png = [0x89, b'P', b'N', b'G', 0, 255, 13, 10];
    client.put_avatar("u1", &png).await.unwrap();
    let form = Multipart::new()
        .text("description", "Q3 \"schedule\"")
        .file(
            "file",
            "schedule.csv",
            "text/csv",
            b"agent,start\nann,09:00\n".to_vec(),
        );
    client.upload(&form).await.unwrap();

    let recorded = server.recorded();
    let (login, note, avatar, upload) = (&recorded[0], &recorded[1], &recorded[2], &recorded[3]);
    assert_eq!(
        (login.method.as_str(), login.target.as_str()),
        ("POST", "/api/v2/login")
    );
    assert_eq!(
        login.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(login.body, b"username=ann+lee%26co&remember=true");

    assert_eq!(note.target, "/api/v2/queues/q%201/note");
    assert_eq!(
        note.header("content-type"),
        Some("text/plain; charset=utf-8")
    );
    assert_eq!(note.body, "first line\nsecond: ✓".as_bytes());

    assert_eq!(avatar.header("content-type"), Some("image/png"));
    assert_eq!(avatar.body, png);

    let content_type = upload.header("content-type").unwrap();
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap();
    let expected = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"description\"\r\n\r\nQ3 \"schedule\"\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"schedule.csv\"\r\nContent-Type: text/csv\r\n\r\nagent,start\nann,09:00\n\r\n\
         --{boundary}--\r\n"
    );
    assert_eq!(String::from_utf8(upload.body.clone()).unwrap(), expected);
    assert_eq!(
        upload.header("content-length"),
        Some(expected.len().to_string().as_str())
    );
}

#[tokio::test]
async fn a_csv_export_is_asked_for_with_its_accept_header() {
    let server = Server::start(|request, _| {
        if request.header("accept") == Some("text/csv") {
            Reply {
                status: 200,
                headers: vec![("content-type", "text/csv".into())],
                body: Body::Bytes(b"id,name\nu1,Ann\n".to_vec()),
            }
        } else {
            Reply::json(406, json!({"message": "not acceptable"}))
        }
    })
    .await;
    let client = client(&server);

    let csv = client.export_csv("e1").await.unwrap();

    assert_eq!(&*csv, "id,name\nu1,Ann\n");
    let accepts: Vec<_> = server.recorded()[0]
        .headers
        .iter()
        .filter(|(n, _)| n == "accept")
        .map(|(_, v)| v.clone())
        .collect();
    assert_eq!(accepts, ["text/csv"], "one Accept, the declared one");
}

#[tokio::test]
async fn a_202_with_a_status_document_is_a_response_of_unit() {
    let server = Server::start(|_, _| {
        Reply::json(202, json!({"id": "job-1", "state": "QUEUED"}))
            .with_header("location", "/api/v2/jobs/job-1")
    })
    .await;
    let client = client(&server);

    let response = client.start_job().await.unwrap();

    assert_eq!(response.status(), StatusCode::ACCEPTED);
    assert_eq!(response.headers()["location"], "/api/v2/jobs/job-1");
}

#[tokio::test]
async fn a_serde_enum_is_a_path_and_a_query_value() {
    let server = Server::start(|_, _| Reply::json(200, json!(12))).await;
    let client = client(&server);

    let count = client
        .count_in_state(State::Deleted, &[State::Active, State::Deleted])
        .await
        .unwrap();

    assert_eq!(count, 12);
    assert_eq!(
        server.targets(),
        ["/api/v2/users/states/deleted?also=active&also=deleted"]
    );
}
