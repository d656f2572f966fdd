//! Before a password leaves the machine: can the node be reached, and is its certificate
//! trusted? A TCP connect plus a TLS handshake answers both without sending any request, so
//! no password attempt is spent (Finesse locks an account after five refusals) and the
//! agent gets `unreachable`, `timeout` or `tls_untrusted` in plain words instead of a
//! session that quietly keeps retrying.
use std::sync::Arc;
use std::time::Duration;

use rustls::pki_types::ServerName;
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;

use super::error::AppError;

/// Connect to `host:port` and complete a TLS handshake trusting `tls`.
pub(crate) async fn probe_node(
    host: &str,
    port: u16,
    tls: Arc<rustls::ClientConfig>,
    timeout: Duration,
) -> Result<(), AppError> {
    match tokio::time::timeout(timeout, handshake(host, port, tls)).await {
        Ok(result) => result,
        Err(_) => Err(AppError::Timeout),
    }
}

async fn handshake(host: &str, port: u16, tls: Arc<rustls::ClientConfig>) -> Result<(), AppError> {
    let addresses: Vec<_> = tokio::net::lookup_host((host, port))
        .await
        .map_err(|e| AppError::Unreachable {
            detail: format!("cannot find {host}: {e}"),
        })?
        .collect();
    let mut last_error = None;
    let mut stream = None;
    for address in &addresses {
        match TcpStream::connect(address).await {
            Ok(connected) => {
                stream = Some(connected);
                break;
            }
            Err(e) => last_error = Some(e),
        }
    }
    let Some(stream) = stream else {
        let detail = match last_error {
            Some(e) => format!("cannot connect to {host}:{port}: {e}"),
            None => format!("{host} has no address"),
        };
        return Err(AppError::Unreachable { detail });
    };
    let name = ServerName::try_from(host.to_owned()).map_err(|e| AppError::Unreachable {
        detail: format!("{host} is not a valid server name: {e}"),
    })?;
    match TlsConnector::from(tls).connect(name, stream).await {
        Ok(_) => Ok(()),
        Err(e) => Err(classify_tls(host, &e)),
    }
}

fn classify_tls(host: &str, error: &std::io::Error) -> AppError {
    let tls_error = error
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>());
    match tls_error {
        Some(
            rustls::Error::InvalidCertificate(_)
            | rustls::Error::NoCertificatesPresented
            | rustls::Error::UnsupportedNameType,
        ) => AppError::TlsUntrusted {
            detail: format!("{host}: {error}"),
        },
        _ => AppError::Unreachable {
            detail: format!("TLS with {host} failed: {error}"),
        },
    }
}
