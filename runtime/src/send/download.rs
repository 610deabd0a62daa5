//! [`Client::download_link`]: a link the API handed out (recording media, an export, a job's
//! results), read as a [`ByteStream`] with the client's timeouts and transport, and never
//! with the client's credential on another host.

use std::future::Future;

use http::Method;

use crate::client::Client;
use crate::error::{Error, Result};
use crate::request::RequestBuilder;
use crate::request::endpoint::Endpoint;
use crate::response::FromResponse;
use crate::response::stream::ByteStream;

/// The route downloads are named by in errors, tracing and `Stubs::on_download_links`.
pub(crate) static DOWNLOAD: Endpoint =
    Endpoint::new("download", Method::GET, "(a link the API handed out)").returns("ByteStream");

impl Client {
    /// Downloads `url`, a link the API handed out: a pre-signed URL for recording media, an
    /// export or a job's results. The body streams as it arrives ([`ByteStream`]), each
    /// chunk within the client's request timeout and the whole within the call's deadline
    /// (a [`with_options`](Self::with_options) deadline, or [`ByteStream::deadline`]);
    /// a `429` or `503` is retried like any GET's.
    ///
    /// A link to another host is requested **without** the client's `Authorization`
    /// header, and without its hooks (which could add credentials): a pre-signed link
    /// carries its own. Only a link on the client's own API host (its base URL) is sent
    /// with the client's token. The runtime never follows redirects.
    ///
    /// ```no_run
    /// # async fn run(client: genesys_runtime::Client, media_uri: &str) -> genesys_runtime::Result<()> {
    /// let mut media = client.download_link(media_uri).await?;
    /// while let Some(chunk) = media.chunk().await? {
    ///     // write the chunk to a file
    /// #   let _ = chunk;
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] (nothing sent) when `url` is not an absolute `https://`
    /// URL (`http://` only when the client's own base URL is `http://`, as on loopback);
    /// otherwise what any call gives: [`Error::Api`] for a non-2xx answer,
    /// [`Error::Timeout`], [`Error::Transport`].
    pub fn download_link<'c>(
        &'c self,
        url: &str,
    ) -> impl Future<Output = Result<ByteStream>> + Send + 'c {
        let base = self.base_url();
        let mut request = RequestBuilder::new(self, &DOWNLOAD);
        request.url.clear();
        request.url.push_str(url);
        match checked(base, url) {
            Ok(own_host) => request.authenticate = own_host,
            Err(why) => request.error = Some(Error::invalid_argument("url", why)),
        }
        request.send(<ByteStream as FromResponse>::DECODER)
    }
}

/// Whether `url` is on the client's own host (`base`), or why it cannot be downloaded.
fn checked(base: &str, url: &str) -> std::result::Result<bool, String> {
    let parsed = reqwest::Url::parse(url).map_err(|e| {
        format!(
            "it is not an absolute URL ({e}): pass the whole link the API handed out, `https://...`"
        )
    })?;
    let base_is_http = base.starts_with("http://");
    match parsed.scheme() {
        "https" => {}
        "http" if base_is_http => {}
        scheme => {
            return Err(format!(
                "its scheme is `{scheme}`: a link the API hands out is `https://`"
            ));
        }
    }
    if parsed.host_str().is_none() || !parsed.username().is_empty() || parsed.password().is_some() {
        return Err("it has no host, or carries a user name or password".to_owned());
    }
    let own_host = url
        .strip_prefix(base)
        .is_some_and(|rest| rest.starts_with('/'));
    Ok(own_host)
}

#[cfg(test)]
mod tests {
    use super::checked;

    #[test]
    fn only_the_clients_own_host_gets_the_credential() {
        let base = "https://api.mypurecloud.com";
        assert_eq!(
            checked(base, "https://api.mypurecloud.com/api/v2/x"),
            Ok(true)
        );
        assert_eq!(
            checked(base, "https://api.mypurecloud.com.evil.example/x"),
            Ok(false)
        );
        assert_eq!(
            checked(base, "https://bucket.s3.amazonaws.com/x?sig=1"),
            Ok(false)
        );
        assert!(checked(base, "http://bucket.s3.amazonaws.com/x").is_err());
        assert!(checked(base, "/api/v2/x").is_err());
        assert!(checked(base, "https://user:pw@host/x").is_err());
        assert_eq!(
            checked("http://127.0.0.1:9", "http://127.0.0.1:10/x"),
            Ok(false)
        );
    }
}
