//! Seal-use applications (用印申请): `/api/v1/applications`. An applicant drafts one for a seal,
//! uploads the original document page by page, and submits it; approvers of the same unit approve
//! (as many as it requires) or reject; approval processes the original once with the page reader.
//! States: draft → submitted → approved / rejected → in_use → completed / expired / revoked.
//!
//! Who may see an application: its applicant; approvers and reviewers of its unit; admins and
//! auditors. Anyone else gets 404, as if it did not exist.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use sealgate_pipeline::compare::ApprovedOriginal;
use sealgate_pipeline::original::pdf::PdfLimits;
use serde::{Deserialize, Serialize};
use sqlx::Row;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::{Caller, Role};
use super::engines::EngineFailure;
use super::error::ApiError;
use super::ids::new_id;
use super::json::JsonBody;
use super::upload::DocumentUpload;
use super::{AppState, audit};
use crate::doc::Engine;

/// Pages an original may have.
pub const MAX_ORIGINAL_FILES: usize = 20;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(read))
        .routes(routes!(add_original_file))
        .routes(routes!(original_file))
        .routes(routes!(submit))
        .routes(routes!(approve))
        .routes(routes!(revoke))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationState {
    Draft,
    Submitted,
    Approved,
    Rejected,
    InUse,
    Completed,
    Expired,
    Revoked,
}

