//! Which certificate authorities Ringside trusts when it talks to Finesse.
//!
//! Trust is the operating system's store plus, optionally, one PEM file of extra CAs (a lab or
//! company CA that signed the Finesse Tomcat certificate). There is deliberately no way to turn
//! certificate verification off: a contact-center agent's password travels on these connections.

use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::{ClientConfig, RootCertStore};

/// ALPN protocols offered by the REST client.
pub const HTTP_ALPN: &[&[u8]] = &[b"h2", b"http/1.1"];

/// Where trust anchors come from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustSettings {
    /// A PEM file with one or more CA certificates trusted in addition to the OS store.
    pub extra_ca_file: Option<PathBuf>,
}

/// Why a TLS client configuration could not be built.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("cannot read the CA file {path}: {source}")]
    CaFileUnreadable {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the CA file {path} holds no usable certificate: {reason}")]
    CaFileInvalid { path: PathBuf, reason: String },
    #[error("no trusted certificate authorities: the system store is empty or missing and no CA file is configured")]
    NoTrustAnchors,
    #[error("the TLS library rejected its configuration: {0}")]
    Provider(String),
}

impl TlsError {
    /// A stable, machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            TlsError::CaFileUnreadable { .. } => "ca_file_unreadable",
            TlsError::CaFileInvalid { .. } => "ca_file_invalid",
            TlsError::NoTrustAnchors => "no_trust_anchors",
            TlsError::Provider(_) => "tls_provider",
        }
    }
}

impl TrustSettings {
    /// Trust the OS store plus the CAs in `path`.
    pub fn with_extra_ca(path: impl Into<PathBuf>) -> Self {
        TrustSettings {
            extra_ca_file: Some(path.into()),
        }
    }

    /// The trust anchors: OS store (individual unparsable certificates are skipped) plus the CA file.
    pub fn root_store(&self) -> Result<RootCertStore, TlsError> {
        let mut store = RootCertStore::empty();
        add_native_roots(&mut store);
        if let Some(path) = &self.extra_ca_file {
            add_pem_file(&mut store, path)?;
        }
        if store.is_empty() {
            return Err(TlsError::NoTrustAnchors);
        }
        Ok(store)
    }

    /// A client configuration without ALPN (XMPP).
    pub fn client_config(&self) -> Result<Arc<ClientConfig>, TlsError> {
        self.client_config_with_alpn(&[])
    }

    /// A client configuration offering the given ALPN protocols (HTTP needs [`HTTP_ALPN`]).
    pub fn client_config_with_alpn(&self, alpn: &[&[u8]]) -> Result<Arc<ClientConfig>, TlsError> {
        let roots = self.root_store()?;
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| TlsError::Provider(e.to_string()))?
            .with_root_certificates(roots)
            .with_no_client_auth();
        config.alpn_protocols = alpn.iter().map(|p| p.to_vec()).collect();
        Ok(Arc::new(config))
    }
}

impl fmt::Display for TrustSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.extra_ca_file {
            Some(path) => write!(f, "system store + {}", path.display()),
            None => f.write_str("system store"),
        }
    }
}

/// The rustls error somewhere in an error's cause chain, if the failure was a TLS one
/// (untrusted certificate, name mismatch, handshake failure).
pub(crate) fn tls_cause<'a>(
    err: &'a (dyn std::error::Error + 'static),
) -> Option<&'a rustls::Error> {
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = current {
        if let Some(tls) = e.downcast_ref::<rustls::Error>() {
            return Some(tls);
        }
        // io::Error::source() skips the error it wraps (and I/O errors nest), so step inside.
        current = match e
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        {
            Some(inner) => Some(inner as &(dyn std::error::Error + 'static)),
            None => e.source(),
        };
    }
    None
}

fn add_native_roots(store: &mut RootCertStore) {
    let loaded = rustls_native_certs::load_native_certs();
    for error in &loaded.errors {
        tracing::debug!(%error, "skipping part of the system certificate store");
    }
    let (added, ignored) = store.add_parsable_certificates(loaded.certs);
    tracing::debug!(added, ignored, "loaded system trust anchors");
}

fn add_pem_file(store: &mut RootCertStore, path: &Path) -> Result<(), TlsError> {
    let bytes = fs::read(path).map_err(|source| TlsError::CaFileUnreadable {
        path: path.to_owned(),
        source,
    })?;
    let invalid = |reason: String| TlsError::CaFileInvalid {
        path: path.to_owned(),
        reason,
    };
    let mut found = 0usize;
    for cert in rustls_pemfile::certs(&mut bytes.as_slice()) {
        let cert = cert.map_err(|e| invalid(e.to_string()))?;
        store.add(cert).map_err(|e| invalid(e.to_string()))?;
        found += 1;
    }
    if found == 0 {
        return Err(invalid("no PEM CERTIFICATE block".into()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_file(name: &str, contents: &[u8]) -> PathBuf {
        let path = std::env::temp_dir().join(format!("ringside-tls-{}-{name}", std::process::id()));
        fs::write(&path, contents).unwrap();
        path
    }

    #[test]
    fn missing_ca_file_is_unreadable() {
        let settings = TrustSettings::with_extra_ca("/nonexistent/ringside/ca.pem");
        assert_eq!(
            settings.client_config().unwrap_err().code(),
            "ca_file_unreadable"
        );
    }

    #[test]
    fn ca_file_without_certificates_is_invalid() {
        let path = temp_file("empty.pem", b"this is not a certificate\n");
        let err = TrustSettings::with_extra_ca(&path)
            .client_config()
            .unwrap_err();
        fs::remove_file(&path).ok();
        assert_eq!(err.code(), "ca_file_invalid");
    }

    #[test]
    fn ca_file_with_a_corrupt_certificate_is_invalid() {
        let pem = b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
        let path = temp_file("corrupt.pem", pem);
        let err = TrustSettings::with_extra_ca(&path)
            .client_config()
            .unwrap_err();
        fs::remove_file(&path).ok();
        assert_eq!(err.code(), "ca_file_invalid");
    }

    fn lab_ca_pem() -> String {
        let key = rcgen::KeyPair::generate().unwrap();
        let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        params.self_signed(&key).unwrap().pem()
    }

    #[test]
    fn a_lab_ca_file_is_trusted_and_alpn_is_offered_only_when_asked() {
        let path = temp_file("lab-ca.pem", lab_ca_pem().as_bytes());
        let settings = TrustSettings::with_extra_ca(&path);
        let os_only = TrustSettings::default().root_store().map_or(0, |s| s.len());
        let with_lab_ca = settings.root_store().unwrap().len();
        let http = settings.client_config_with_alpn(HTTP_ALPN).unwrap();
        let xmpp = settings.client_config().unwrap();
        fs::remove_file(&path).ok();
        assert_eq!(with_lab_ca, os_only + 1);
        assert_eq!(
            http.alpn_protocols,
            vec![b"h2".to_vec(), b"http/1.1".to_vec()]
        );
        assert!(xmpp.alpn_protocols.is_empty());
    }
}
