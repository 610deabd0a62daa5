//! Where requests and the token request go, from the builder's `region`, `base_url` and
//! `login_url`, whatever order they were set in:
//!
//! | set | API requests | token request |
//! |---|---|---|
//! | nothing | `us-east-1` API host | `us-east-1` login host |
//! | `region(R)` | R's API host | R's login host |
//! | `base_url(B)` | B | B with `api.` turned into `login.`; B itself for other hosts |
//! | `region(R)` and `base_url(B)` | B | R's login host |
//! | `login_url(L)`, with any of the above | as above | L |
//!
//! Combinations that cannot be right are refused: a Genesys host of one region with a
//! region or login host of another, a login host as the base URL or an API host as the login
//! URL, and any URL with credentials in it (`user:password@`).

use crate::config::region::Region;
use crate::error::{Error, Result};

/// The resolved base URLs, without a trailing `/`.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Endpoints {
    pub(crate) api: String,
    pub(crate) login: String,
}

/// Resolves the base URLs by the table above.
pub(crate) fn resolve(
    region: Option<Region>,
    base_url: Option<&str>,
    login_url: Option<&str>,
) -> Result<Endpoints> {
    let base = base_url.map(|u| normalize_url("base URL", u)).transpose()?;
    let login = login_url
        .map(|u| normalize_url("login URL", u))
        .transpose()?;
    let base_host = base.as_deref().and_then(genesys_host);
    let login_host = login.as_deref().and_then(genesys_host);

    if let Some((_, Host::Login)) = base_host {
        return Err(Error::config(format!(
            "the base URL {:?} is a Genesys login host; use the API host (`api.` instead of `login.`), or `region(..)`",
            base.unwrap_or_default()
        )));
    }
    if let Some((_, Host::Api)) = login_host {
        return Err(Error::config(format!(
            "the login URL {:?} is a Genesys API host; use the login host (`login.` instead of `api.`), or leave it out to follow the region",
            login.unwrap_or_default()
        )));
    }
    // Each pair of settings that name a region must name the same one: (the region set,
    // the region the URL belongs to, which URL, what to do).
    let region_of = |host: Option<(Region, Host)>| host.map(|(region, _)| region);
    let pairs = [
        (
            region,
            region_of(base_host),
            "base URL",
            &base,
            "set only one of them",
        ),
        (
            region,
            region_of(login_host),
            "login URL",
            &login,
            "the client secret would go to another region; set only one of them",
        ),
        (
            region_of(base_host),
            region_of(login_host),
            "login URL",
            &login,
            "(the region of the base URL); use one region for both",
        ),
    ];
    for (ours, theirs, what, url, hint) in pairs {
        if let (Some(ours), Some(theirs)) = (ours, theirs) {
            if ours != theirs {
                let url = url.as_deref().unwrap_or_default();
                return Err(Error::config(format!(
                    "the {what} {url:?} belongs to region {theirs}, but {ours} is set too; {hint}"
                )));
            }
        }
    }

    let default = Region::UsEast1;
    let login = match (login, region, &base) {
        (Some(login), _, _) => login,
        (None, Some(region), _) => region.login_base_url().to_owned(),
        (None, None, Some(base)) => derive_login_url(base),
        (None, None, None) => default.login_base_url().to_owned(),
    };
    let api = base.unwrap_or_else(|| region.unwrap_or(default).api_base_url().to_owned());
    Ok(Endpoints { api, login })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Host {
    Api,
    Login,
}

/// The region and kind of a Genesys host (`api.mypurecloud.ie`, `login.usw2.pure.cloud`).
fn genesys_host(url: &str) -> Option<(Region, Host)> {
    let host = reqwest::Url::parse(url)
        .ok()?
        .host_str()?
        .to_ascii_lowercase();
    let (kind, domain) = if let Some(domain) = host.strip_prefix("api.") {
        (Host::Api, domain)
    } else {
        (Host::Login, host.strip_prefix("login.")?)
    };
    let region = Region::ALL.iter().find(|r| r.domain() == domain)?;
    Some((*region, kind))
}

/// Checks an absolute `http(s)` URL without credentials, query or fragment, and drops a
/// trailing `/`.
pub(crate) fn normalize_url(what: &str, raw: &str) -> Result<String> {
    let trimmed = raw.trim().trim_end_matches('/');
    let shown = redact_userinfo(trimmed);
    let url = reqwest::Url::parse(trimmed).map_err(|e| {
        Error::config(format!(
            "{what} {shown:?} is not an absolute URL ({e}); write it like `https://api.mypurecloud.com`"
        ))
    })?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::config(format!(
            "{what} {shown:?} has credentials in it (`user:password@`), which would be sent to that host and shown in logs; remove them and use `access_token` or `client_credentials`"
        )));
    }
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Error::config(format!(
            "{what} {shown:?} must use http or https"
        )));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::config(format!(
            "{what} {shown:?} must not have a query or fragment"
        )));
    }
    Ok(trimmed.to_owned())
}

