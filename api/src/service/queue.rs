//! The reviewer queue: `/api/v1/anomalies`. Post-stamp findings wait here with their evidence (the
//! photo, the approved original, the decision's findings and the seal's template) until a reviewer
//! of the same unit resolves them as misuse or false alarm, or escalates them. Admins and auditors
//! see every unit; nobody else sees the queue.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::response::IntoResponse;
use serde::{Deserialize, Serialize};
use sqlx::Row;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::{Caller, Role};
use super::error::ApiError;
use super::json::JsonBody;
use super::{AppState, applications, audit, seals};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(read))
        .routes(routes!(evidence))
        .routes(routes!(crop))
        .routes(routes!(resolve))
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Anomaly {
    pub id: String,
    pub decision_id: String,
    pub application_id: String,
    pub seal_id: String,
    pub person_id: String,
    pub org_unit: String,
    /// The finding: `blank`, `inserted`, `duplicate`, `wrong_seal`, `extra_impression`, `review`...
    pub kind: String,
    /// `open`, `escalated`, `misuse` or `false_alarm`.
    pub state: String,
    pub reason: String,
    /// Evidence keys of the photos concerned.
    pub evidence: Vec<String>,
    pub created_at: i64,
    pub resolved_by: Option<String>,
    pub resolved_at: Option<i64>,
    pub comment: Option<String>,
}

/// An anomaly with what a reviewer compares side by side.
#[derive(Debug, Serialize, utoipa::ToSchema)]
struct Case {
    anomaly: Anomaly,
    /// Links to the photos (`/api/v1/anomalies/{id}/evidence/{n}`).
    photos: Vec<String>,
    /// Links to the findings cut out of the photo (`/api/v1/anomalies/{id}/crops/{n}`).
    crops: Vec<String>,
    /// Evidence keys of the approved original's files and of the seal's template.
    original: Vec<String>,
    seal_template: Option<String>,
    /// The decision's findings (flags with reasons and boxes, differences, impressions).
    #[schema(value_type = Object)]
    findings: serde_json::Value,
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct Filter {
    seal: Option<String>,
    person: Option<String>,
    kind: Option<String>,
    state: Option<String>,
    from: Option<i64>,
    to: Option<i64>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
enum Resolution {
    Misuse,
    FalseAlarm,
    Escalate,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct Resolve {
    resolution: Resolution,
    comment: String,
}

const COLUMNS: &str = "id, decision_id, application_id, seal_id, person_id, org_unit, kind, state, reason, evidence, \
                       created_at, resolved_by, resolved_at, comment";

fn from_row(r: &sqlx::any::AnyRow) -> Result<Anomaly, ApiError> {
    let evidence: String = r.try_get("evidence")?;
    Ok(Anomaly {
        id: r.try_get("id")?,
        decision_id: r.try_get("decision_id")?,
        application_id: r.try_get("application_id")?,
        seal_id: r.try_get("seal_id")?,
        person_id: r.try_get("person_id")?,
        org_unit: r.try_get("org_unit")?,
        kind: r.try_get("kind")?,
        state: r.try_get("state")?,
        reason: r.try_get("reason")?,
        evidence: serde_json::from_str(&evidence).map_err(|e| ApiError::Internal(format!("evidence: {e}")))?,
        created_at: r.try_get("created_at")?,
        resolved_by: r.try_get("resolved_by")?,
        resolved_at: r.try_get("resolved_at")?,
        comment: r.try_get("comment")?,
    })
}

fn may_see(caller: &Caller, a: &Anomaly) -> bool {
    caller.has(Role::Admin)
        || caller.has(Role::Auditor)
        || (caller.has(Role::Reviewer) && caller.org_unit() == a.org_unit)
}

async fn load_for(state: &AppState, caller: &Caller, id: &str) -> Result<Anomaly, ApiError> {
    caller.require(&[Role::Admin, Role::Auditor, Role::Reviewer], "reading the reviewer queue")?;
    let row = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM anomalies WHERE id = $1")))
        .bind(id)
        .fetch_optional(&state.db.pool)
        .await?
        .ok_or(ApiError::NotFound("anomaly"))?;
    let a = from_row(&row)?;
    if !may_see(caller, &a) {
        return Err(ApiError::NotFound("anomaly"));
    }
    Ok(a)
}

#[utoipa::path(
    get,
    path = "/api/v1/anomalies",
    tag = "review",
    summary = "The reviewer queue (reviewers of the unit, admin, auditor).",
    params(Filter),
    responses((status = 200, body = Vec<Anomaly>))
)]
async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(f): Query<Filter>,
) -> Result<Json<Vec<Anomaly>>, ApiError> {
    caller.require(&[Role::Admin, Role::Auditor, Role::Reviewer], "reading the reviewer queue")?;
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM anomalies ORDER BY created_at, id")))
        .fetch_all(&state.db.pool)
        .await?;
    let mut out = Vec::new();
    for r in &rows {
        let a = from_row(r)?;
        let keep = may_see(&caller, &a)
            && f.seal.as_ref().is_none_or(|s| *s == a.seal_id)
            && f.person.as_ref().is_none_or(|p| *p == a.person_id)
            && f.kind.as_ref().is_none_or(|k| *k == a.kind)
            && f.state.as_ref().is_none_or(|s| *s == a.state)
            && f.from.is_none_or(|t| a.created_at >= t)
            && f.to.is_none_or(|t| a.created_at <= t);
        if keep {
            out.push(a);
        }
    }
    Ok(Json(out))
}

