//! The path template of an endpoint, parsed from the `path = "..."` literal.
//!
//! `/api/v2/users/{userId}/presences/{sourceId}` becomes literal pieces and placeholders.
//! Everything is checked here, so the runtime can trust the template.

/// One piece of a path template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Piece {
    /// Text sent as written, such as `/api/v2/users/`.
    Literal(String),
    /// A `{name}` filled from an argument, as one encoded segment.
    Placeholder(String),
}

/// Parses a path template, or explains the first thing wrong with it.
pub(crate) fn parse_template(template: &str) -> Result<Vec<Piece>, String> {
    if !template.starts_with('/') {
        return Err(format!(
            "the path must start with `/`, like `\"/{}\"`",
            template.trim_start_matches('/')
        ));
    }
    let mut pieces = Vec::new();
    let mut literal = String::new();
    let mut chars = template.char_indices();
    while let Some((at, c)) = chars.next() {
        match c {
            '{' => {
                let mut name = String::new();
                let mut closed = false;
                for (_, c) in chars.by_ref() {
                    match c {
                        '}' => {
                            closed = true;
                            break;
                        }
                        '{' => {
                            return Err(format!(
                                "nested `{{` at byte {at} of the path; placeholders are written `{{name}}`"
                            ));
                        }
                        c if c.is_ascii_alphanumeric() || c == '_' => name.push(c),
                        c => {
                            return Err(format!(
                                "`{c}` cannot appear in a placeholder name; use letters, digits and `_`, like `{{userId}}`"
                            ));
                        }
                    }
                }
                if !closed {
                    return Err(format!(
                        "unclosed `{{` at byte {at} of the path; close the placeholder with `}}`"
                    ));
                }
                if name.is_empty() {
                    return Err(
                        "empty placeholder `{}`; name it after its argument, like `{userId}`"
                            .to_owned(),
                    );
                }
                if name.starts_with(|c: char| c.is_ascii_digit()) {
                    return Err(format!(
                        "placeholder `{{{name}}}` starts with a digit; name it after its argument"
                    ));
                }
                if pieces.contains(&Piece::Placeholder(name.clone())) {
                    return Err(format!(
                        "placeholder `{{{name}}}` appears twice; each placeholder binds one argument once"
                    ));
                }
                if !literal.is_empty() {
                    pieces.push(Piece::Literal(std::mem::take(&mut literal)));
                }
                pieces.push(Piece::Placeholder(name));
            }
            '}' => {
                return Err(format!(
                    "unmatched `}}` at byte {at} of the path; placeholders are written `{{name}}`"
                ));
            }
            '?' => {
                return Err("the path cannot contain `?`: declare query parameters as arguments with `#[query]`".to_owned());
            }
            '#' => {
                return Err(
                    "the path cannot contain `#`: fragments are never sent to a server".to_owned(),
                );
            }
            c if c.is_whitespace() => {
                return Err(format!(
                    "the path cannot contain whitespace (at byte {at}); remove it or percent-encode it"
                ));
            }
            c if c.is_ascii_alphanumeric() || "/-._~!$&'()*+,;=:@%".contains(c) => literal.push(c),
            c => {
                return Err(format!(
                    "`{c}` is not allowed in a URL path; percent-encode it"
                ));
            }
        }
    }
    if !literal.is_empty() {
        pieces.push(Piece::Literal(literal));
    }
    Ok(pieces)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lit(s: &str) -> Piece {
        Piece::Literal(s.to_owned())
    }
    fn ph(s: &str) -> Piece {
        Piece::Placeholder(s.to_owned())
    }

    #[test]
    fn literal_only() {
        assert_eq!(
            parse_template("/api/v2/tokens/me"),
            Ok(vec![lit("/api/v2/tokens/me")])
        );
    }

    #[test]
    fn placeholders_split_the_literal() {
        assert_eq!(
            parse_template("/api/v2/users/{userId}/presences/{sourceId}"),
            Ok(vec![
                lit("/api/v2/users/"),
                ph("userId"),
                lit("/presences/"),
                ph("sourceId")
            ])
        );
        assert_eq!(
            parse_template("/api/v2/tokens/{userId}"),
            Ok(vec![lit("/api/v2/tokens/"), ph("userId")])
        );
    }

    #[test]
    fn mistakes_are_explained() {
        let cases = [
            ("api/v2", "must start with `/`"),
            ("/a?b=1", "cannot contain `?`"),
            ("/a#top", "cannot contain `#`"),
            ("/a b", "whitespace"),
            ("/a/{id", "unclosed `{`"),
            ("/a/id}", "unmatched `}`"),
            ("/a/{}", "empty placeholder"),
            ("/a/{{id}}", "nested `{`"),
            ("/a/{id}/{id}", "appears twice"),
            ("/a/{user-id}", "cannot appear in a placeholder name"),
            ("/a/\"x\"", "not allowed in a URL path"),
            ("/a/{1d}", "starts with a digit"),
        ];
        for (template, expected) in cases {
            let message = parse_template(template).unwrap_err();
            assert!(message.contains(expected), "{template}: {message}");
        }
    }
}