impl ApplicationState {
    pub const ALL: [ApplicationState; 8] = [
        ApplicationState::Draft,
        ApplicationState::Submitted,
        ApplicationState::Approved,
        ApplicationState::Rejected,
        ApplicationState::InUse,
        ApplicationState::Completed,
        ApplicationState::Expired,
        ApplicationState::Revoked,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ApplicationState::Draft => "draft",
            ApplicationState::Submitted => "submitted",
            ApplicationState::Approved => "approved",
            ApplicationState::Rejected => "rejected",
            ApplicationState::InUse => "in_use",
            ApplicationState::Completed => "completed",
            ApplicationState::Expired => "expired",
            ApplicationState::Revoked => "revoked",
        }
    }

    pub fn parse(s: &str) -> Option<ApplicationState> {
        ApplicationState::ALL.into_iter().find(|x| x.name() == s)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Application {
    pub id: String,
    pub applicant_id: String,
    pub org_unit: String,
    pub seal_id: String,
    pub purpose: String,
    pub state: ApplicationState,
    pub allowed_impressions: i64,
    pub used_impressions: i64,
    pub valid_from: i64,
    pub valid_until: i64,
    pub location: Option<String>,
    pub approvals_required: i64,
    /// Evidence keys of the original's files, in page order.
    pub original: Vec<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Application {
    /// The state as of `now`: an approved or in-use application past its window is expired.
    pub fn state_at(&self, now: i64) -> ApplicationState {
        match self.state {
            ApplicationState::Approved | ApplicationState::InUse if now > self.valid_until => ApplicationState::Expired,
            s => s,
        }
    }
}

/// Why an application cannot be used now, as a decision reason code; `Ok` when it can.
pub fn usable_now(app: &Application, now: i64) -> Result<(), &'static str> {
    match app.state {
        ApplicationState::Approved | ApplicationState::InUse => {}
        ApplicationState::Revoked => return Err("revoked"),
        ApplicationState::Expired => return Err("expired"),
        ApplicationState::Completed => return Err("count_exhausted"),
        _ => return Err("not_approved"),
    }
    if now < app.valid_from {
        return Err("not_yet_valid");
    }
    if now > app.valid_until {
        return Err("expired");
    }
    if app.used_impressions >= app.allowed_impressions {
        return Err("count_exhausted");
    }
    Ok(())
}

/// Whether a device at `place` may act for `app`: anywhere when the application names no location,
/// else only a device registered at that location.
pub fn place_allowed(app: &Application, place: &str) -> bool {
    app.location.as_deref().is_none_or(|l| l.trim() == place.trim())
}

/// Move an approved application to in use (first grant); other states stay.
pub async fn mark_in_use(
    tx: &mut sqlx::AnyConnection,
    app: &Application,
    actor: &str,
    at: i64,
) -> Result<(), ApiError> {
    if app.state == ApplicationState::Approved {
        set_state(tx, &app.id, ApplicationState::Approved, ApplicationState::InUse, actor, at, serde_json::Value::Null)
            .await?;
    }
    Ok(())
}

/// Count `impressions` used; the application is completed when none remain.
pub async fn count_use(
    tx: &mut sqlx::AnyConnection,
    app: &Application,
    impressions: i64,
    actor: &str,
    at: i64,
) -> Result<(), ApiError> {
    sqlx::query("UPDATE applications SET used_impressions = used_impressions + $1, updated_at = $2 WHERE id = $3")
        .bind(impressions)
        .bind(at)
        .bind(&app.id)
        .execute(&mut *tx)
        .await?;
    if app.used_impressions + impressions >= app.allowed_impressions {
        let from =
            if app.state == ApplicationState::Approved { ApplicationState::Approved } else { ApplicationState::InUse };
        set_state(
            tx,
            &app.id,
            from,
            ApplicationState::Completed,
            actor,
            at,
            serde_json::json!({ "used": app.used_impressions + impressions }),
        )
        .await?;
    }
    Ok(())
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct NewApplication {
    seal_id: String,
    purpose: String,
    allowed_impressions: i64,
    valid_from: i64,
    valid_until: i64,
    #[serde(default)]
    location: Option<String>,
    #[serde(default = "one")]
    approvals_required: i64,
}

fn one() -> i64 {
    1
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
enum ApprovalDecision {
    Approve,
    Reject,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct Approval {
    decision: ApprovalDecision,
    #[serde(default)]
    comment: String,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct Reason {
    reason: String,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct Filter {
    state: Option<ApplicationState>,
}

const COLUMNS: &str = "id, applicant_id, org_unit, seal_id, purpose, state, allowed_impressions, used_impressions, \
                       valid_from, valid_until, location, approvals_required, original, created_at, updated_at";

fn from_row(r: &sqlx::any::AnyRow) -> Result<Application, ApiError> {
    let state: String = r.try_get("state")?;
    let original: String = r.try_get("original")?;
    Ok(Application {
        id: r.try_get("id")?,
        applicant_id: r.try_get("applicant_id")?,
        org_unit: r.try_get("org_unit")?,
        seal_id: r.try_get("seal_id")?,
        purpose: r.try_get("purpose")?,
        state: ApplicationState::parse(&state).ok_or_else(|| ApiError::Internal(format!("state {state}")))?,
        allowed_impressions: r.try_get("allowed_impressions")?,
        used_impressions: r.try_get("used_impressions")?,
        valid_from: r.try_get("valid_from")?,
        valid_until: r.try_get("valid_until")?,
        location: r.try_get("location")?,
        approvals_required: r.try_get("approvals_required")?,
        original: serde_json::from_str(&original).map_err(|e| ApiError::Internal(format!("original: {e}")))?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

/// Load an application without checking who asks (decisions, workflow).
pub async fn load(state: &AppState, id: &str) -> Result<Application, ApiError> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM applications WHERE id = $1")))
        .bind(id)
        .fetch_optional(&state.db.pool)
        .await?
        .ok_or(ApiError::NotFound("application"))?;
    from_row(&row)
}

/// Whether `caller` may see `app`.
pub fn visible_to(caller: &Caller, app: &Application) -> bool {
    caller.has(Role::Admin)
        || caller.has(Role::Auditor)
        || caller.person_id() == Some(app.applicant_id.as_str())
        || ((caller.has(Role::Approver) || caller.has(Role::Reviewer)) && caller.org_unit() == app.org_unit)
}

/// Load an application for `caller`; one they may not see is not found.
async fn load_for(state: &AppState, caller: &Caller, id: &str) -> Result<Application, ApiError> {
    let app = load(state, id).await.map_err(|e| match e {
        ApiError::NotFound(_) => ApiError::NotFound("application"),
        other => other,
    })?;
    if caller.device_id().is_some() || !visible_to(caller, &app) {
        return Err(ApiError::NotFound("application"));
    }
    Ok(app)
}

/// Set an application's state from `from` (compare-and-set) and audit it.
async fn set_state(
    tx: &mut sqlx::AnyConnection,
    id: &str,
    from: ApplicationState,
    to: ApplicationState,
    actor: &str,
    at: i64,
    detail: serde_json::Value,
) -> Result<(), ApiError> {
    let changed = sqlx::query("UPDATE applications SET state = $1, updated_at = $2 WHERE id = $3 AND state = $4")
        .bind(to.name())
        .bind(at)
        .bind(id)
        .bind(from.name())
        .execute(&mut *tx)
        .await?;
    if changed.rows_affected() != 1 {
        return Err(ApiError::Conflict("the application changed meanwhile; read it again".into()));
    }
    let detail = serde_json::json!({ "from": from.name(), "to": to.name(), "detail": detail });
    audit::append(tx, at, actor, "application.state", id, &detail).await?;
    Ok(())
}

#[utoipa::path(
    post,
    path = "/api/v1/applications",
    tag = "applications",
    summary = "Draft an application (applicant).",
    request_body = NewApplication,
    responses((status = 201, body = Application))
)]
async fn create(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(new): JsonBody<NewApplication>,
) -> Result<(StatusCode, Json<Application>), ApiError> {
    caller.require(&[Role::Applicant], "applying to use a seal")?;
    let applicant = caller.person_id().ok_or(ApiError::Forbidden("applying to use a seal"))?.to_string();
    if new.purpose.trim().is_empty() || new.purpose.chars().count() > 500 {
        return Err(ApiError::BadRequest("purpose must have 1 to 500 characters".into()));
    }
    if !(1..=1000).contains(&new.allowed_impressions) {
        return Err(ApiError::BadRequest("allowed_impressions must be 1 to 1000".into()));
    }
    if new.valid_until <= new.valid_from {
        return Err(ApiError::BadRequest("valid_until must be after valid_from".into()));
    }
    if !(1..=5).contains(&new.approvals_required) {
        return Err(ApiError::BadRequest("approvals_required must be 1 to 5".into()));
    }
    let seal = super::seals::load(&state, &new.seal_id).await?;
    if !seal.state.usable() {
        return Err(ApiError::Conflict(format!("the seal is {}, not in use", seal.state.name())));
    }
    let at = state.clock.now_ms();
    let app = Application {
        id: new_id("app")?,
        applicant_id: applicant,
        org_unit: caller.org_unit().to_string(),
        seal_id: seal.id,
        purpose: new.purpose.trim().into(),
        state: ApplicationState::Draft,
        allowed_impressions: new.allowed_impressions,
        used_impressions: 0,
        valid_from: new.valid_from,
        valid_until: new.valid_until,
        location: new.location.filter(|l| !l.trim().is_empty()),
        approvals_required: new.approvals_required,
        original: Vec::new(),
        created_at: at,
        updated_at: at,
    };
    let mut tx = state.db.pool.begin().await?;
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO applications ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8, $9, $10, $11, '[]', $12, $12)"
    )))
    .bind(&app.id)
    .bind(&app.applicant_id)
    .bind(&app.org_unit)
    .bind(&app.seal_id)
    .bind(&app.purpose)
    .bind(app.state.name())
    .bind(app.allowed_impressions)
    .bind(app.valid_from)
    .bind(app.valid_until)
    .bind(&app.location)
    .bind(app.approvals_required)
    .bind(at)
    .execute(&mut *tx)
    .await?;
    let detail = serde_json::json!({
        "seal_id": app.seal_id, "purpose": app.purpose, "allowed_impressions": app.allowed_impressions,
        "valid_from": app.valid_from, "valid_until": app.valid_until, "location": app.location,
    });
    audit::append(&mut tx, at, &caller.actor(), "application.created", &app.id, &detail).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(app)))
}

