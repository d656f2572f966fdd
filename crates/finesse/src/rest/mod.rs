//! The Finesse REST client: HTTPS with Basic authentication on every request, XML bodies, a
//! fresh `requestId` on every state-changing request, and errors classified from the status and
//! the `ApiErrors` body.
//!
//! State changes are asynchronous in Finesse: a `PUT`/`POST` answers `202 Accepted` and the
//! result arrives later as an XMPP notification tagged with the same `requestId`. The client
//! never retries; [`RestError::is_retryable`] and [`RestError::is_authentication_failure`] give
//! the caller what it needs to decide.
//!
//! ```no_run
//! # async fn demo() -> Result<(), finesse::rest::RestError> {
//! use finesse::rest::{Credentials, NodeAddress, RestClient, RestConfig};
//! let client = RestClient::new(RestConfig::new(
//!     NodeAddress::new("fin-a.example.com"),
//!     Credentials::new("1001001", "secret"),
//! ))?;
//! let info = client.system_info().await?;
//! let user = client.user("1001001").await?;
//! # Ok(()) }
//! ```

mod client;
mod credentials;
mod error;
mod resources;

pub use client::{Accepted, RestClient, REQUEST_ID_HEADER};
pub use credentials::{Credentials, NodeAddress, RestConfig, Secret, DEFAULT_REST_PORT};
pub use error::{HttpFailure, RestError};
