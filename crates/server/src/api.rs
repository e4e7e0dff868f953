//! The REST API under `/api/v1`: the same search as the command line (same query language, same JSON), documents
//! with their parents and children, texts in parts, originals, collections, ingest status and failures.
//!
//! Handlers and their OpenAPI description are declared together (`#[utoipa::path]`) and registered through
//! `utoipa_axum`, so a route cannot exist without being in `/api/v1/openapi.json`.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Json;
use axum::body::Body;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use dossier_core::{DocRecord, Dossier};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::export;

/// Hits a page may hold.
pub const MAX_LIMIT: usize = 1000;
/// Bytes of text a text request returns at most.
pub const MAX_TEXT_PART: usize = 4 << 20;
/// Bytes of text a text request returns when it does not say.
pub const DEFAULT_TEXT_PART: usize = 256 << 10;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "dossier",
        description = "Search and read a dossier evidence base: the same query language and results as `dossier search`.",
        license(name = "AGPL-3.0-or-later", identifier = "AGPL-3.0-or-later")
    ),
    components(schemas(ErrorBody, SortParam, crate::export::ExportFormat, crate::entities::EntityExportFormat))
)]
struct ApiDoc;

/// The API's routes with their OpenAPI description.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(status))
        .routes(routes!(collections))
        .routes(routes!(collection))
        .routes(routes!(collection_failures))
        .routes(routes!(search))
        .routes(routes!(export::export))
        .routes(routes!(document))
        .routes(routes!(document_text))
        .routes(routes!(original))
        .routes(routes!(crate::entities::document_entities))
        .routes(routes!(crate::entities::entities))
        .routes(routes!(crate::entities::entity))
        .routes(routes!(crate::entities::both))
        .routes(routes!(crate::entities::export))
}

// ---------------------------------------------------------------------------------------------------------------
// Extractors whose rejections are JSON errors like every other error of the API.

/// Query-string parameters; a malformed query string is a 400 `bad_request`.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Query(value)| ApiQuery(value))
            .map_err(|rejection| ApiError::bad_request(rejection.body_text()))
    }
}

/// A path parameter; one of the wrong type (`/documents/abc`) is a 400 `bad_request`.
pub struct ApiPath<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned + Send> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(value)| ApiPath(value))
            .map_err(|rejection| ApiError::bad_request(rejection.body_text()))
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Status and collections.

/// Document counts by outcome.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CountsDto {
    pub documents: u64,
    pub ok: u64,
    pub partial: u64,
    pub failed: u64,
    /// Found but not read yet: an ingest is running, or was interrupted and will resume.
    pub pending: u64,
}

impl From<&dossier_core::Counts> for CountsDto {
    fn from(c: &dossier_core::Counts) -> CountsDto {
        CountsDto { documents: c.documents, ok: c.ok, partial: c.partial, failed: c.failed, pending: c.pending }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CollectionSummary {
    pub name: String,
    #[serde(flatten)]
    pub counts: CountsDto,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReasonCount {
    /// The failure's summary, e.g. `encrypted` or `unsupported format application/x-msaccess`.
    pub reason: String,
    pub count: u64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StatusResponse {
    #[serde(flatten)]
    pub totals: CountsDto,
    pub collections: Vec<CollectionSummary>,
    pub failure_reasons: Vec<ReasonCount>,
}

/// What was read, what failed and why, over every collection.
#[utoipa::path(get, path = "/api/v1/status", tag = "collections",
    responses((status = 200, body = StatusResponse), (status = 500, body = ErrorBody)))]
async fn status(State(state): State<AppState>) -> Result<Json<StatusResponse>, ApiError> {
    state.pool.run(|dossier| Ok(Json(status_of(dossier)?))).await
}

pub fn status_of(dossier: &mut Dossier) -> Result<StatusResponse, ApiError> {
    let status = dossier.status()?;
    Ok(StatusResponse {
        totals: (&status.totals).into(),
        collections: status.collections.iter().map(collection_summary).collect(),
        failure_reasons: status
            .failure_reasons
            .iter()
            .map(|reason| ReasonCount { reason: reason.reason.clone(), count: reason.count })
            .collect(),
    })
}

fn collection_summary(collection: &dossier_core::CollectionStatus) -> CollectionSummary {
    CollectionSummary { name: collection.name.clone(), counts: (&collection.counts).into() }
}

/// Every collection with its document counts.
#[utoipa::path(get, path = "/api/v1/collections", tag = "collections",
    responses((status = 200, body = Vec<CollectionSummary>), (status = 500, body = ErrorBody)))]