#[utoipa::path(
    get,
    path = "/api/v1/applications",
    tag = "applications",
    summary = "Applications the caller may see.",
    params(Filter),
    responses((status = 200, body = Vec<Application>))
)]
async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(filter): Query<Filter>,
) -> Result<Json<Vec<Application>>, ApiError> {
    caller.require(&Role::ALL, "listing applications")?;
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM applications ORDER BY created_at, id")))
        .fetch_all(&state.db.pool)
        .await?;
    let now = state.clock.now_ms();
    let mut out = Vec::new();
    for r in &rows {
        let mut app = from_row(r)?;
        app.state = app.state_at(now);
        if visible_to(&caller, &app) && filter.state.is_none_or(|s| s == app.state) {
            out.push(app);
        }
    }
    Ok(Json(out))
}

#[utoipa::path(
    get,
    path = "/api/v1/applications/{id}",
    tag = "applications",
    summary = "One application (its applicant, approvers and reviewers of its unit, admin, auditor).",
    params(("id" = String, Path, description = "application id")),
    responses((status = 200, body = Application))
)]
async fn read(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Application>, ApiError> {
    let mut app = load_for(&state, &caller, &id).await?;
    app.state = app.state_at(state.clock.now_ms());
    Ok(Json(app))
}

/// Append one file (page image or PDF) to a draft's original. Only its applicant.
#[utoipa::path(
    post,
    path = "/api/v1/applications/{id}/original",
    tag = "applications",
    summary = "Append a page image or PDF to a draft's original (its applicant).",
    params(("id" = String, Path, description = "application id")),
    request_body(content = super::openapi::Binary, content_type = "application/pdf", description = "a page image (JPEG, PNG, WebP) or a PDF"),
    responses((status = 200, body = Application))
)]
async fn add_original_file(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    DocumentUpload(bytes): DocumentUpload,
) -> Result<Json<Application>, ApiError> {
    let app = load_for(&state, &caller, &id).await?;
    if caller.person_id() != Some(app.applicant_id.as_str()) {
        return Err(ApiError::Forbidden("changing another person's application"));
    }
    if app.state != ApplicationState::Draft {
        return Err(ApiError::Conflict("only a draft's original can change".into()));
    }
    if app.original.len() >= MAX_ORIGINAL_FILES {
        return Err(ApiError::Conflict(format!("an original has at most {MAX_ORIGINAL_FILES} files")));
    }
    let (key, _) = state.evidence.put(bytes).await?;
    let mut original = app.original.clone();
    original.push(key.clone());
    let at = state.clock.now_ms();
    let mut tx = state.db.pool.begin().await?;
    let changed = sqlx::query(
        "UPDATE applications SET original = $1, updated_at = $2 WHERE id = $3 AND state = 'draft' AND original = $4",
    )
    .bind(serde_json::to_string(&original).map_err(|e| ApiError::Internal(e.to_string()))?)
    .bind(at)
    .bind(&id)
    .bind(serde_json::to_string(&app.original).map_err(|e| ApiError::Internal(e.to_string()))?)
    .execute(&mut *tx)
    .await?;
    if changed.rows_affected() != 1 {
        return Err(ApiError::Conflict("the application changed meanwhile; read it again".into()));
    }
    audit::append(&mut tx, at, &caller.actor(), "application.original", &id, &serde_json::json!({ "evidence": key }))
        .await?;
    tx.commit().await?;
    Ok(Json(Application { original, updated_at: at, ..app }))
}

