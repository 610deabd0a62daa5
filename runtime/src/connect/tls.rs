//! TLS for a [`Connection`](super::Connection): rustls, the platform's verifier, and the
//! client's extra roots: what the client's own HTTPS calls trust.

use tokio::net::TcpStream;

use super::Connection;
use crate::error::Result;

#[cfg(any(feature = "rustls-ring", feature = "rustls-aws-lc"))]
pub(super) async fn wrap(tcp: TcpStream, host: &str, roots: &[Vec<u8>]) -> Result<Connection> {
    use std::sync::Arc;

    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, ServerName};

    use crate::error::Error;

    crate::send::transport::install_crypto_provider();
    let provider = match rustls::crypto::CryptoProvider::get_default() {
        Some(provider) => provider.clone(),
        #[cfg(feature = "rustls-aws-lc")]
        None => Arc::new(rustls::crypto::aws_lc_rs::default_provider()),
        #[cfg(not(feature = "rustls-aws-lc"))]
        None => Arc::new(rustls::crypto::ring::default_provider()),
    };
    let mut extra = Vec::new();
    for pem in roots {
        for certificate in CertificateDer::pem_slice_iter(pem) {
            extra.push(certificate.map_err(|e| {
                Error::config(format!(
                    "a root certificate is not PEM (`-----BEGIN CERTIFICATE-----`): {e}"
                ))
            })?);
        }
    }
    let verifier =
        rustls_platform_verifier::Verifier::new_with_extra_roots(extra, provider.clone()).map_err(
            |e| Error::config(format!("the platform's TLS roots could not be loaded: {e}")),
        )?;
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::config(format!("TLS could not be configured: {e}")))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    let name = ServerName::try_from(host.to_owned())
        .map_err(|e| Error::config(format!("`{host}` is not a TLS server name: {e}")))?;
    let stream = tokio_rustls::TlsConnector::from(Arc::new(config))
        .connect(name, tcp)
        .await
        .map_err(|e| super::transport(e, true))?;
    Ok(Connection {
        inner: super::Inner::Tls(Box::new(stream)),
    })
}

#[cfg(not(any(feature = "rustls-ring", feature = "rustls-aws-lc")))]
pub(super) async fn wrap(tcp: TcpStream, host: &str, roots: &[Vec<u8>]) -> Result<Connection> {
    let _ = (tcp, roots);
    Err(crate::error::Error::config(format!(
        "the connection to {host} needs TLS, which `Client::connect` takes from rustls: enable the `rustls-ring` (default) or `rustls-aws-lc` feature"
    )))
}