#[utoipa::path(
    get,
    path = "/api/v1/anomalies/{id}",
    tag = "review",
    summary = "One anomaly with its evidence side by side.",
    params(("id" = String, Path, description = "anomaly id")),
    responses((status = 200, body = Case))
)]
async fn read(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> Result<Json<Case>, ApiError> {
    let anomaly = load_for(&state, &caller, &id).await?;
    let app = applications::load(&state, &anomaly.application_id).await?;
    let seal = seals::load(&state, &anomaly.seal_id).await?;
    let row = sqlx::query("SELECT evidence, detail FROM decisions WHERE id = $1")
        .bind(&anomaly.decision_id)
        .fetch_one(&state.db.pool)
        .await?;
    let findings: serde_json::Value =
        serde_json::from_str(&row.try_get::<String, _>("detail")?).unwrap_or(serde_json::Value::Null);
    let evidence: Vec<String> = serde_json::from_str(&row.try_get::<String, _>("evidence")?).unwrap_or_default();
    let photos = (0..anomaly.evidence.len()).map(|n| format!("/api/v1/anomalies/{id}/evidence/{n}")).collect();
    let boxes = anomaly
        .evidence
        .first()
        .and_then(|k| evidence.iter().position(|e| e == k))
        .and_then(|i| findings["photos"][i]["boxes"].as_array().map(Vec::len))
        .unwrap_or(0);
    let crops = (0..boxes).map(|n| format!("/api/v1/anomalies/{id}/crops/{n}")).collect();
    Ok(Json(Case { anomaly, photos, crops, original: app.original, seal_template: seal.template, findings }))
}

#[utoipa::path(
    get,
    path = "/api/v1/anomalies/{id}/evidence/{n}",
    tag = "review",
    summary = "One photo of an anomaly.",
    params(("id" = String, Path, description = "anomaly id"), ("n" = usize, Path, description = "photo index, from 0")),
    responses((status = 200, description = "the photo", content_type = "image/jpeg"))
)]
async fn evidence(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, n)): Path<(String, usize)>,
) -> Result<axum::response::Response, ApiError> {
    let anomaly = load_for(&state, &caller, &id).await?;
    let key = anomaly.evidence.get(n).ok_or(ApiError::NotFound("evidence"))?;
    state.evidence.response(key).await
}

