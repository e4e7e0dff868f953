//! The entities API: a document's mentions, the collection's entities, one entity with its documents, mentions and
//! neighbours, the documents that name two entities, and the export (FollowTheMoney JSON Lines or CSV).

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use dossier_core::{DocMention, Dossier, Mention};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::api::{ApiPath, ApiQuery, DocumentLink};
use crate::error::{ApiError, ErrorBody};

/// Entities a listing returns at most.
pub const MAX_ENTITIES: usize = 10_000;
/// Characters of text shown on each side of a mention.
pub const CONTEXT_CHARS: usize = 80;
/// Documents whose text is read for the context of an entity's mentions.
const CONTEXT_DOCUMENTS: usize = 100;

/// One thing a text names, with offsets in characters (Unicode scalar values) into the document's text.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MentionDto {
    /// `person`, `organization`, `location`, or an identifier, contact, date or amount kind (`inn`, `phone`...).
    pub kind: String,
    /// As written.
    pub text: String,
    pub start: u64,
    pub end: u64,
    /// The normal form (dictionary form of a name, digits of an identifier, E.164, ISO 8601...).
    pub value: String,
    pub key: String,
    /// `valid` or `invalid`: the kind's own check (check digits, numbering plan, the date exists).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub checksum: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub detail: Option<serde_json::Value>,
}

impl From<Mention> for MentionDto {
    fn from(m: Mention) -> MentionDto {
        MentionDto {
            kind: m.kind,
            text: m.text,
            start: m.start as u64,
            end: m.end as u64,
            value: m.value,
            key: m.key,
            checksum: m.checksum,
            label: m.label,
            lang: m.lang,
            detail: m.detail,
        }
    }
}

/// A document's analysis.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DocumentEntities {
    pub document: i64,
    /// `false` when the document was ingested without analysis (`--no-entities`) or has no text.
    pub analysed: bool,
    pub version: Option<String>,
    pub analysed_at: Option<String>,
    /// What could not run when it was analysed (a model that was not installed).
    pub missing: Vec<String>,
    pub mentions: Vec<MentionDto>,
}

/// The names, identifiers, dates and amounts a document's text mentions.
#[utoipa::path(get, path = "/api/v1/documents/{id}/entities", tag = "entities",
    params(("id" = i64, Path, description = "The document's id")),
    responses((status = 200, body = DocumentEntities), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn document_entities(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<DocumentEntities>, ApiError> {
    state.pool.run(move |dossier| Ok(Json(document_entities_of(dossier, id)?))).await
}

pub fn document_entities_of(dossier: &mut Dossier, id: i64) -> Result<DocumentEntities, ApiError> {
    if dossier.document(id)?.is_none() {
        return Err(ApiError::not_found(format!("there is no document {id}")));
    }
    Ok(match dossier.analysis(id)? {
        Some(analysis) => DocumentEntities {
            document: id,
            analysed: true,
            version: Some(analysis.version),
            analysed_at: Some(analysis.analysed_at),
            missing: analysis.missing,
            mentions: analysis.mentions.into_iter().map(MentionDto::from).collect(),
        },
        None => DocumentEntities {
            document: id,
            analysed: false,
            version: None,
            analysed_at: None,
            missing: Vec::new(),
            mentions: Vec::new(),
        },
    })
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EntitiesParams {
    /// Only this collection.
    pub collection: Option<String>,
    /// Only this kind (`person`, `organization`, `location`, `inn`, `phone`...).
    pub kind: Option<String>,
    /// Entities to return, most mentioned first (at most 10000; default 1000).
    pub limit: Option<usize>,
}

/// One entity: the mentions of one kind that were linked as one.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EntityDto {
    pub kind: String,
    pub id: String,
    pub name: String,
    pub mentions: u64,
    pub documents: u64,
    /// Every form it was found in (normal values).
    pub forms: Vec<String>,
    /// Why the forms are one entity, in words.
    pub why: Vec<String>,
    /// `invalid` when any mention failed its own check (an identifier with a wrong check digit).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub checksum: Option<String>,
    /// Its page in the web interface.
    pub url: String,
}

pub fn entity_url(kind: &str, id: &str, collection: Option<&str>) -> String {
    let base = format!("/entities/{}/{}", crate::ui::percent_encode(kind), crate::ui::percent_encode(id));
    match collection {
        Some(collection) => format!("{base}?collection={}", crate::ui::percent_encode(collection)),
        None => base,
    }
}

impl EntityDto {
    pub fn of(entity: dossier_core::Entity, collection: Option<&str>) -> EntityDto {
        let url = entity_url(&entity.kind, &entity.id, collection);
        let mut forms: Vec<String> = entity.members.into_iter().map(|(_, value)| value).collect();
        forms.dedup();
        EntityDto {
            kind: entity.kind,
            id: entity.id,
            name: entity.name,
            mentions: entity.mentions,
            documents: entity.documents,
            forms,
            why: entity.why,
            checksum: entity.checksum,
            url,
        }
    }
}

/// The collection's entities, most mentioned first.
#[utoipa::path(get, path = "/api/v1/entities", tag = "entities", params(EntitiesParams),
    responses((status = 200, body = Vec<EntityDto>), (status = 400, body = ErrorBody)))]
