use finesse_xml::Element;
use serde::{Deserialize, Serialize};

use super::read::{self, xml_object};
use super::ModelError;

/// One error Finesse reports, synchronously in an HTTP body (`ApiErrors/ApiError/ErrorType…`)
/// or asynchronously in a notification (`apiErrors/apiError/errorType…`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiError {
    /// `Invalid State`, `Invalid Device`, `Service Unavailable`…
    pub error_type: Option<String>,
    /// A message or CTI constant (`CF_INVALID_OBJECT_STATE`, `SERVER_OUT_OF_SERVICE`).
    pub error_message: Option<String>,
    /// The offending parameter, or a CTI error number.
    pub error_data: Option<String>,
    pub peripheral_error_code: Option<String>,
    pub peripheral_error_text: Option<String>,
    pub peripheral_error_msg: Option<String>,
    /// Nonvoice errors: the media routing domain id.
    pub error_media: Option<String>,
}

/// Every error of one `ApiErrors` body or notification.
pub type ApiErrors = Vec<ApiError>;

xml_object!(ApiError, root = "ApiError", list = "ApiErrors");

impl ApiError {
    /// Reads an `<ApiError>`/`<apiError>` element. Nothing is required: an error is an error
    /// even when Finesse says little about it.
    pub fn from_element(element: &Element) -> Result<Self, ModelError> {
        read::expect_root(element, "ApiError")?;
        Ok(ApiError {
            error_type: read::text(element, "errorType"),
            error_message: read::text(element, "errorMessage"),
            error_data: read::text(element, "errorData"),
            peripheral_error_code: read::text(element, "peripheralErrorCode"),
            peripheral_error_text: read::text(element, "peripheralErrorText"),
            peripheral_error_msg: read::text(element, "peripheralErrorMsg"),
            error_media: read::text(element, "errorMedia"),
        })
    }

    /// `errorData` as a number (CTI error codes such as 22 or 34).
    pub fn error_code(&self) -> Option<i64> {
        self.error_data
            .as_deref()
            .and_then(|d| d.trim().parse().ok())
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<&str> = [
            self.error_type.as_deref(),
            self.error_message.as_deref(),
            self.error_data.as_deref(),
        ]
        .into_iter()
        .flatten()
        .collect();
        if parts.is_empty() {
            f.write_str("unspecified Finesse error")
        } else {
            f.write_str(&parts.join(": "))
        }
    }
}