/// One file of the original, as uploaded.
#[utoipa::path(
    get,
    path = "/api/v1/applications/{id}/original/{n}",
    tag = "applications",
    summary = "One file of the original, as uploaded.",
    params(("id" = String, Path, description = "application id"), ("n" = usize, Path, description = "file index, from 0")),
    responses((status = 200, description = "the file", content_type = "application/octet-stream"))
)]
async fn original_file(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, n)): Path<(String, usize)>,
) -> Result<axum::response::Response, ApiError> {
    let app = load_for(&state, &caller, &id).await?;
    let key = app.original.get(n).ok_or(ApiError::NotFound("original file"))?;
    state.evidence.response(key).await
}

#[utoipa::path(
    post,
    path = "/api/v1/applications/{id}/submit",
    tag = "applications",
    summary = "Submit a draft for approval (its applicant).",
    params(("id" = String, Path, description = "application id")),
    responses((status = 200, body = Application))
)]
async fn submit(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Application>, ApiError> {
    let app = load_for(&state, &caller, &id).await?;
    if caller.person_id() != Some(app.applicant_id.as_str()) {
        return Err(ApiError::Forbidden("submitting another person's application"));
    }
    if app.state != ApplicationState::Draft {
        return Err(ApiError::Conflict(format!("a {} application cannot be submitted", app.state.name())));
    }
    if app.original.is_empty() {
        return Err(ApiError::Conflict("upload the original document before submitting".into()));
    }
    let at = state.clock.now_ms();
    let mut tx = state.db.pool.begin().await?;
    set_state(
        &mut tx,
        &id,
        ApplicationState::Draft,
        ApplicationState::Submitted,
        &caller.actor(),
        at,
        serde_json::Value::Null,
    )
    .await?;
    tx.commit().await?;
    Ok(Json(load(&state, &id).await?))
}

/// The processed original of an application: from the cache, else read again from its evidence.
pub async fn processed_original(state: &AppState, app: &Application) -> Result<Arc<ApprovedOriginal>, EngineFailure> {
    if let Some(o) = state.originals.lock().ok().and_then(|c| c.get(&app.id).cloned()) {
        return Ok(o);
    }
    let mut files = Vec::with_capacity(app.original.len());
    for (i, key) in app.original.iter().enumerate() {
        let bytes = state
            .evidence
            .get(key)
            .await
            .map_err(|e| EngineFailure::ModelUnavailable(format!("original file {i}: {e}")))?;
        files.push((format!("page-{i}"), bytes));
    }
    let original = state
        .engines
        .run("original", move |e| {
            e.readers()?
                .approve_bytes(&files, Engine::Ppocr, &PdfLimits::DEFAULT)
                .map_err(|err| EngineFailure::BadInput(format!("{err:#}")))
        })
        .await?;
    let original = Arc::new(original);
    if let Ok(mut c) = state.originals.lock() {
        c.insert(app.id.clone(), Arc::clone(&original));
    }
    Ok(original)
}

#[utoipa::path(
    post,
    path = "/api/v1/applications/{id}/approvals",
    tag = "applications",
    summary = "Approve or reject (approvers of its unit); the last approval reads the original.",
    params(("id" = String, Path, description = "application id")),
    request_body = Approval,
    responses((status = 200, body = Application))
)]
async fn approve(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(a): JsonBody<Approval>,
) -> Result<Json<Application>, ApiError> {
    caller.require(&[Role::Approver], "approving applications")?;
    let app = load_for(&state, &caller, &id).await?;
    let approver = caller.person_id().ok_or(ApiError::Forbidden("approving applications"))?.to_string();
    if approver == app.applicant_id {
        return Err(ApiError::Forbidden("approving one's own application"));
    }
    if caller.org_unit() != app.org_unit {
        return Err(ApiError::NotFound("application"));
    }
    if app.state != ApplicationState::Submitted {
        return Err(ApiError::Conflict(format!("a {} application cannot be decided", app.state.name())));
    }
    let approving = matches!(a.decision, ApprovalDecision::Approve);
    let approvals =
        sqlx::query("SELECT COUNT(*) AS n FROM approvals WHERE application_id = $1 AND decision = 'approve'")
            .bind(&id)
            .fetch_one(&state.db.pool)
            .await?
            .try_get::<i64, _>("n")?;
    let completes = approving && approvals + 1 >= app.approvals_required;
    if completes {
        // The original is read once now; a failure leaves the application submitted.
        processed_original(&state, &app).await.map_err(|e| match e {
            EngineFailure::BadInput(m) => ApiError::Conflict(format!("the original cannot be read: {m}")),
            other => ApiError::Unavailable(format!("the original cannot be processed now: {other}")),
        })?;
    }
    let at = state.clock.now_ms();
    let mut tx = state.db.pool.begin().await?;
    let inserted = sqlx::query(
        "INSERT INTO approvals (application_id, approver_id, at, decision, comment) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&id)
    .bind(&approver)
    .bind(at)
    .bind(if approving { "approve" } else { "reject" })
    .bind(&a.comment)
    .execute(&mut *tx)
    .await;
    if inserted.is_err() {
        return Err(ApiError::Conflict("this approver has already decided".into()));
    }
    let detail = serde_json::json!({ "decision": if approving { "approve" } else { "reject" }, "comment": a.comment });
    audit::append(&mut tx, at, &caller.actor(), "application.approval", &id, &detail).await?;
    if !approving {
        set_state(&mut tx, &id, ApplicationState::Submitted, ApplicationState::Rejected, &caller.actor(), at, detail)
            .await?;
    } else if completes {
        set_state(&mut tx, &id, ApplicationState::Submitted, ApplicationState::Approved, &caller.actor(), at, detail)
            .await?;
    }
    tx.commit().await?;
    Ok(Json(load(&state, &id).await?))
}

#[utoipa::path(
    post,
    path = "/api/v1/applications/{id}/revoke",
    tag = "applications",
    summary = "Revoke (admin, approvers of its unit).",
    params(("id" = String, Path, description = "application id")),
    request_body = Reason,
    responses((status = 200, body = Application))
)]
async fn revoke(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(r): JsonBody<Reason>,
) -> Result<Json<Application>, ApiError> {
    caller.require(&[Role::Admin, Role::Approver], "revoking applications")?;
    let app = load_for(&state, &caller, &id).await?;
    if !caller.has(Role::Admin) && caller.org_unit() != app.org_unit {
        return Err(ApiError::NotFound("application"));
    }
    let from = app.state;
    if !matches!(from, ApplicationState::Submitted | ApplicationState::Approved | ApplicationState::InUse) {
        return Err(ApiError::Conflict(format!("a {} application cannot be revoked", from.name())));
    }
    if r.reason.trim().is_empty() {
        return Err(ApiError::BadRequest("a revocation needs a reason".into()));
    }
    let at = state.clock.now_ms();
    let mut tx = state.db.pool.begin().await?;
    let detail = serde_json::json!({ "reason": r.reason });
    set_state(&mut tx, &id, from, ApplicationState::Revoked, &caller.actor(), at, detail).await?;
    tx.commit().await?;
    Ok(Json(load(&state, &id).await?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_approved_application_past_its_window_is_expired() {
        let app = Application {
            id: "app_1".into(),
            applicant_id: "per_1".into(),
            org_unit: "u".into(),
            seal_id: "seal_1".into(),
            purpose: "p".into(),
            state: ApplicationState::Approved,
            allowed_impressions: 1,
            used_impressions: 0,
            valid_from: 10,
            valid_until: 20,
            location: None,
            approvals_required: 1,
            original: vec![],
            created_at: 0,
            updated_at: 0,
        };
        assert_eq!(app.state_at(20), ApplicationState::Approved);
        assert_eq!(app.state_at(21), ApplicationState::Expired);
        let rejected = Application { state: ApplicationState::Rejected, ..app };
        assert_eq!(rejected.state_at(99), ApplicationState::Rejected);
        assert!(ApplicationState::ALL.iter().all(|&s| ApplicationState::parse(s.name()) == Some(s)));
    }
}