/// The URL with anything before an `@` in its authority replaced by `<redacted>`, for
/// messages.
pub(crate) fn redact_userinfo(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{scheme}://<redacted>@{}", &rest[at + 1..]),
        None => url.to_owned(),
    }
}

/// `https://api.example.com/x` → `https://login.example.com/x`; other hosts log in at the
/// same URL (a gateway or a local fake serving `/oauth/token` itself).
fn derive_login_url(base_url: &str) -> String {
    match base_url.split_once("://api.") {
        Some((scheme, rest)) => format!("{scheme}://login.{rest}"),
        None => base_url.to_owned(),
    }
}

/// Refuses plain `http` to anything but loopback: the token would cross the network in clear.
pub(crate) fn refuse_plain_http(what: &str, url: &str) -> Result<()> {
    let parsed = reqwest::Url::parse(url).map_err(|e| Error::config(format!("{what}: {e}")))?;
    if parsed.scheme() != "http" {
        return Ok(());
    }
    let host = parsed.host_str().unwrap_or_default();
    let loopback = host.eq_ignore_ascii_case("localhost")
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    if loopback {
        Ok(())
    } else {
        Err(Error::config(format!(
            "{what} {url:?} is plain http to a non-loopback host, so the token would travel in clear text; use https, or call `allow_insecure_http(true)` if this network is trusted"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(region: Option<Region>, base: Option<&str>, login: Option<&str>) -> (String, String) {
        let e = resolve(region, base, login).unwrap();
        (e.api, e.login)
    }

    fn err(region: Option<Region>, base: Option<&str>, login: Option<&str>) -> String {
        resolve(region, base, login).unwrap_err().to_string()
    }

    #[test]
    fn the_precedence_table() {
        let ie = Some(Region::EuWest1);
        let pair = |a: &str, l: &str| (a.to_owned(), l.to_owned());
        assert_eq!(
            ok(None, None, None),
            pair(
                "https://api.mypurecloud.com",
                "https://login.mypurecloud.com"
            )
        );
        assert_eq!(
            ok(ie, None, None),
            pair("https://api.mypurecloud.ie", "https://login.mypurecloud.ie")
        );
        assert_eq!(
            ok(None, Some("https://api.mypurecloud.ie/"), None),
            pair("https://api.mypurecloud.ie", "https://login.mypurecloud.ie")
        );
        assert_eq!(
            ok(None, Some("http://127.0.0.1:9"), None),
            pair("http://127.0.0.1:9", "http://127.0.0.1:9")
        );
        assert_eq!(
            ok(ie, Some("https://gw.example.com"), None),
            pair("https://gw.example.com", "https://login.mypurecloud.ie")
        );
        assert_eq!(
            ok(
                ie,
                Some("https://gw.example.com"),
                Some("https://sso.example.com")
            ),
            pair("https://gw.example.com", "https://sso.example.com")
        );
        assert_eq!(
            ok(None, None, Some("https://login.mypurecloud.ie")),
            pair(
                "https://api.mypurecloud.com",
                "https://login.mypurecloud.ie"
            )
        );
    }

    #[test]
    fn contradictions_are_refused() {
        let ie = Some(Region::EuWest1);
        let e = err(ie, Some("https://api.mypurecloud.com"), None);
        assert!(e.contains("us-east-1") && e.contains("eu-west-1"), "{e}");
        let e = err(ie, None, Some("https://login.mypurecloud.de"));
        assert!(e.contains("another region"), "{e}");
        let e = err(
            None,
            Some("https://api.mypurecloud.ie"),
            Some("https://login.mypurecloud.jp"),
        );
        assert!(e.contains("one region"), "{e}");
        let e = err(None, Some("https://login.mypurecloud.ie"), None);
        assert!(e.contains("login host"), "{e}");
        let e = err(None, None, Some("https://api.mypurecloud.ie"));
        assert!(e.contains("API host"), "{e}");
    }

    #[test]
    fn credentials_in_a_url_are_refused_without_echoing_them() {
        for url in [
            "https://user:hunter2@api.mypurecloud.com",
            "https://hunter2@gw.example.com/x",
            "http://u:hunter2@127.0.0.1:bad",
        ] {
            let e = err(None, Some(url), None);
            assert!(!e.contains("hunter2"), "{e}");
            assert!(e.contains("<redacted>"), "{e}");
        }
        let e = err(None, None, Some("https://a:hunter2@login.mypurecloud.com"));
        assert!(e.contains("credentials") && !e.contains("hunter2"), "{e}");
    }

    #[test]
    fn plain_http_is_refused_except_to_loopback() {
        assert!(refuse_plain_http("base URL", "http://127.0.0.1:8080").is_ok());
        assert!(refuse_plain_http("base URL", "http://[::1]:8080").is_ok());
        assert!(refuse_plain_http("base URL", "http://localhost:8080").is_ok());
        assert!(refuse_plain_http("base URL", "https://api.mypurecloud.com").is_ok());
        let error = refuse_plain_http("base URL", "http://api.mypurecloud.com").unwrap_err();
        assert!(error.to_string().contains("allow_insecure_http"), "{error}");
    }
}