#[utoipa::path(
    get,
    path = "/api/v1/anomalies/{id}/crops/{n}",
    tag = "review",
    summary = "The n-th finding box of the anomaly's photo (an impression, a difference), cut out as PNG.",
    params(("id" = String, Path, description = "anomaly id"), ("n" = usize, Path, description = "box index, from 0")),
    responses((status = 200, description = "the crop", content_type = "image/png"))
)]
async fn crop(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, n)): Path<(String, usize)>,
) -> Result<axum::response::Response, ApiError> {
    let anomaly = load_for(&state, &caller, &id).await?;
    let photo_key = anomaly.evidence.first().ok_or(ApiError::NotFound("photo"))?.clone();
    let row = sqlx::query("SELECT evidence, detail FROM decisions WHERE id = $1")
        .bind(&anomaly.decision_id)
        .fetch_one(&state.db.pool)
        .await?;
    let evidence: Vec<String> = serde_json::from_str(&row.try_get::<String, _>("evidence")?)
        .map_err(|e| ApiError::Internal(format!("decision evidence: {e}")))?;
    let detail: serde_json::Value = serde_json::from_str(&row.try_get::<String, _>("detail")?)
        .map_err(|e| ApiError::Internal(format!("decision detail: {e}")))?;
    let index = evidence.iter().position(|k| *k == photo_key).ok_or(ApiError::NotFound("photo"))?;
    let quad: [[f32; 2]; 4] = serde_json::from_value(detail["photos"][index]["boxes"][n].clone())
        .map_err(|_| ApiError::NotFound("finding box"))?;
    let photo = state.evidence.get(&photo_key).await?;
    let limits = state.engines.config.decode_limits();
    let png = tokio::task::spawn_blocking(move || super::crop::crop_png(&photo, &quad, limits))
        .await
        .map_err(|e| ApiError::Internal(format!("crop task: {e}")))??;
    Ok(([(axum::http::header::CONTENT_TYPE, "image/png")], png).into_response())
}

#[utoipa::path(
    post,
    path = "/api/v1/anomalies/{id}/resolution",
    tag = "review",
    summary = "Resolve as misuse or false alarm, or escalate (reviewers of the unit).",
    params(("id" = String, Path, description = "anomaly id")),
    request_body = Resolve,
    responses((status = 200, body = Anomaly))
)]
async fn resolve(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(r): JsonBody<Resolve>,
) -> Result<Json<Anomaly>, ApiError> {
    caller.require(&[Role::Reviewer], "resolving anomalies")?;
    let a = load_for(&state, &caller, &id).await?;
    if r.comment.trim().is_empty() {
        return Err(ApiError::BadRequest("a resolution needs a comment".into()));
    }
    let to = match r.resolution {
        Resolution::Misuse => "misuse",
        Resolution::FalseAlarm => "false_alarm",
        Resolution::Escalate => "escalated",
    };
    // Open anomalies can be resolved or escalated; escalated ones only resolved.
    let allowed_from: &[&str] = if to == "escalated" { &["open"] } else { &["open", "escalated"] };
    if !allowed_from.contains(&a.state.as_str()) {
        return Err(ApiError::Conflict(format!("an anomaly in state {} cannot become {to}", a.state)));
    }
    let at = state.clock.now_ms();
    let reviewer = caller.person_id().unwrap_or_default().to_string();
    let mut tx = state.db.pool.begin().await?;
    let changed = sqlx::query(
        "UPDATE anomalies SET state = $1, resolved_by = $2, resolved_at = $3, comment = $4 WHERE id = $5 AND state = $6",
    )
    .bind(to)
    .bind(&reviewer)
    .bind(at)
    .bind(r.comment.trim())
    .bind(&id)
    .bind(&a.state)
    .execute(&mut *tx)
    .await?;
    if changed.rows_affected() != 1 {
        return Err(ApiError::Conflict("the anomaly changed meanwhile; read it again".into()));
    }
    let detail = serde_json::json!({ "from": a.state, "to": to, "comment": r.comment.trim() });
    audit::append(&mut tx, at, &caller.actor(), "anomaly.resolution", &id, &detail).await?;
    tx.commit().await?;
    Ok(Json(load_for(&state, &caller, &id).await?))
}
