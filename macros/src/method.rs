//! The HTTP methods an endpoint may declare, parsed from the `method = "..."` literal.

/// One of the HTTP methods Genesys Cloud endpoints use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum HttpMethod {
    Get,
    Head,
    Post,
    Put,
    Patch,
    Delete,
}

const ALL: [(&str, HttpMethod); 6] = [
    ("GET", HttpMethod::Get),
    ("HEAD", HttpMethod::Head),
    ("POST", HttpMethod::Post),
    ("PUT", HttpMethod::Put),
    ("PATCH", HttpMethod::Patch),
    ("DELETE", HttpMethod::Delete),
];

impl HttpMethod {
    /// Parses the upper-case method name, or explains what to write instead.
    pub(crate) fn parse(text: &str) -> Result<Self, String> {
        if let Some((_, method)) = ALL.iter().find(|(name, _)| *name == text) {
            return Ok(*method);
        }
        let upper = text.to_ascii_uppercase();
        if let Some((name, _)) = ALL.iter().find(|(name, _)| *name == upper) {
            return Err(format!(
                "HTTP methods are written in upper case: write `\"{name}\"`"
            ));
        }
        let nearest = ALL
            .iter()
            .map(|(name, _)| *name)
            .filter(|name| is_close(&upper, name))
            .min_by_key(|name| edit_distance(&upper, name));
        match nearest {
            Some(name) => Err(format!(
                "unknown HTTP method `{text}`; did you mean `\"{name}\"`? (expected one of GET, HEAD, POST, PUT, PATCH, DELETE)"
            )),
            None => Err(format!(
                "unsupported HTTP method `{text}`; expected one of GET, HEAD, POST, PUT, PATCH, DELETE"
            )),
        }
    }

    /// The constant's name on `http::Method`.
    pub(crate) fn as_str(self) -> &'static str {
        ALL.iter()
            .find(|(_, method)| *method == self)
            .map(|(name, _)| *name)
            .unwrap_or("GET")
    }

    /// Whether a request with this method may carry a body.
    pub(crate) fn allows_body(self) -> bool {
        !matches!(self, HttpMethod::Get | HttpMethod::Head)
    }
}

/// Whether `typed` is close enough to `valid` to suggest it: one edit away, or two edits
/// that only reorder the same letters (`DLEETE`), or one spelled inside the other. `FETCH` is two edits from `PATCH` but
/// means something else, so it is not suggested.
pub(crate) fn is_close(typed: &str, valid: &str) -> bool {
    // One inside the other: `rename` for `name`, `content` for `content_type`.
    let (short, long) = if typed.len() < valid.len() {
        (typed, valid)
    } else {
        (valid, typed)
    };
    if short.len() >= 3 && long.contains(short) {
        return true;
    }
    match edit_distance(typed, valid) {
        0 | 1 => true,
        2 => {
            let sorted = |s: &str| {
                let mut chars: Vec<char> = s.chars().collect();
                chars.sort_unstable();
                chars
            };
            sorted(typed) == sorted(valid)
        }
        _ => false,
    }
}

/// Levenshtein distance, for "did you mean" suggestions.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (diagonal + usize::from(ca != cb))
                .min(row[j] + 1)
                .min(above + 1);
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_six_methods() {
        for (name, method) in ALL {
            assert_eq!(HttpMethod::parse(name), Ok(method));
            assert_eq!(method.as_str(), name);
        }
    }

    #[test]
    fn lower_case_is_refused_with_the_upper_case_spelling() {
        let message = HttpMethod::parse("get").unwrap_err();
        assert!(message.contains("write `\"GET\"`"), "{message}");
    }

    #[test]
    fn typos_get_the_nearest_method() {
        let message = HttpMethod::parse("DELTE").unwrap_err();
        assert!(message.contains("did you mean `\"DELETE\"`"), "{message}");
        let message = HttpMethod::parse("PATCHH").unwrap_err();
        assert!(message.contains("`\"PATCH\"`"), "{message}");
    }

    #[test]
    fn unrelated_words_list_the_valid_methods() {
        for far in ["CONNECT", "FETCH", "PUSH", "GOTO"] {
            let message = HttpMethod::parse(far).unwrap_err();
            assert!(message.contains("expected one of GET, HEAD"), "{message}");
            assert!(!message.contains("did you mean"), "{far}: {message}");
        }
        let message = HttpMethod::parse("DLEETE").unwrap_err();
        assert!(message.contains("did you mean `\"DELETE\"`"), "{message}");
    }

    #[test]
    fn only_get_and_head_forbid_a_body() {
        assert!(!HttpMethod::Get.allows_body());
        assert!(!HttpMethod::Head.allows_body());
        assert!(HttpMethod::Post.allows_body());
        assert!(HttpMethod::Delete.allows_body());
    }
}
