//! The generic part of the REST client: one HTTPS request, authenticated and classified.

use std::error::Error as StdError;
use std::fmt;

use reqwest::header::{HeaderValue, ACCEPT, CONTENT_TYPE};
use reqwest::{Method, StatusCode};

use super::credentials::{Credentials, NodeAddress, RestConfig};
use super::error::{classify, RestError};
use crate::tls::HTTP_ALPN;

const XML: &str = "application/xml";
/// The header Finesse echoes and copies into the resulting notifications.
pub const REQUEST_ID_HEADER: &str = "requestId";

/// A state-changing request Finesse accepted (202, or 200 with an empty body). The outcome
/// arrives later as a notification carrying `request_id` (or as `apiErrors` with it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    pub request_id: String,
}

/// A REST client for one Finesse node. No retries happen here: the caller owns that policy.
#[derive(Clone)]
pub struct RestClient {
    http: reqwest::Client,
    base_url: String,
    node: NodeAddress,
    credentials: Credentials,
}

impl fmt::Debug for RestClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RestClient")
            .field("node", &self.node)
            .field("user", &self.credentials.id)
            .finish_non_exhaustive()
    }
}

impl RestClient {
    /// Builds the HTTPS client (trust store from `config.trust`, HTTP/2 or HTTP/1.1).
    pub fn new(config: RestConfig) -> Result<Self, RestError> {
        let tls = config.trust.client_config_with_alpn(HTTP_ALPN)?;
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(ACCEPT, HeaderValue::from_static(XML));
        let http = reqwest::Client::builder()
            .use_preconfigured_tls(rustls::ClientConfig::clone(&tls))
            .https_only(true)
            // Finesse answers plain HTTP with a redirect; following redirects could carry the
            // Basic credentials somewhere unexpected, so a redirect is an unexpected status.
            .redirect(reqwest::redirect::Policy::none())
            .timeout(config.timeout)
            .connect_timeout(config.timeout)
            .default_headers(headers)
            .build()
            .map_err(|e| RestError::Tls(error_chain(&e)))?;
        Ok(RestClient {
            http,
            base_url: config.node.base_url(),
            node: config.node,
            credentials: config.credentials,
        })
    }

    pub fn node(&self) -> &NodeAddress {
        &self.node
    }

    /// The id used for Basic authentication.
    pub fn user_id(&self) -> &str {
        &self.credentials.id
    }

    /// `GET path_and_query` (e.g. `/finesse/api/User/1001001`); the body of a 2xx answer.
    pub async fn get_xml(&self, path_and_query: &str) -> Result<String, RestError> {
        let (_, body) = self.send(Method::GET, path_and_query, None).await?;
        Ok(body)
    }

    /// `PUT path` with an XML body and a fresh `requestId`.
    pub async fn put_xml(&self, path: &str, body: &str) -> Result<Accepted, RestError> {
        self.change(Method::PUT, path, Some(body)).await
    }

    /// `POST path` with an XML body and a fresh `requestId`.
    pub async fn post_xml(&self, path: &str, body: &str) -> Result<Accepted, RestError> {
        self.change(Method::POST, path, Some(body)).await
    }

    /// `DELETE path` with a fresh `requestId`.
    pub async fn delete(&self, path: &str) -> Result<Accepted, RestError> {
        self.change(Method::DELETE, path, None).await
    }

    async fn change(
        &self,
        method: Method,
        path: &str,
        body: Option<&str>,
    ) -> Result<Accepted, RestError> {
        let request_id = uuid::Uuid::new_v4().to_string();
        self.send(method, path, Some((body, &request_id))).await?;
        Ok(Accepted { request_id })
    }

    /// One request. `change` carries the body and requestId of a state-changing request.
    async fn send(
        &self,
        method: Method,
        path: &str,
        change: Option<(Option<&str>, &str)>,
    ) -> Result<(StatusCode, String), RestError> {
        let url = if path.starts_with('/') {
            format!("{}{path}", self.base_url)
        } else {
            format!("{}/{path}", self.base_url)
        };
        let mut request = self.http.request(method.clone(), &url).basic_auth(
            &self.credentials.id,
            Some(self.credentials.password.expose()),
        );
        let request_id = change.map(|(_, id)| id);
        if let Some((body, id)) = change {
            request = request.header(REQUEST_ID_HEADER, id);
            if let Some(body) = body {
                request = request.header(CONTENT_TYPE, XML).body(body.to_owned());
            }
        }
        let response = match request.send().await {
            Ok(response) => response,
            Err(e) => {
                let error = transport_error(&e);
                tracing::info!(%method, path, request_id, code = error.code(), error = %error, "Finesse REST request failed");
                return Err(error);
            }
        };
        let status = response.status();
        let bytes = response.bytes().await.map_err(|e| transport_error(&e))?;
        tracing::debug!(%method, path, status = status.as_u16(), request_id, "Finesse REST");
        let body = String::from_utf8(bytes.to_vec()).map_err(|_| {
            RestError::MalformedResponse(format!("{method} {path}: the body is not UTF-8"))
        })?;
        if status.is_success() {
            Ok((status, body))
        } else {
            let error = classify(status.as_u16(), &body);
            tracing::info!(%method, path, status = status.as_u16(), request_id, code = error.code(), "Finesse REST request refused");
            Err(error)
        }
    }
}

/// Classify a failure below HTTP: timeout, TLS, connect, or a connection lost mid-request.
fn transport_error(e: &reqwest::Error) -> RestError {
    let detail = error_chain(e);
    if e.is_timeout() {
        RestError::Timeout(detail)
    } else if crate::tls::tls_cause(e).is_some() {
        RestError::Tls(detail)
    } else if e.is_connect() || e.is_builder() {
        RestError::Connect(detail)
    } else {
        RestError::ConnectionLost(detail)
    }
}

/// `top: cause: cause…` — reqwest's own message alone rarely says what went wrong.
fn error_chain(e: &(dyn StdError + 'static)) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}