async fn collections(State(state): State<AppState>) -> Result<Json<Vec<CollectionSummary>>, ApiError> {
    state.pool.run(|dossier| Ok(Json(dossier.status()?.collections.iter().map(collection_summary).collect()))).await
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FormatCountDto {
    /// The detected format's short name (`pdf`, `docx`, `eml`...); `null` for documents not read yet or unreadable.
    pub format: Option<String>,
    #[serde(flatten)]
    pub counts: CountsDto,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CollectionResponse {
    pub name: String,
    #[serde(flatten)]
    pub counts: CountsDto,
    /// Documents by format, most numerous first.
    pub formats: Vec<FormatCountDto>,
    /// Failed documents by reason, most frequent first.
    pub failure_reasons: Vec<ReasonCount>,
}

/// One collection: counts by outcome and by format, and why documents failed. Poll it to follow an ingest.
#[utoipa::path(get, path = "/api/v1/collections/{name}", tag = "collections",
    params(("name" = String, Path, description = "The collection's name")),
    responses((status = 200, body = CollectionResponse), (status = 404, body = ErrorBody)))]
async fn collection(
    State(state): State<AppState>,
    ApiPath(name): ApiPath<String>,
) -> Result<Json<CollectionResponse>, ApiError> {
    state.pool.run(move |dossier| Ok(Json(collection_of(dossier, &name)?))).await
}

pub fn collection_of(dossier: &mut Dossier, name: &str) -> Result<CollectionResponse, ApiError> {
    let status = dossier.status()?;
    let Some(found) = status.collections.iter().find(|collection| collection.name == name) else {
        return Err(ApiError::not_found(format!("there is no collection named {name:?}")));
    };
    let formats = dossier
        .format_counts(name)?
        .iter()
        .map(|format| FormatCountDto { format: format.format.clone(), counts: (&format.counts).into() })
        .collect();
    let mut reasons: Vec<ReasonCount> = Vec::new();
    for failure in dossier.failures(Some(name))? {
        match reasons.iter_mut().find(|known| known.reason == failure.reason) {
            Some(known) => known.count += 1,
            None => reasons.push(ReasonCount { reason: failure.reason, count: 1 }),
        }
    }
    reasons.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.reason.cmp(&b.reason)));
    Ok(CollectionResponse { name: name.to_string(), counts: (&found.counts).into(), formats, failure_reasons: reasons })
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FailureDto {
    pub id: i64,
    pub path: String,
    pub format: Option<String>,
    /// The groupable summary (`encrypted`, `unsupported format ...`, `limit exceeded: ...`).
    pub reason: String,
    /// The full reason.
    pub detail: String,
}

/// Every failed document of a collection, with its reason.
#[utoipa::path(get, path = "/api/v1/collections/{name}/failures", tag = "collections",
    params(("name" = String, Path, description = "The collection's name")),
    responses((status = 200, body = Vec<FailureDto>), (status = 404, body = ErrorBody)))]
async fn collection_failures(
    State(state): State<AppState>,
    ApiPath(name): ApiPath<String>,
) -> Result<Json<Vec<FailureDto>>, ApiError> {
    state
        .pool
        .run(move |dossier| {
            if !dossier.status()?.collections.iter().any(|collection| collection.name == name) {
                return Err(ApiError::not_found(format!("there is no collection named {name:?}")));
            }
            Ok(Json(failures_of(dossier, &name)?))
        })
        .await
}