pub async fn entities(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<EntitiesParams>,
) -> Result<Json<Vec<EntityDto>>, ApiError> {
    let limit = params.limit.unwrap_or(1000);
    if limit == 0 || limit > MAX_ENTITIES {
        return Err(ApiError::bad_request(format!("limit must be between 1 and {MAX_ENTITIES}")));
    }
    state
        .pool
        .run(move |dossier| {
            let collection = params.collection.as_deref();
            let mut found = dossier.entities(collection, params.kind.as_deref())?;
            found.truncate(limit);
            Ok(Json(found.into_iter().map(|entity| EntityDto::of(entity, collection)).collect()))
        })
        .await
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CollectionParam {
    /// Only this collection.
    pub collection: Option<String>,
}

/// A mention with the text around it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MentionInDocument {
    pub document: i64,
    #[serde(flatten)]
    pub mention: MentionDto,
    /// Up to 80 characters before and after, when the document's text was read for it.
    pub before: String,
    pub after: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CooccurringDto {
    pub kind: String,
    pub id: String,
    pub name: String,
    /// Documents that name both.
    pub documents: u64,
    pub url: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EntityDetailDto {
    pub entity: EntityDto,
    pub documents: Vec<DocumentLink>,
    /// The first 500 mentions, in document and text order.
    pub mentions: Vec<MentionInDocument>,
    /// Entities named in the same documents, most shared documents first.
    pub cooccurring: Vec<CooccurringDto>,
}

/// One entity: its documents, its mentions with their context, and the entities named beside it.
#[utoipa::path(get, path = "/api/v1/entities/{kind}/{id}", tag = "entities",
    params(("kind" = String, Path, description = "The entity's kind"),
           ("id" = String, Path, description = "The entity's id (percent-encoded)"), CollectionParam),
    responses((status = 200, body = EntityDetailDto), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn entity(
    State(state): State<AppState>,
    ApiPath((kind, id)): ApiPath<(String, String)>,
    ApiQuery(params): ApiQuery<CollectionParam>,
) -> Result<Json<EntityDetailDto>, ApiError> {
    state.pool.run(move |dossier| Ok(Json(entity_detail(dossier, params.collection.as_deref(), &kind, &id)?))).await
}

pub fn entity_detail(
    dossier: &mut Dossier,
    collection: Option<&str>,
    kind: &str,
    id: &str,
) -> Result<EntityDetailDto, ApiError> {
    let Some(detail) = dossier.entity(collection, kind, id)? else {
        return Err(ApiError::not_found(format!("there is no {kind} entity {id:?}")));
    };
    let mut documents = Vec::with_capacity(detail.document_ids.len());
    for doc in &detail.document_ids {
        if let Some(record) = dossier.document(*doc)? {
            documents.push(DocumentLink::from(&record));
        }
    }
    let mentions = with_context(dossier, detail.mentions_shown)?;
    let cooccurring = detail
        .cooccurring
        .into_iter()
        .map(|c| CooccurringDto {
            url: entity_url(&c.kind, &c.id, collection),
            kind: c.kind,
            id: c.id,
            name: c.name,
            documents: c.documents,
        })
        .collect();
    Ok(EntityDetailDto { entity: EntityDto::of(detail.entity, collection), documents, mentions, cooccurring })
}

fn with_context(dossier: &mut Dossier, mentions: Vec<DocMention>) -> Result<Vec<MentionInDocument>, ApiError> {
    let mut out = Vec::with_capacity(mentions.len());
    let mut text: Option<(i64, Vec<char>)> = None;
    let mut documents_read = 0;
    for DocMention { document, mention } in mentions {
        if text.as_ref().is_none_or(|(id, _)| *id != document) && documents_read < CONTEXT_DOCUMENTS {
            documents_read += 1;
            text = Some((document, dossier.text(document)?.unwrap_or_default().chars().collect()));
        }
        let (before, after) = match &text {
            Some((id, chars)) if *id == document && mention.end <= chars.len() => {
                let from = mention.start.saturating_sub(CONTEXT_CHARS);
                let to = (mention.end + CONTEXT_CHARS).min(chars.len());
                (chars[from..mention.start].iter().collect(), chars[mention.end..to].iter().collect())
            }
            _ => (String::new(), String::new()),
        };
        out.push(MentionInDocument { document, mention: mention.into(), before, after });
    }
    Ok(out)
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BothParams {
    /// The first entity, as `kind:id`.
    #[param(pattern = "^[a-z_]+:.+$")]
    pub a: String,
    /// The second entity, as `kind:id`.
    #[param(pattern = "^[a-z_]+:.+$")]
    pub b: String,
    /// Only this collection.
    pub collection: Option<String>,
}

/// The documents that name both entities.
#[utoipa::path(get, path = "/api/v1/entities/both", tag = "entities", params(BothParams),
    responses((status = 200, body = Vec<DocumentLink>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn both(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<BothParams>,
) -> Result<Json<Vec<DocumentLink>>, ApiError> {
    let split = |arg: &str| -> Result<(String, String), ApiError> {
        arg.split_once(':')
            .map(|(kind, id)| (kind.to_string(), id.to_string()))
            .ok_or_else(|| ApiError::bad_request(format!("{arg:?} is not kind:id")))
    };
    let (a, b) = (split(&params.a)?, split(&params.b)?);
    state
        .pool
        .run(move |dossier| {
            let collection = params.collection.as_deref();
            let Some(docs) = dossier.cooccurrence(collection, (&a.0, &a.1), (&b.0, &b.1))? else {
                return Err(ApiError::not_found("no such entity"));
            };
            let mut links = Vec::with_capacity(docs.len());
            for doc in docs {
                if let Some(record) = dossier.document(doc)? {
                    links.push(DocumentLink::from(&record));
                }
            }
            Ok(Json(links))
        })
        .await
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum EntityExportFormat {
    /// FollowTheMoney entities, one JSON object per line (Person, Organization, Address, Document, Mention).
    #[default]
    Ftm,
    /// One row per entity: kind, id, name, mentions, documents, checksum, forms.
    Csv,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EntityExportParams {
    pub collection: Option<String>,
    pub format: Option<EntityExportFormat>,
}

/// Entities as CSV (RFC 4180, formulas defused): a header row, then kind, id, name, mentions, documents, checksum
/// and every form, one entity a row. `dossier entities --csv` writes the same.
pub fn entities_csv(entities: &[dossier_core::Entity]) -> String {
    let mut out = String::new();
    let header = ["kind", "id", "name", "mentions", "documents", "checksum", "forms"];
    crate::push_csv_row(&mut out, header.iter().map(|h| h.to_string()));
    for entity in entities {
        let forms: Vec<&str> = entity.members.iter().map(|(_, value)| value.as_str()).collect();
        let row = [
            entity.kind.clone(),
            entity.id.clone(),
            entity.name.clone(),
            entity.mentions.to_string(),
            entity.documents.to_string(),
            entity.checksum.clone().unwrap_or_default(),
            forms.join(" | "),
        ];
        crate::push_csv_row(&mut out, row.into_iter());
    }
    out
}

/// Every entity as a download: FollowTheMoney JSON Lines (what Aleph and OpenAleph import) or CSV.
#[utoipa::path(get, path = "/api/v1/entities/export", tag = "entities", params(EntityExportParams),
    responses((status = 200, description = "FollowTheMoney JSON Lines, or CSV with a header row",
               content((String = "application/jsonl"), (String = "text/csv"))),
              (status = 400, body = ErrorBody)))]
pub async fn export(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<EntityExportParams>,
) -> Result<Response, ApiError> {
    let format = params.format.unwrap_or_default();
    let body = state
        .pool
        .run(move |dossier| {
            let collection = params.collection.as_deref();
            match format {
                EntityExportFormat::Ftm => {
                    let mut out = Vec::new();
                    dossier.export_ftm(collection, &mut out)?;
                    Ok(out)
                }
                EntityExportFormat::Csv => Ok(entities_csv(&dossier.entities(collection, None)?).into_bytes()),
            }
        })
        .await?;
    let (media_type, file_name) = match format {
        EntityExportFormat::Ftm => ("application/jsonl; charset=utf-8", "dossier-entities.ftm.jsonl"),
        EntityExportFormat::Csv => ("text/csv; charset=utf-8", "dossier-entities.csv"),
    };
    let mut response = body.into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(media_type));
    response.headers_mut().insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&format!("attachment; filename=\"{file_name}\""))
            .map_err(|_| ApiError::internal("header"))?,
    );
    Ok(response)
}
