//! Text that came from a server, made safe to put into an error message or a log line:
//! bounded in length, on one line, and without any secret the request carried.

use std::fmt::{self, Write};

use bytes::Bytes;

/// How many bytes of an unexpected body an error keeps, at most.
pub(crate) const SNIPPET_LIMIT: usize = 512;

/// How many characters of a server-chosen message (an `ErrorBody` message, an OAuth
/// `error_description`) an error shows, at most.
pub(crate) const MESSAGE_LIMIT: usize = 512;

/// How many characters of a short server-chosen code (`bad.credentials`, `invalid_client`)
/// an error shows, at most.
pub(crate) const CODE_LIMIT: usize = 128;

/// What replaces a secret found in server text.
pub(crate) const REDACTED: &str = "<redacted>";

/// Displays server text on one line and at most `limit` characters: line breaks, tabs and
/// other control characters are escaped (`\n`, `\u{1b}`), and a longer text ends with `…`.
pub(crate) struct OneLine<'a>(pub(crate) &'a str, pub(crate) usize);

impl fmt::Display for OneLine<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let OneLine(text, limit) = *self;
        for (shown, c) in text.chars().enumerate() {
            if shown == limit {
                return f.write_char('…');
            }
            match c {
                '\n' => f.write_str("\\n")?,
                '\r' => f.write_str("\\r")?,
                '\t' => f.write_str("\\t")?,
                // Bidirectional overrides can make a log line read differently from its bytes.
                c if c.is_control() || ('\u{202a}'..='\u{202e}').contains(&c) => {
                    write!(f, "\\u{{{:x}}}", c as u32)?
                }
                c => f.write_char(c)?,
            }
        }
        Ok(())
    }
}

/// Server text as an owned, bounded, single-line string.
pub(crate) fn one_line(text: &str, limit: usize) -> String {
    OneLine(text, limit).to_string()
}

/// The first bytes of a body, cut at a character boundary and made single-line, for error
/// messages.
pub(crate) fn snippet(body: &[u8]) -> String {
    let cut = &body[..body.len().min(SNIPPET_LIMIT)];
    let text = match std::str::from_utf8(cut) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        // A multi-byte character was cut in half: drop the partial tail.
        Err(e) if e.error_len().is_none() => String::from_utf8_lossy(&cut[..e.valid_up_to()]),
        Err(_) => String::from_utf8_lossy(cut),
    };
    let mut shown = one_line(&text, usize::MAX);
    if body.len() > SNIPPET_LIMIT {
        shown.push('…');
    }
    shown
}

/// The body with every occurrence of each secret replaced by `<redacted>`, so that a server
/// that echoes the request (its `Authorization` header, its form) cannot put a secret into
/// an error or a log. Returns the body untouched (no copy) when no secret occurs in it.
pub(crate) fn scrub(body: Bytes, secrets: &[&str]) -> Bytes {
    let secrets = secrets.iter().filter(|s| !s.is_empty());
    let mut text: Option<String> = None;
    for secret in secrets {
        let current = text.as_deref().map_or(&body[..], str::as_bytes);
        if !contains(current, secret.as_bytes()) {
            continue;
        }
        let replaced = String::from_utf8_lossy(current).replace(secret, REDACTED);
        text = Some(replaced);
    }
    text.map_or(body, Bytes::from)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    needle.len() <= haystack.len() && haystack.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_escapes_control_characters_and_bounds_the_length() {
        assert_eq!(
            one_line("a\nb\r\tc\u{1b}[31m", 100),
            "a\\nb\\r\\tc\\u{1b}[31m"
        );
        assert_eq!(one_line("abcdef", 3), "abc…");
        assert_eq!(one_line("abc", 3), "abc");
        assert_eq!(one_line("x\u{202e}y", 10), "x\\u{202e}y");
    }

    #[test]
    fn snippet_is_bounded_single_line_and_cut_at_a_char_boundary() {
        let body = "é".repeat(400); // 800 bytes
        let s = snippet(body.as_bytes());
        assert!(s.ends_with('…'));
        assert_eq!(s.chars().filter(|c| *c == 'é').count(), 256);
        assert_eq!(snippet(b"short"), "short");
        assert_eq!(snippet(b"two\nlines"), "two\\nlines");
    }

    #[test]
    fn scrub_replaces_every_secret_and_copies_nothing_otherwise() {
        let body = Bytes::from_static(b"{\"echo\":\"Basic QUJD and s3cr3t, s3cr3t\"}");
        let scrubbed = scrub(body, &["QUJD", "s3cr3t", ""]);
        assert_eq!(
            &scrubbed[..],
            b"{\"echo\":\"Basic <redacted> and <redacted>, <redacted>\"}"
        );
        let clean = Bytes::from_static(b"nothing here");
        let same = scrub(clean.clone(), &["s3cr3t"]);
        assert_eq!(same.as_ptr(), clean.as_ptr());
    }
}
