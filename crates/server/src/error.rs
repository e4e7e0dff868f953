//! Errors as the API answers them: JSON `{code, message}` with the fitting status. A bad request is the client's
//! (4xx); only a failure of dossier itself is a 500, and its details stay in the server's log.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    /// For a query syntax error: the character position of the error in the query.
    pub position: Option<usize>,
}

/// The body of every error response.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// A stable, machine-readable code: `bad_query`, `bad_request`, `not_found`, `no_original`,
    /// `original_damaged`, `wrong_host`, `method_not_allowed`, `index_damaged` (run `dossier reindex`), `internal`.
    pub code: String,
    /// What went wrong, for a person.
    pub message: String,
    /// For `bad_query`: where in the query (in characters) the error is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<usize>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError { status, code, message: message.into(), position: None }
    }

    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    pub fn bad_query(err: &dossier_query::ParseError) -> ApiError {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            code: "bad_query",
            message: err.message.clone(),
            position: Some(err.position),
        }
    }

    pub fn internal(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", message)
    }

    pub fn body(&self) -> ErrorBody {
        ErrorBody { code: self.code.to_string(), message: self.message.clone(), position: self.position }
    }
}

/// What a reader is told when the search index is damaged: it is derived data, and the fix is one command.
pub const INDEX_DAMAGED: &str = "the search index of this data folder is damaged, so searching is not possible; \
     stop the server, run `dossier reindex` (it rebuilds the index from the catalog: the originals and the catalog \
     are not affected), then start it again";

impl From<dossier_core::CoreError> for ApiError {
    fn from(err: dossier_core::CoreError) -> ApiError {
        if let dossier_core::CoreError::Index(index_error @ dossier_core::IndexError::NoSearchableWord) = &err {
            return ApiError::new(StatusCode::BAD_REQUEST, "bad_query", index_error.to_string());
        }
        let damaged = matches!(&err, dossier_core::CoreError::Index(index_error) if index_error.is_damaged());
        // The chain names files of the data folder: log it here, tell the client only that it failed.
        let mut chain = err.to_string();
        let mut source = std::error::Error::source(&err);
        while let Some(cause) = source {
            chain.push_str(": ");
            chain.push_str(&cause.to_string());
            source = cause.source();
        }
        eprintln!("dossier serve: internal error: {chain}");
        if damaged {
            return ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "index_damaged", INDEX_DAMAGED);
        }
        ApiError::internal("dossier could not read its data folder; the server's log says why")
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, axum::Json(self.body())).into_response()
    }
}