pub fn failures_of(dossier: &mut Dossier, name: &str) -> Result<Vec<FailureDto>, ApiError> {
    Ok(dossier
        .failures(Some(name))?
        .into_iter()
        .map(|failure| FailureDto {
            id: failure.id,
            path: failure.path,
            format: failure.format,
            reason: failure.reason,
            detail: failure.detail,
        })
        .collect())
}

// ---------------------------------------------------------------------------------------------------------------
// Search.

#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum SortParam {
    #[default]
    Relevance,
    /// Newest document date first.
    Newest,
    Oldest,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// The query, in dossier's query language (see `dossier search --help`). Empty: every document.
    #[serde(default)]
    pub q: String,
    /// Hits per page (at most 1000).
    #[param(minimum = 0, maximum = 1000)]
    pub limit: Option<usize>,
    /// Hits to skip.
    pub offset: Option<usize>,
    pub sort: Option<SortParam>,
    /// Match every word also in other scripts and transliteration schemes.
    #[serde(default)]
    pub translit: bool,
    /// Only this collection.
    pub collection: Option<String>,
}

impl SearchParams {
    /// The query tree, restricted to the collection when one is given.
    pub fn query(&self) -> Result<dossier_query::Query, ApiError> {
        let options = dossier_query::ParseOptions { translit: self.translit };
        let query = dossier_query::parse(&self.q, &options).map_err(|err| ApiError::bad_query(&err))?;
        Ok(match self.collection.as_deref().filter(|name| !name.is_empty()) {
            Some(name) => dossier_query::within_collection(query, name),
            None => query,
        })
    }

    pub fn request(&self, snippets: usize) -> Result<dossier_core::SearchRequest, ApiError> {
        let limit = self.limit.unwrap_or(10);
        if limit > MAX_LIMIT {
            return Err(ApiError::bad_request(format!(
                "limit {limit} is above {MAX_LIMIT}; page with offset, or use /api/v1/search/export for every hit"
            )));
        }
        let sort = match self.sort.unwrap_or_default() {
            SortParam::Relevance => dossier_core::Sort::Relevance,
            SortParam::Newest => dossier_core::Sort::Newest,
            SortParam::Oldest => dossier_core::Sort::Oldest,
        };
        Ok(dossier_core::SearchRequest {
            query: self.query()?,
            limit,
            offset: self.offset.unwrap_or(0),
            sort,
            snippets,
            facets: true,
        })
    }
}

/// A passage of a document's text around the query's words.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SnippetDto {
    pub text: String,
    /// `[start, end)` ranges of matched words, in characters (Unicode scalar values) of `text`.
    pub highlights: Vec<[usize; 2]>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HitDto {
    pub id: u64,
    pub parent_id: Option<u64>,
    pub collection: String,
    pub path: String,
    pub title: String,
    pub format: Option<String>,
    /// The detected language (`ru`, `uk`, `be`, `en`).
    pub lang: Option<String>,
    /// The document's date (sent, created or modified), ISO 8601.
    pub date: Option<String>,
    /// BM25 relevance; `null` when ordered by date.
    pub score: Option<f32>,
    pub snippets: Vec<SnippetDto>,
}

