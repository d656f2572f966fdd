//! A throw-away certificate authority for the lab.
//!
//! Real Finesse nodes present the Tomcat certificate on REST, WebSocket and the XMPP ports
//! alike, so each emulated node gets one server certificate (signed by the lab CA) that is
//! used by every listener of that node. Clients trust the CA file written at start-up.
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rcgen::{
    date_time_ymd, BasicConstraints, CertificateParams, DistinguishedName, DnType,
    ExtendedKeyUsagePurpose, IsCa, KeyPair, KeyUsagePurpose,
};
use rustls::ServerConfig;
use rustls_pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

/// Why the lab's certificates could not be made or written.
#[derive(Debug, thiserror::Error)]
pub enum TlsSetupError {
    #[error("certificate generation failed: {0}")]
    Generate(#[from] rcgen::Error),
    #[error("TLS configuration rejected: {0}")]
    Rustls(#[from] rustls::Error),
    #[error("could not write the CA file {path}: {source}")]
    WriteCa {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl TlsSetupError {
    /// A stable, machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            TlsSetupError::Generate(_) => "tls_generate_failed",
            TlsSetupError::Rustls(_) => "tls_config_rejected",
            TlsSetupError::WriteCa { .. } => "tls_ca_write_failed",
        }
    }
}

/// The lab CA: its certificate (PEM, for clients) and the key that signs node certificates.
pub struct LabCa {
    cert: rcgen::Certificate,
    key: KeyPair,
}

impl std::fmt::Debug for LabCa {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LabCa").finish_non_exhaustive()
    }
}

impl LabCa {
    /// A fresh CA with a new P-256 key.
    pub fn generate() -> Result<LabCa, TlsSetupError> {
        let key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256)?;
        let mut params = CertificateParams::new(Vec::<String>::new())?;
        params.distinguished_name = distinguished_name("Ringside Finesse Emulator Lab CA");
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        params.not_before = date_time_ymd(2024, 1, 1);
        params.not_after = date_time_ymd(2044, 1, 1);
        let cert = params.self_signed(&key)?;
        Ok(LabCa { cert, key })
    }

    /// The CA certificate in PEM form.
    pub fn pem(&self) -> String {
        self.cert.pem()
    }

    /// The CA certificate in DER form (for in-process rustls clients).
    pub fn der(&self) -> CertificateDer<'static> {
        self.cert.der().clone()
    }

    /// Write the CA PEM to `path`, creating parent directories.
    pub fn write_pem(&self, path: &Path) -> Result<(), TlsSetupError> {
        let write = || -> std::io::Result<()> {
            if let Some(parent) = path.parent() {
                if !parent.as_os_str().is_empty() {
                    std::fs::create_dir_all(parent)?;
                }
            }
            std::fs::write(path, self.pem())
        };
        write().map_err(|source| TlsSetupError::WriteCa {
            path: path.to_path_buf(),
            source,
        })
    }

    /// A server certificate for one node: SANs for its address, `localhost` and its XMPP
    /// domain, so clients may connect by IP or by name.
    pub fn issue_node_certificate(
        &self,
        host: IpAddr,
        extra_names: &[String],
    ) -> Result<NodeCertificate, TlsSetupError> {
        let key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256)?;
        let mut names = vec![host.to_string(), "localhost".to_owned()];
        for name in extra_names {
            if !names.iter().any(|n| n.eq_ignore_ascii_case(name)) {
                names.push(name.clone());
            }
        }
        let mut params = CertificateParams::new(names)?;
        params.distinguished_name = distinguished_name(&host.to_string());
        params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        params.use_authority_key_identifier_extension = true;
        params.not_before = date_time_ymd(2024, 1, 1);
        params.not_after = date_time_ymd(2043, 1, 1);
        let cert = params.signed_by(&key, &self.cert, &self.key)?;
        Ok(NodeCertificate {
            chain: vec![cert.der().clone(), self.der()],
            key_der: key.serialize_der(),
        })
    }
}

/// One node's certificate chain and private key.
#[derive(Clone)]
pub struct NodeCertificate {
    chain: Vec<CertificateDer<'static>>,
    key_der: Vec<u8>,
}

impl std::fmt::Debug for NodeCertificate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NodeCertificate")
            .field("chain_len", &self.chain.len())
            .finish_non_exhaustive()
    }
}

impl NodeCertificate {
    /// A rustls server configuration presenting this certificate. `alpn` lists the
    /// application protocols to offer (HTTPS offers h2 and http/1.1; XMPP offers none).
    pub fn server_config(&self, alpn: &[&[u8]]) -> Result<Arc<ServerConfig>, TlsSetupError> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(self.key_der.clone()));
        let mut config = ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()?
            .with_no_client_auth()
            .with_single_cert(self.chain.clone(), key)?;
        config.alpn_protocols = alpn.iter().map(|p| p.to_vec()).collect();
        Ok(Arc::new(config))
    }
}

fn distinguished_name(common_name: &str) -> DistinguishedName {
    let mut dn = DistinguishedName::new();
    dn.push(DnType::OrganizationName, "Ringside Finesse Emulator");
    dn.push(DnType::CommonName, common_name);
    dn
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_certificate_chains_to_the_lab_ca_and_builds_a_server_config() {
        let ca = LabCa::generate().unwrap();
        assert!(ca.pem().starts_with("-----BEGIN CERTIFICATE-----"));
        let node = ca
            .issue_node_certificate("127.0.0.2".parse().unwrap(), &["fin-b.lab".to_owned()])
            .unwrap();
        let config = node.server_config(&[b"h2", b"http/1.1"]).unwrap();
        assert_eq!(
            config.alpn_protocols,
            vec![b"h2".to_vec(), b"http/1.1".to_vec()]
        );
    }

    #[test]
    fn ca_file_is_written_with_parent_directories() {
        let dir =
            std::env::temp_dir().join(format!("finesse-emulator-ca-{}", uuid::Uuid::new_v4()));
        let path = dir.join("nested").join("ca.pem");
        let ca = LabCa::generate().unwrap();
        ca.write_pem(&path).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), ca.pem());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
