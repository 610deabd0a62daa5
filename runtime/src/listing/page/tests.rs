//! How a page says where the next one is, style by style.

use super::*;

#[test]
fn query_values_are_found_and_decoded() {
    let uri = "/api/v2/assistants?pageSize=2&after=a%2Bb%3D&x=1";
    assert_eq!(query_value(uri, "after").as_deref(), Some("a+b="));
    assert_eq!(query_value(uri, "cursor"), None);
    assert_eq!(query_value("/no/query", "after"), None);
}

fn page(count: Option<u64>, next: Option<&str>, items: usize) -> Page<u8> {
    Page {
        items: vec![0; items],
        page_number: None,
        page_size: None,
        total: None,
        total_hits: None,
        page_count: count,
        start_index: None,
        next_uri: next.map(str::to_owned),
        next_page: None,
        cursor: None,
        answer: Answer {
            route: crate::error::Route::new(http::Method::GET, "/x"),
            status: http::StatusCode::OK,
            body: bytes::Bytes::new(),
        },
    }
}

#[test]
fn page_numbers_stop_at_the_page_count_or_an_empty_page() {
    let one = Next::Number(1);
    assert_eq!(
        page(Some(3), None, 2).next(Paging::Page, &one, 0, None),
        Some(Next::Number(2))
    );
    assert_eq!(
        page(Some(1), Some("/x"), 2).next(Paging::Page, &one, 0, None),
        None
    );
    assert_eq!(
        page(Some(3), None, 0).next(Paging::Page, &one, 0, None),
        None
    );
    assert_eq!(
        page(None, Some("/x"), 2).next(Paging::Page, &one, 0, None),
        Some(Next::Number(2))
    );
    assert_eq!(page(None, None, 2).next(Paging::Page, &one, 0, None), None);
}

#[test]
fn without_a_page_count_the_total_says_whether_more_pages_exist() {
    let mut with_total = page(None, None, 2);
    with_total.total = Some(5);
    assert_eq!(
        with_total.next(Paging::Page, &Next::Number(1), 0, None),
        Some(Next::Number(2))
    );
    assert_eq!(
        with_total.next(Paging::Page, &Next::Number(2), 2, None),
        Some(Next::Number(3))
    );
    assert_eq!(
        with_total.next(Paging::Page, &Next::Number(3), 3, None),
        None
    );
    assert_eq!(
        with_total
            .announced(Paging::Page, &Next::Number(2), 0)
            .as_deref(),
        Some("`total` 5 with 2 items read")
    );
    assert_eq!(
        with_total.announced(Paging::Page, &Next::Number(3), 3),
        None
    );
}

#[test]
fn what_a_page_announces_beyond_itself() {
    let one = Next::Number(1);
    assert_eq!(
        page(Some(4), None, 0)
            .announced(Paging::Page, &one, 0)
            .as_deref(),
        Some("`pageCount` 4 on page 1")
    );
    assert_eq!(
        page(Some(1), None, 0).announced(Paging::Page, &one, 0),
        None
    );
    assert_eq!(
        page(None, Some("/x?cursor=c"), 0)
            .announced(Paging::Cursor, &Next::Token(String::new()), 0)
            .as_deref(),
        Some("a cursor for the next page")
    );
}

#[test]
fn cursors_come_from_the_field_or_the_next_uri() {
    let first = Next::Token(String::new());
    let mut with_cursor = page(None, None, 1);
    with_cursor.cursor = Some("c2".into());
    assert_eq!(
        with_cursor.next(Paging::Cursor, &first, 0, None),
        Some(Next::Token("c2".into()))
    );
    let linked = page(None, Some("/api/v2/x?after=t3&pageSize=2"), 1);
    assert_eq!(
        linked.next(Paging::After, &first, 0, None),
        Some(Next::Token("t3".into()))
    );
    assert_eq!(
        page(None, None, 1).next(Paging::After, &first, 0, None),
        None
    );
}

#[test]
fn total_hits_count_a_body_paged_query() {
    let mut hits = page(None, None, 2);
    hits.total_hits = Some(3);
    assert_eq!(
        hits.next(Paging::BodyPaging, &Next::Number(1), 0, Some(2)),
        Some(Next::Number(2))
    );
    assert_eq!(
        hits.next(Paging::BodyPaging, &Next::Number(2), 2, Some(2)),
        None
    );
    assert_eq!(
        hits.announced(Paging::BodyPaging, &Next::Number(1), 0)
            .as_deref(),
        Some("`totalHits` 3 with 2 items read")
    );
}

#[test]
fn scim_moves_the_start_index_by_the_items_read_until_the_total() {
    let mut first = page(None, None, 2);
    first.total = Some(5);
    assert_eq!(
        first.next(Paging::Scim, &Next::Index(1), 0, Some(2)),
        Some(Next::Index(3))
    );
    assert_eq!(first.next(Paging::Scim, &Next::Index(5), 4, Some(2)), None);
    // Without a total: while pages are full.
    let unknown = page(None, None, 2);
    assert_eq!(
        unknown.next(Paging::Scim, &Next::Index(1), 0, Some(2)),
        Some(Next::Index(3))
    );
    assert_eq!(
        unknown.next(Paging::Scim, &Next::Index(1), 0, Some(3)),
        None
    );
    assert_eq!(
        page(None, None, 0).next(Paging::Scim, &Next::Index(1), 0, None),
        None
    );
}

#[test]
fn link_styles_take_their_own_link() {
    let first = Next::Link(String::new());
    let mut linked = page(None, Some("/api/v2/x?page=2"), 1);
    linked.next_page = Some("/api/v2/search?q64=abc".into());
    assert_eq!(
        linked.next(Paging::NextUri, &first, 0, None),
        Some(Next::Link("/api/v2/x?page=2".into()))
    );
    assert_eq!(
        linked.next(Paging::NextPage, &first, 0, None),
        Some(Next::Link("/api/v2/search?q64=abc".into()))
    );
    linked.next_page = Some(String::new());
    assert_eq!(linked.next(Paging::NextPage, &first, 0, None), None);
}
