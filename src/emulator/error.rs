//! Errors as the SSO Admin service puts them on the wire.

use hyper::StatusCode;

/// One AWS error response: the code that goes into `__type` and `x-amzn-ErrorType`, the
/// human-readable message, and the HTTP status AWS pairs with that code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The unqualified error code, e.g. `ValidationException`.
    pub code: &'static str,
    /// The `Message` member of the body.
    pub message: String,
    /// The HTTP status of the response.
    pub status: StatusCode,
}

impl ApiError {
    fn new(code: &'static str, status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            status,
        }
    }

    /// A request that breaks a constraint of the service model.
    pub fn validation(message: impl Into<String>) -> Self {
        Self::new("ValidationException", StatusCode::BAD_REQUEST, message)
    }

    /// A body that is not the JSON the protocol expects (bad syntax or wrong member types).
    pub fn serialization(message: impl Into<String>) -> Self {
        Self::new("SerializationException", StatusCode::BAD_REQUEST, message)
    }

    /// The named resource does not exist.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(
            "ResourceNotFoundException",
            StatusCode::BAD_REQUEST,
            message,
        )
    }

    /// A write raced a previous write, or an idempotency token was reused.
    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new("ConflictException", StatusCode::BAD_REQUEST, message)
    }

    /// The caller is over a request rate.
    pub fn throttling(message: impl Into<String>) -> Self {
        Self::new("ThrottlingException", StatusCode::BAD_REQUEST, message)
    }

    /// A server-side failure; the only modeled error with a 5xx status.
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(
            "InternalServerException",
            StatusCode::INTERNAL_SERVER_ERROR,
            message,
        )
    }

    /// The caller may not perform the operation.
    pub fn access_denied(message: impl Into<String>) -> Self {
        Self::new("AccessDeniedException", StatusCode::BAD_REQUEST, message)
    }

    /// A fixed quota (applications, trusted token issuers) is used up.
    pub fn quota_exceeded(message: impl Into<String>) -> Self {
        Self::new(
            "ServiceQuotaExceededException",
            StatusCode::BAD_REQUEST,
            message,
        )
    }

    /// The `X-Amz-Target` names no operation of this service.
    pub fn unknown_operation(message: impl Into<String>) -> Self {
        Self::new(
            "UnknownOperationException",
            StatusCode::BAD_REQUEST,
            message,
        )
    }

    /// The request carries no `Authorization` header.
    pub fn missing_authentication() -> Self {
        Self::new(
            "MissingAuthenticationToken",
            StatusCode::FORBIDDEN,
            "Missing Authentication Token",
        )
    }

    /// The `Authorization` header (or a header it depends on) is malformed.
    pub fn incomplete_signature(message: impl Into<String>) -> Self {
        Self::new("IncompleteSignature", StatusCode::BAD_REQUEST, message)
    }

    /// The access key id (or its session token) is not known.
    pub fn unrecognized_client() -> Self {
        Self::new(
            "UnrecognizedClientException",
            StatusCode::FORBIDDEN,
            "The security token included in the request is invalid.",
        )
    }

    /// The signature, or the scope it was made for, does not check out.
    pub fn invalid_signature(message: impl Into<String>) -> Self {
        Self::new("InvalidSignatureException", StatusCode::FORBIDDEN, message)
    }

    /// A request the emulator does not take from where it came (a web page,
    /// another host name).
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new("AccessDeniedException", StatusCode::FORBIDDEN, message)
    }

    /// The signing date is too far from the emulator's clock.
    pub fn request_expired(message: impl Into<String>) -> Self {
        Self::new("RequestExpired", StatusCode::BAD_REQUEST, message)
    }

    /// A verb other than POST on the service path.
    pub fn method_not_allowed(message: impl Into<String>) -> Self {
        Self::new(
            "MethodNotAllowedException",
            StatusCode::METHOD_NOT_ALLOWED,
            message,
        )
    }

    /// A path the service does not serve.
    pub fn path_not_found(message: impl Into<String>) -> Self {
        Self::new("UnknownOperationException", StatusCode::NOT_FOUND, message)
    }

    /// A body that did not finish arriving in time.
    pub fn request_timeout(message: impl Into<String>) -> Self {
        Self::new(
            "RequestTimeoutException",
            StatusCode::REQUEST_TIMEOUT,
            message,
        )
    }

    /// A body bigger than the emulator accepts.
    pub fn payload_too_large(message: impl Into<String>) -> Self {
        Self::new(
            "RequestEntityTooLargeException",
            StatusCode::PAYLOAD_TOO_LARGE,
            message,
        )
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({}): {}", self.code, self.status, self.message)
    }
}

impl std::error::Error for ApiError {}
