//! The policy keys of `#[endpoint]`: `timeout = "5s"` (each attempt's bound) and
//! `retry = "safe" | "never"` (which failures may be retried), parsed from their literals.

use syn::LitStr;

use crate::errors::Errors;
use crate::method::HttpMethod;

/// The longest declared timeout: 1 hour (a longer one is a mistake in units).
const MAX_TIMEOUT_MS: u64 = 3_600_000;

/// The declared retry rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Retry {
    /// `retry = "safe"`: a POST or PATCH that may be sent twice.
    Safe,
    /// `retry = "never"`: one request, whatever the answer.
    Never,
}

/// Parses `"5s"`, `"500ms"`, `"2m"` into milliseconds, or explains what to write.
pub(crate) fn parse_timeout(text: &str) -> Result<u64, String> {
    let hint = "write a whole number with a unit: `timeout = \"30s\"`, `\"500ms\"` or `\"2m\"`";
    let text = text.trim();
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    let (number, unit) = text.split_at(digits);
    if number.is_empty() {
        return Err(format!("`{text}` is not a duration; {hint}"));
    }
    let factor = match unit {
        "ms" => 1,
        "s" => 1_000,
        "m" => 60_000,
        "" => return Err(format!("`{text}` has no unit; {hint}")),
        other => return Err(format!("unknown unit `{other}`; {hint}")),
    };
    let millis = number
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(factor))
        .filter(|ms| *ms <= MAX_TIMEOUT_MS)
        .ok_or_else(|| format!("`{text}` is longer than 1 hour; {hint}"))?;
    if millis == 0 {
        return Err(format!(
            "a timeout of zero would fail every call; {hint}, or leave `timeout` out to use the client's"
        ));
    }
    Ok(millis)
}

/// Parses the retry rule for `method`, or explains what to write (including a rule that
/// changes nothing for this method).
pub(crate) fn parse_retry(text: &str, method: Option<HttpMethod>) -> Result<Retry, String> {
    match text {
        "safe" => match method {
            Some(m) if !matches!(m, HttpMethod::Post | HttpMethod::Patch) => Err(format!(
                "`{}` is retried after a 502-504 or a lost connection already; remove `retry = \"safe\"` (it is for a POST or PATCH that only reads)",
                m.as_str()
            )),
            _ => Ok(Retry::Safe),
        },
        "never" => Ok(Retry::Never),
        other => Err(format!(
            "unknown retry rule `{other}`; write `retry = \"safe\"` (a POST or PATCH that may be sent twice) or `retry = \"never\"` (one request, whatever the answer)"
        )),
    }
}

/// The policy of one endpoint.
#[derive(Default)]
pub(crate) struct Policy {
    pub(crate) timeout_ms: Option<u64>,
    pub(crate) retry: Option<Retry>,
}

/// Reads both keys, reporting mistakes on their literals.
pub(crate) fn parse(
    timeout: Option<&LitStr>,
    retry: Option<&LitStr>,
    method: Option<HttpMethod>,
    errors: &mut Errors,
) -> Policy {
    let mut report = |lit: &LitStr, message: String| errors.push(lit.span(), message);
    Policy {
        timeout_ms: timeout
            .and_then(|lit| parse_timeout(&lit.value()).map_err(|m| report(lit, m)).ok()),
        retry: retry.and_then(|lit| {
            parse_retry(&lit.value(), method)
                .map_err(|m| report(lit, m))
                .ok()
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeouts_with_units() {
        assert_eq!(parse_timeout("5s"), Ok(5_000));
        assert_eq!(parse_timeout("500ms"), Ok(500));
        assert_eq!(parse_timeout("2m"), Ok(120_000));
        for bad in ["5", "s", "5h", "0s", "61m", "1.5s", "-1s", ""] {
            assert!(parse_timeout(bad).is_err(), "{bad}");
        }
        assert!(parse_timeout("5").unwrap_err().contains("no unit"));
    }

    #[test]
    fn retry_rules_by_method() {
        assert_eq!(parse_retry("safe", Some(HttpMethod::Post)), Ok(Retry::Safe));
        assert_eq!(
            parse_retry("never", Some(HttpMethod::Get)),
            Ok(Retry::Never)
        );
        assert!(
            parse_retry("safe", Some(HttpMethod::Get))
                .unwrap_err()
                .contains("already")
        );
        assert!(parse_retry("always", Some(HttpMethod::Post)).is_err());
    }
}
