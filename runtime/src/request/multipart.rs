//! [`Multipart`]: a `multipart/form-data` body (RFC 7578), encoded in memory so that a
//! retried request sends the same bytes again.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};

use bytes::{BufMut, Bytes, BytesMut};
use http::HeaderValue;

/// A `multipart/form-data` body: text fields and files, in order. Declare the argument
/// `#[body(multipart)] form: &Multipart`.
///
/// ```
/// use genesys_runtime::Multipart;
/// let form = Multipart::new()
///     .text("description", "Q3 schedule")
///     .file("file", "schedule.csv", "text/csv", b"agent,start\n".to_vec());
/// assert_eq!(form.len(), 2);
/// ```
///
/// Names and file names are sent in quotes, with `"` and every control character (CR, LF,
/// NUL, tab, ...) percent-encoded as browsers do, so that none can end the quotes or the
/// header line.
#[derive(Clone, Default)]
pub struct Multipart {
    parts: Vec<Part>,
}

#[derive(Clone)]
struct Part {
    name: String,
    filename: Option<String>,
    content_type: Option<String>,
    data: Bytes,
}

impl Multipart {
    /// An empty form.
    pub fn new() -> Self {
        Multipart::default()
    }

    /// Adds a text field.
    #[must_use]
    pub fn text(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.parts.push(Part {
            name: name.into(),
            filename: None,
            content_type: None,
            data: Bytes::from(value.into()),
        });
        self
    }

    /// Adds a file: its field name, file name, media type (such as `text/csv`) and bytes.
    #[must_use]
    pub fn file(
        mut self,
        name: impl Into<String>,
        filename: impl Into<String>,
        content_type: impl Into<String>,
        data: impl Into<Bytes>,
    ) -> Self {
        self.parts.push(Part {
            name: name.into(),
            filename: Some(filename.into()),
            content_type: Some(content_type.into()),
            data: data.into(),
        });
        self
    }

    /// How many parts the form has.
    pub fn len(&self) -> usize {
        self.parts.len()
    }

    /// Whether the form has no parts.
    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    /// The encoded body and its `Content-Type` (`multipart/form-data; boundary=...`), or why
    /// the form cannot be sent.
    pub(crate) fn encode(&self) -> Result<(Bytes, HeaderValue), String> {
        for part in &self.parts {
            if let Some(content_type) = &part.content_type {
                if HeaderValue::from_str(content_type).is_err() || content_type.is_empty() {
                    return Err(format!(
                        "the media type of part `{}` is not a valid header value; write one like `text/csv`",
                        part.name.escape_debug()
                    ));
                }
            }
        }
        let boundary = self.boundary();
        let size: usize = self
            .parts
            .iter()
            .map(|p| p.data.len() + p.name.len() + 160)
            .sum();
        let mut out = BytesMut::with_capacity(size + boundary.len() + 8);
        for part in &self.parts {
            out.put_slice(b"--");
            out.put_slice(boundary.as_bytes());
            out.put_slice(b"\r\nContent-Disposition: form-data; name=\"");
            out.put_slice(quoted(&part.name).as_bytes());
            out.put_slice(b"\"");
            if let Some(filename) = &part.filename {
                out.put_slice(b"; filename=\"");
                out.put_slice(quoted(filename).as_bytes());
                out.put_slice(b"\"");
            }
            out.put_slice(b"\r\n");
            if let Some(content_type) = &part.content_type {
                out.put_slice(b"Content-Type: ");
                out.put_slice(content_type.as_bytes());
                out.put_slice(b"\r\n");
            }
            out.put_slice(b"\r\n");
            out.put_slice(&part.data);
            out.put_slice(b"\r\n");
        }
        out.put_slice(b"--");
        out.put_slice(boundary.as_bytes());
        out.put_slice(b"--\r\n");
        let content_type =
            HeaderValue::try_from(format!("multipart/form-data; boundary={boundary}"))
                .map_err(|_| "the boundary is not a header value".to_owned())?;
        Ok((out.freeze(), content_type))
    }

    /// A boundary found in no part.
    fn boundary(&self) -> String {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        loop {
            let n = NEXT.fetch_add(1, Ordering::Relaxed);
            let mixed =
                (seed ^ n.wrapping_mul(0x9E37_79B9_7F4A_7C15)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            let boundary = format!("genesys-{mixed:016x}");
            let needle = boundary.as_bytes();
            let clash = self
                .parts
                .iter()
                .any(|p| p.data.windows(needle.len()).any(|w| w == needle));
            if !clash {
                return boundary;
            }
        }
    }
}

/// A name or file name inside quotes: `"`, CR and LF percent-encoded (as browsers do), and
/// so is every other control character (NUL, tab, DEL, ...), which a header line cannot carry
/// either.
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c == '"' || c.is_ascii_control() {
            out.push_str(&format!("%{:02X}", c as u8));
        } else {
            out.push(c);
        }
    }
    out
}

impl AsRef<Multipart> for Multipart {
    fn as_ref(&self) -> &Multipart {
        self
    }
}

impl fmt::Debug for Multipart {
    /// Names and sizes only: parts may hold anything.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut list = f.debug_list();
        for part in &self.parts {
            list.entry(&format_args!(
                "{:?}{} ({} bytes)",
                part.name,
                part.filename
                    .as_deref()
                    .map(|n| format!(" file {n:?}"))
                    .unwrap_or_default(),
                part.data.len()
            ));
        }
        list.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_fields_and_files_with_one_boundary() {
        let form =
            Multipart::new()
                .text("a\"b", "x")
                .file("file", "r.csv", "text/csv", &b"1,2\n"[..]);
        let (body, content_type) = form.encode().unwrap();
        let content_type = content_type.to_str().unwrap();
        let boundary = content_type
            .strip_prefix("multipart/form-data; boundary=")
            .unwrap();
        let expected = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"a%22b\"\r\n\r\nx\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"r.csv\"\r\nContent-Type: text/csv\r\n\r\n1,2\n\r\n\
             --{boundary}--\r\n"
        );
        assert_eq!(std::str::from_utf8(&body).unwrap(), expected);
    }

    #[test]
    fn names_cannot_end_their_quotes_or_their_line() {
        assert_eq!(quoted("a\"b\r\nc"), "a%22b%0D%0Ac");
        assert_eq!(quoted("nul\0tab\tdel\u{7f}"), "nul%00tab%09del%7F");
        assert_eq!(quoted("résumé 100%.pdf"), "résumé 100%.pdf");
    }

    #[test]
    fn a_media_type_with_a_line_break_is_refused() {
        let form = Multipart::new().file("f", "n", "text/csv\r\nX-Evil: 1", Bytes::new());
        assert!(
            form.encode()
                .unwrap_err()
                .contains("not a valid header value")
        );
    }
}
