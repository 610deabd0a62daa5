//! What a listing's next request carries beyond the declared call: the paging fields set in
//! a JSON body, or the link a page gave, checked to stay on the client's own host.

use bytes::Bytes;
use percent_encoding::utf8_percent_encode;

use super::page::Next;
use crate::client::Client;
use crate::error::{Error, Result};
use crate::request::COMPONENT;
use crate::request::endpoint::Paging;

/// A page's URL: the declared one, then the paging parameters the runtime adds (names it
/// chose, so never encoded; numbers written directly; cursors percent-encoded).
pub(super) struct PageUrl {
    pub(super) url: String,
    pub(super) has_query: bool,
}

impl PageUrl {
    /// Starts from the declared URL, with room for the paging parameters.
    pub(super) fn new(declared: &str, has_query: bool) -> Self {
        let mut url = String::with_capacity(declared.len() + 48);
        url.push_str(declared);
        PageUrl { url, has_query }
    }

    fn name(&mut self, name: &'static str) {
        debug_assert!(name.bytes().all(|b| b.is_ascii_alphanumeric()));
        self.url.push(if self.has_query { '&' } else { '?' });
        self.has_query = true;
        self.url.push_str(name);
        self.url.push('=');
    }

    /// `name=value` for a number.
    pub(super) fn number(&mut self, name: &'static str, value: u64) {
        self.name(name);
        push_digits(&mut self.url, value);
    }

    /// `name=value` for a cursor, percent-encoded.
    pub(super) fn text(&mut self, name: &'static str, value: &str) {
        self.name(name);
        self.url.extend(utf8_percent_encode(value, COMPONENT));
    }
}

/// Writes `value` in decimal (page numbers and sizes: a digit or a few, so no formatter).
fn push_digits(url: &mut String, value: u64) {
    if value >= 10 {
        push_digits(url, value / 10);
    }
    url.push(char::from(b'0' + (value % 10) as u8));
}

/// The declared body with this page's paging fields set: `pageNumber` and `pageSize` at
/// the top level or in `paging`, or the cursor (none on the first page). A page size the
/// caller did not choose leaves the body's own.
pub(super) fn body_with_paging(
    fields: &serde_json::Map<String, serde_json::Value>,
    paging: Paging,
    next: &Next,
    size: Option<u32>,
) -> Bytes {
    use serde_json::Value;
    let mut fields = fields.clone();
    let target = match paging {
        Paging::BodyPaging => {
            let paging = fields
                .entry("paging")
                .or_insert_with(|| Value::Object(serde_json::Map::new()));
            if !paging.is_object() {
                *paging = Value::Object(serde_json::Map::new());
            }
            match paging {
                Value::Object(inner) => inner,
                _ => unreachable!("made an object above"),
            }
        }
        _ => &mut fields,
    };
    if let Some(size) = size {
        target.insert("pageSize".to_owned(), Value::from(size));
    }
    match (next, paging.parameter()) {
        (Next::Number(number), Some(parameter)) => {
            target.insert(parameter.to_owned(), Value::from(*number));
        }
        (Next::Token(token), Some(parameter)) if !token.is_empty() => {
            target.insert(parameter.to_owned(), Value::from(token.as_str()));
        }
        _ => {}
    }
    // Serializing a map of JSON values cannot fail.
    serde_json::to_vec(&fields).unwrap_or_default().into()
}

/// The URL of a link a page gave (`nextUri`, `nextPage`), when it is on the client's own
/// host and under `/api/`: a path (`/api/v2/...`), or an absolute URL starting with the
/// client's base URL. Any other link is refused, so the client's credentials never go to
/// another host.
pub(super) fn follow(client: &Client, link: &str) -> Result<String> {
    let base = client.base_url().trim_end_matches('/');
    let path = if link.starts_with('/') && !link.starts_with("//") {
        Some(link)
    } else {
        link.strip_prefix(base).filter(|rest| rest.starts_with('/'))
    };
    match path {
        Some(path) if path.starts_with("/api/") && !path.chars().any(char::is_control) => {
            Ok(format!("{base}{path}"))
        }
        _ => Err(Error::invalid_argument(
            "nextUri",
            format!(
                "the server's link to the next page, `{}`, is not on the client's host ({base}) under `/api/`: it is not followed, so the client's credentials never go elsewhere; read that page with a client for its host, or download it with `Client::download_link`",
                crate::error::text::OneLine(link, 120)
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_parameters_join_the_declared_query_and_numbers_are_written_whole() {
        let mut first = PageUrl::new("http://h/api/v2/users", false);
        first.number("pageSize", 25);
        first.number("pageNumber", 0);
        assert_eq!(first.url, "http://h/api/v2/users?pageSize=25&pageNumber=0");
        let mut after = PageUrl::new("http://h/api/v2/x?state=active", true);
        after.number("startIndex", u64::MAX);
        after.text("cursor", "a+b/=c d");
        assert_eq!(
            after.url,
            "http://h/api/v2/x?state=active&startIndex=18446744073709551615&cursor=a%2Bb%2F%3Dc%20d"
        );
    }
    use serde_json::json;

    fn fields(value: serde_json::Value) -> serde_json::Map<String, serde_json::Value> {
        match value {
            serde_json::Value::Object(map) => map,
            _ => unreachable!(),
        }
    }

    fn body(
        paging: Paging,
        next: &Next,
        size: Option<u32>,
        declared: serde_json::Value,
    ) -> serde_json::Value {
        serde_json::from_slice(&body_with_paging(&fields(declared), paging, next, size)).unwrap()
    }

    #[test]
    fn body_paging_fields_go_where_the_style_says() {
        assert_eq!(
            body(
                Paging::BodyPage,
                &Next::Number(2),
                Some(50),
                json!({"q": 1})
            ),
            json!({"q": 1, "pageNumber": 2, "pageSize": 50})
        );
        assert_eq!(
            body(
                Paging::BodyPaging,
                &Next::Number(3),
                None,
                json!({"paging": {"pageSize": 25}})
            ),
            json!({"paging": {"pageSize": 25, "pageNumber": 3}})
        );
        assert_eq!(
            body(
                Paging::BodyPaging,
                &Next::Number(1),
                Some(10),
                json!({"paging": null})
            ),
            json!({"paging": {"pageSize": 10, "pageNumber": 1}})
        );
        assert_eq!(
            body(
                Paging::BodyCursor,
                &Next::Token(String::new()),
                None,
                json!({})
            ),
            json!({})
        );
        assert_eq!(
            body(
                Paging::BodyAfter,
                &Next::Token("t".into()),
                Some(5),
                json!({})
            ),
            json!({"after": "t", "pageSize": 5})
        );
    }
}
