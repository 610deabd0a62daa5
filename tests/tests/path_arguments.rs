//! A path argument is exactly one encoded segment of the declared route: no id can reach
//! another endpoint, and an empty id sends nothing.

use genesys_api_tokens::TokensApi;
use genesys_runtime::Error;
use genesys_tests::{Reply, TestServer, client_for};

#[tokio::test]
async fn hostile_ids_arrive_as_one_encoded_segment() {
    let cases = [
        ("a/b", "a%2Fb"),
        ("../me", "..%2Fme"),
        ("..%2Fme", "..%252Fme"),
        ("me?x=1", "me%3Fx%3D1"),
        ("me#frag", "me%23frag"),
        ("100%", "100%25"),
        ("john doe", "john%20doe"),
        ("Zoë-日本", "Zo%C3%AB-%E6%97%A5%E6%9C%AC"),
        ("a+b&c=d;e", "a%2Bb%26c%3Dd%3Be"),
        ("...", "..."),
        ("~user_1.x-y", "~user_1.x-y"),
        ("\\..\\", "%5C..%5C"),
    ];
    let server = TestServer::always(Reply::status(204)).await;
    let client = client_for(&server);

    for (id, _) in cases {
        client
            .delete_token(id)
            .await
            .unwrap_or_else(|e| panic!("{id:?}: {e}"));
    }

    let requests = server.requests();
    assert_eq!(requests.len(), cases.len());
    for ((id, encoded), request) in cases.iter().zip(&requests) {
        assert_eq!(request.method, "DELETE", "{id:?}");
        assert_eq!(
            request.path,
            format!("/api/v2/tokens/{encoded}"),
            "{id:?} must stay one segment"
        );
        assert_eq!(request.query, None, "{id:?} must not add a query");
        let segments: Vec<&str> = request.path.split('/').collect();
        assert_eq!(segments.len(), 5, "{id:?}: {:?}", request.path);
    }
}

#[tokio::test]
async fn an_empty_id_is_refused_and_nothing_is_sent() {
    let server = TestServer::always(Reply::status(204)).await;
    let client = client_for(&server);

    let error = client.delete_token("").await.unwrap_err();

    let Error::InvalidArgument(invalid) = &error else {
        panic!("expected an invalid argument, got {error:?}");
    };
    assert_eq!(invalid.argument(), "userId");
    assert!(error.to_string().contains("nothing was sent"), "{error}");
    assert!(server.requests().is_empty(), "nothing may reach the server");
}

#[tokio::test]
async fn dot_segments_are_refused_and_nothing_is_sent() {
    let server = TestServer::always(Reply::status(204)).await;
    let client = client_for(&server);

    for id in [".", ".."] {
        let error = client.delete_token(id).await.unwrap_err();
        assert!(
            matches!(error, Error::InvalidArgument(_)),
            "{id:?}: {error:?}"
        );
    }
    assert!(server.requests().is_empty(), "nothing may reach the server");
}
