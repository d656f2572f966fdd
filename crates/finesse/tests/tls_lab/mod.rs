//! A throw-away certificate authority for tests: a CA written to a temp PEM file (what a user
//! would configure as the extra CA) and a server certificate for `localhost` / `127.0.0.1`.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::sync::Arc;

use finesse::tls::TrustSettings;
use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair,
    KeyUsagePurpose,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

pub struct TlsLab {
    ca_file: tempfile::NamedTempFile,
    chain: Vec<CertificateDer<'static>>,
    key_der: Vec<u8>,
}

impl TlsLab {
    pub fn new(name: &str) -> TlsLab {
        let ca_key = KeyPair::generate().unwrap();
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params
            .distinguished_name
            .push(DnType::CommonName, format!("{name} test CA"));
        ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let ca = ca_params.self_signed(&ca_key).unwrap();

        let key = KeyPair::generate().unwrap();
        let mut params =
            CertificateParams::new(vec!["localhost".to_owned(), "127.0.0.1".to_owned()]).unwrap();
        params
            .distinguished_name
            .push(DnType::CommonName, "localhost");
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        let leaf = params.signed_by(&key, &ca, &ca_key).unwrap();

        let mut ca_file = tempfile::NamedTempFile::new().unwrap();
        ca_file.write_all(ca.pem().as_bytes()).unwrap();
        ca_file.flush().unwrap();
        TlsLab {
            ca_file,
            chain: vec![leaf.der().clone(), ca.der().clone()],
            key_der: key.serialize_der(),
        }
    }

    /// Client trust: the OS store plus this lab's CA file.
    pub fn trust(&self) -> TrustSettings {
        TrustSettings::with_extra_ca(self.ca_file.path())
    }

    pub fn ca_pem_path(&self) -> &std::path::Path {
        self.ca_file.path()
    }

    /// A server configuration presenting the lab's `localhost` certificate.
    pub fn server_config(&self, alpn: &[&[u8]]) -> Arc<rustls::ServerConfig> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(self.key_der.clone()));
        let mut config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(self.chain.clone(), key)
            .unwrap();
        config.alpn_protocols = alpn.iter().map(|p| p.to_vec()).collect();
        Arc::new(config)
    }
}
