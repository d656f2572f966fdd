use finesse_xml::XmlError;

/// Why a Finesse object could not be read, or a request could not be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ModelError {
    /// The document is not well-formed XML (or exceeds the parser's limits).
    #[error("unreadable XML: {0}")]
    Xml(#[from] XmlError),
    /// The document is XML but its root is not the expected object.
    #[error("expected <{expected}> but the document is <{found}>")]
    UnexpectedRoot {
        expected: &'static str,
        found: String,
    },
    /// An element the object cannot exist without is absent or empty.
    #[error("<{object}> has no <{field}>")]
    MissingField {
        object: &'static str,
        field: &'static str,
    },
    /// A request breaks a limit Finesse documents; sending it would fail.
    #[error("invalid {request} request: {reason}")]
    InvalidRequest {
        request: &'static str,
        reason: String,
    },
}

impl ModelError {
    /// A stable, machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            ModelError::Xml(_) => "xml",
            ModelError::UnexpectedRoot { .. } => "unexpected_root",
            ModelError::MissingField { .. } => "missing_field",
            ModelError::InvalidRequest { .. } => "invalid_request",
        }
    }

    pub(crate) fn missing(object: &'static str, field: &'static str) -> Self {
        ModelError::MissingField { object, field }
    }

    pub(crate) fn invalid(request: &'static str, reason: impl Into<String>) -> Self {
        ModelError::InvalidRequest {
            request,
            reason: reason.into(),
        }
    }
}