impl From<dossier_core::Hit> for HitDto {
    fn from(hit: dossier_core::Hit) -> HitDto {
        HitDto {
            id: hit.id,
            parent_id: hit.parent_id,
            collection: hit.collection,
            path: hit.path,
            title: hit.title,
            format: hit.format,
            lang: hit.lang,
            date: hit.date,
            score: hit.score,
            snippets: hit
                .snippets
                .into_iter()
                .map(|snippet| SnippetDto { text: snippet.text, highlights: snippet.highlights })
                .collect(),
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FacetValueDto {
    pub value: String,
    pub count: u64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SearchResponse {
    /// Every matching document, not only this page.
    pub total: u64,
    pub offset: usize,
    pub hits: Vec<HitDto>,
    /// Facet name (`type`, `lang`, `collection`, `year`, `extension`, `sender_domain`) → most frequent values.
    pub facets: BTreeMap<String, Vec<FacetValueDto>>,
}

impl From<dossier_core::SearchResults> for SearchResponse {
    fn from(results: dossier_core::SearchResults) -> SearchResponse {
        SearchResponse {
            total: results.total,
            offset: results.offset,
            hits: results.hits.into_iter().map(HitDto::from).collect(),
            facets: results
                .facets
                .into_iter()
                .map(|(name, values)| {
                    let values = values.into_iter().map(|v| FacetValueDto { value: v.value, count: v.count }).collect();
                    (name, values)
                })
                .collect(),
        }
    }
}

/// Ranked hits with snippets, the total and facet counts: the same results and JSON as `dossier search --json`.
#[utoipa::path(get, path = "/api/v1/search", tag = "search", params(SearchParams),
    responses((status = 200, body = SearchResponse),
              (status = 400, description = "A query syntax error (code `bad_query`, with `position`) or a bad parameter", body = ErrorBody)))]
async fn search(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<SearchParams>,
) -> Result<Json<SearchResponse>, ApiError> {
    let request = params.request(3)?;
    state.pool.run(move |dossier| Ok(Json(dossier.search(&request)?.into()))).await
}

// ---------------------------------------------------------------------------------------------------------------
// Documents.

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DocumentDto {
    pub id: i64,
    pub collection: String,
    pub parent_id: Option<i64>,
    /// The source path; for a document found inside another, the parent's path, `!/` and its name.
    pub path: String,
    pub name: String,
    /// How it sits in its parent (`member`, `attachment`, `embedded`...).
    pub child_kind: Option<String>,
    pub depth: u32,
    /// `ok`, `partial`, `failed` or `pending`.
    pub state: String,
    pub format: Option<String>,
    pub media_type: Option<String>,
    pub blake3: Option<String>,
    pub sha256: Option<String>,
    pub size: Option<u64>,
    /// What the reader found: title, author, dates, mail headers, camera, revisions...
    #[schema(value_type = Object)]
    pub metadata: serde_json::Value,
    /// What the reader noticed while reading (damage, skipped parts).
    pub diagnostics: Vec<String>,
    /// Why it failed.
    pub reason: Option<String>,
    /// When the top-level file was ingested, and by which command.
    pub ingested_at: Option<String>,
    pub ingested_by: Option<String>,
    /// The exact bytes of a path that is not UTF-8, escaped (`\xNN` for each byte that is not UTF-8).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub raw_path: Option<String>,
    /// Present while the vault's copy of the original does not match the recorded hashes: the original is then not
    /// handed out (`original_damaged`) until it is ingested again.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub damage: Option<dossier_core::Damage>,
}

impl DocumentDto {
    pub fn from_record(record: &DocRecord, media_type: Option<&str>) -> DocumentDto {
        DocumentDto {
            id: record.id,
            collection: record.collection.clone(),
            parent_id: record.parent_id,
            path: record.path.clone(),
            name: record.name.clone(),
            child_kind: record.child_kind.clone(),
            depth: record.depth,
            state: record.state.as_str().to_string(),
            format: record.format.clone(),
            media_type: media_type.map(str::to_string),
            blake3: record.blake3.clone(),
            sha256: record.sha256.clone(),
            size: record.size,
            metadata: if record.metadata.is_null() { serde_json::json!({}) } else { record.metadata.clone() },
            diagnostics: record.diagnostics.clone(),
            reason: record.reason.clone(),
            ingested_at: record.ingested_at.clone(),
            ingested_by: record.ingested_by.clone(),
            raw_path: record.raw_path.clone(),
            damage: record.damage.clone(),
        }
    }
}

/// A related document, as a link.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DocumentLink {
    pub id: i64,
    pub name: String,
    pub path: String,
    pub child_kind: Option<String>,
    pub format: Option<String>,
    pub state: String,
    pub size: Option<u64>,
    pub reason: Option<String>,
}

impl From<&DocRecord> for DocumentLink {
    fn from(record: &DocRecord) -> DocumentLink {
        DocumentLink {
            id: record.id,
            name: record.name.clone(),
            path: record.path.clone(),
            child_kind: record.child_kind.clone(),
            format: record.format.clone(),
            state: record.state.as_str().to_string(),
            size: record.size,
            reason: record.reason.clone(),
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DocumentResponse {
    pub document: DocumentDto,
    /// The documents it came out of, the top-level file first.
    pub parents: Vec<DocumentLink>,
    /// What was found inside it (attachments, archive members, embedded files), in order.
    pub children: Vec<DocumentLink>,
    /// The extracted text's length in bytes (UTF-8); read it with `/text`.
    pub text_length: u64,
    /// Where the original can be downloaded; `null` when it never reached the vault.
    pub original_url: Option<String>,
    /// The custody log of its original (a child's is its top-level file's): each time it was ingested, and each
    /// repair of its stored copy (`blob-repaired`), oldest first.
    #[schema(value_type = Vec<Object>)]
    pub custody: Vec<dossier_core::CustodyEvent>,
}

/// Everything one page of the interface shows about a document, read in one go.
pub struct DocumentView {
    pub record: DocRecord,
    pub original: Option<dossier_core::Original>,
    pub parents: Vec<DocRecord>,
    pub children: Vec<DocRecord>,
    pub custody: Vec<dossier_core::CustodyEvent>,
    pub text: String,
}

pub fn document_view(dossier: &mut Dossier, id: i64) -> Result<DocumentView, ApiError> {
    let record = dossier.document(id)?.ok_or_else(|| ApiError::not_found(format!("there is no document {id}")))?;
    let original = dossier.original(&record);
    let parents = dossier.ancestors(&record)?;
    let children = dossier.children(id)?;
    let text = dossier.text(id)?.unwrap_or_default();
    let custody = dossier.custody(id)?;
    Ok(DocumentView { record, original, parents, children, custody, text })
}

impl DocumentView {
    pub fn response(&self) -> DocumentResponse {
        DocumentResponse {
            document: DocumentDto::from_record(&self.record, self.original.as_ref().map(|o| o.media_type)),
            parents: self.parents.iter().map(DocumentLink::from).collect(),
            children: self.children.iter().map(DocumentLink::from).collect(),
            text_length: self.text.len() as u64,
            original_url: self.original.as_ref().map(|_| format!("/api/v1/documents/{}/original", self.record.id)),
            custody: self.custody.clone(),
        }
    }
}

/// A document's metadata, hashes, custody, the chain of documents it came out of, and its children.
#[utoipa::path(get, path = "/api/v1/documents/{id}", tag = "documents",
    params(("id" = i64, Path, description = "The document's id")),
    responses((status = 200, body = DocumentResponse), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn document(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<DocumentResponse>, ApiError> {
    state.pool.run(move |dossier| Ok(Json(document_view(dossier, id)?.response()))).await
}

#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TextParams {
    /// Byte offset to start at (moved back to the start of a character if it falls inside one); at most the text's
    /// length.
    #[param(minimum = 0)]
    pub offset: Option<u64>,
    /// Bytes to return at most (default 262144, at most 4194304); the part ends on a character boundary.
    #[param(minimum = 1, maximum = 4194304)]
    pub length: Option<u64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TextPart {
    /// Where this part starts, in bytes of the UTF-8 text.
    pub offset: u64,
    /// Where the next part starts; `null` at the end.
    pub next_offset: Option<u64>,
    pub total_length: u64,
    pub text: String,
}

/// A part of a document's extracted text: long texts (a 500-page PDF) are read in parts.
#[utoipa::path(get, path = "/api/v1/documents/{id}/text", tag = "documents",
    params(("id" = i64, Path, description = "The document's id"), TextParams),
    responses((status = 200, body = TextPart), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn document_text(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(params): ApiQuery<TextParams>,
) -> Result<Json<TextPart>, ApiError> {
    let length = params.length.unwrap_or(DEFAULT_TEXT_PART as u64);
    if length == 0 || length > MAX_TEXT_PART as u64 {
        return Err(ApiError::bad_request(format!("length must be between 1 and {MAX_TEXT_PART}")));
    }
    state
        .pool
        .run(move |dossier| {
            if dossier.document(id)?.is_none() {
                return Err(ApiError::not_found(format!("there is no document {id}")));
            }
            let text = dossier.text(id)?.unwrap_or_default();
            let offset = params.offset.unwrap_or(0);
            if offset > text.len() as u64 {
                return Err(ApiError::bad_request(format!("offset {offset} is past the end ({})", text.len())));
            }
            let (start, end) = text_part(&text, offset as usize, length as usize);
            Ok(Json(TextPart {
                offset: start as u64,
                next_offset: (end < text.len()).then_some(end as u64),
                total_length: text.len() as u64,
                text: text[start..end].to_string(),
            }))
        })
        .await
}

/// The byte range of a part of `text` from about `offset`, at most `length` bytes, on character boundaries; it
/// ends after a line break when one is near, so parts do not cut lines.
pub fn text_part(text: &str, offset: usize, length: usize) -> (usize, usize) {
    let floor = |mut at: usize| {
        at = at.min(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    let start = floor(offset);
    let mut end = floor(start.saturating_add(length));
    if end < text.len() {
        // Prefer a line break in the last eighth of the part.
        let window_start = floor(end - (end - start) / 8);
        if let Some(newline) = text[window_start..end].rfind('\n') {
            end = window_start + newline + 1;
        }
        if end == start {
            // A single character longer than the part: return it whole.
            end = start + text[start..].chars().next().map_or(0, char::len_utf8);
        }
    }
    (start, end)
}

/// The original file, byte-identical, always as a download (never shown inline: a leaked HTML page must not run).
#[utoipa::path(get, path = "/api/v1/documents/{id}/original", tag = "documents",
    params(("id" = i64, Path, description = "The document's id")),
    responses((status = 200, description = "The original bytes, with the detected media type", content_type = "*/*"),
              (status = 400, body = ErrorBody),
              (status = 404, description = "No such document, or its original never reached the vault", body = ErrorBody),
              (status = 409, description = "The vault's copy does not match the recorded hashes (`original_damaged`)", body = ErrorBody)))]
async fn original(State(state): State<AppState>, ApiPath(id): ApiPath<i64>) -> Result<Response, ApiError> {
    let (original, reader) = state
        .pool
        .run(move |dossier| {
            let record =
                dossier.document(id)?.ok_or_else(|| ApiError::not_found(format!("there is no document {id}")))?;
            let original = dossier.original(&record).ok_or_else(|| {
                ApiError::new(
                    axum::http::StatusCode::NOT_FOUND,
                    "no_original",
                    format!("document {id} could not be read into the vault: {}", record.reason.unwrap_or_default()),
                )
            })?;
            if let Some(damage) = &record.damage {
                return Err(damaged(id, &damage.detected_by));
            }
            match dossier.open_original(&original) {
                Ok(reader) => Ok((original, reader)),
                Err(problem) => {
                    // Not being able to note it (a read-only data folder) must not hide the damage itself.
                    if let Err(err) = dossier.record_damage(&original.blob.blake3, "download", &problem) {
                        eprintln!("dossier serve: could not record the damage of document {id}'s original: {err}");
                    }
                    Err(damaged(id, "download"))
                }
            }
        })
        .await?;
    let body = Body::from_stream(verified_stream(state.pool.clone(), original.blob.blake3.clone(), reader));
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(original.media_type));
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(original.size));
    headers.insert(header::CONTENT_DISPOSITION, attachment(&original.file_name));
    // Even if a browser were asked to show it, it could run nothing.
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("sandbox; default-src 'none'"));
    Ok(response)
}

fn damaged(id: i64, detected_by: &str) -> ApiError {
    ApiError::new(
        axum::http::StatusCode::CONFLICT,
        "original_damaged",
        format!(
            "the vault's copy of document {id}'s original does not match its recorded hashes (found by {detected_by}), \
             so it is not handed out as the original; ingest the original file again to repair it, and run \
             `dossier verify-vault` to see everything that is damaged"
        ),
    )
}

/// The original's bytes as they are read and verified on a blocking thread. A blob that turns out damaged ends the
/// stream with an error before its last part, so the download is cut short rather than completed with wrong bytes,
/// and the damage is recorded so that the document shows it.
fn verified_stream(
    pool: Arc<crate::pool::Pool>,
    blake3: String,
    mut reader: dossier_core::VerifiedReader,
) -> impl futures_util::Stream<Item = std::io::Result<Vec<u8>>> {
    let (sender, receiver) = tokio::sync::mpsc::channel::<std::io::Result<Vec<u8>>>(2);
    tokio::task::spawn_blocking(move || {
        loop {
            let mut chunk = vec![0u8; 256 * 1024];
            match std::io::Read::read(&mut reader, &mut chunk) {
                Ok(0) => return,
                Ok(n) => {
                    chunk.truncate(n);
                    if sender.blocking_send(Ok(chunk)).is_err() {
                        return;
                    }
                }
                Err(err) if err.kind() == std::io::ErrorKind::Interrupted => {}
                Err(err) => {
                    if let Some(problem) = dossier_core::damage_of(&err) {
                        eprintln!("dossier serve: original {blake3} is damaged: {err}");
                        if let Err(record_err) = pool.run_blocking(|dossier| {
                            dossier.record_damage(&blake3, "download", problem).map_err(ApiError::from)
                        }) {
                            eprintln!("dossier serve: could not record the damage: {}", record_err.message);
                        }
                    }
                    let _ = sender.blocking_send(Err(err));
                    return;
                }
            }
        }
    });
    futures_util::stream::unfold(
        receiver,
        |mut receiver| async move { receiver.recv().await.map(|item| (item, receiver)) },
    )
}

/// `attachment` with the name twice: an ASCII fallback and the exact name percent-encoded (RFC 6266, RFC 8187).
pub fn attachment(file_name: &str) -> HeaderValue {
    let fallback: String = file_name
        .chars()
        .map(|c| if c.is_ascii_graphic() && c != '"' && c != '\\' && c != '%' || c == ' ' { c } else { '_' })
        .collect();
    let mut encoded = String::new();
    for byte in file_name.bytes() {
        if byte.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&byte) {
            encoded.push(byte as char);
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    let value = format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}");
    HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static("attachment"))
}

/// Unknown paths under `/api`: a JSON 404 like every other error.
pub async fn not_found() -> ApiError {
    ApiError::not_found("no such API route; see /api/v1/openapi.json")
}

/// A known path with a method it does not have.
pub async fn method_not_allowed() -> ApiError {
    ApiError::new(axum::http::StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", "the API is read-only: use GET")
}

pub fn openapi_json(router: &OpenApiRouter<AppState>) -> Arc<String> {
    let document = router.get_openapi().clone();
    Arc::new(document.to_pretty_json().unwrap_or_else(|err| format!("{{\"error\": \"{err}\"}}")))
}
