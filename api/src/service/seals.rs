//! Seals (印章): `/api/v1/seals`. Each has a kind, a registered impression template (印模) and a
//! lifecycle 刻制申请 → 已刻制 → 登记入库 → 领用/外带 → 移交 → 回收 → 停用 → 销毁 whose allowed
//! transitions are [`SealState::can_become`] and no others; each transition is audited with who and why.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use sealgate_pipeline::image::decode;
use sealgate_pipeline::seal::SealTemplate;
use serde::{Deserialize, Serialize};
use sqlx::Row;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::{Caller, Role};
use super::error::ApiError;
use super::ids::new_id;
use super::json::JsonBody;
use super::upload::ImageUpload;
use super::{AppState, audit};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(read))
        .routes(routes!(put_template, get_template))
        .routes(routes!(transition))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SealKind {
    /// 公章
    Official,
    /// 合同专用章
    Contract,
    /// 财务专用章
    Finance,
    /// 法人章
    LegalRepresentative,
    /// 发票专用章
    Invoice,
}

/// Where a seal is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SealState {
    /// 刻制申请
    Requested,
    /// 已刻制
    Engraved,
    /// 登记入库: registered, in its cabinet or safe.
    Registered,
    /// 领用/外带: out with a person or in a portable lock.
    CheckedOut,
    /// 移交: handed over to another custodian.
    HandedOver,
    /// 回收: taken back.
    Returned,
    /// 停用
    Suspended,
    /// 销毁
    Destroyed,
}

impl SealState {
    pub const ALL: [SealState; 8] = [
        SealState::Requested,
        SealState::Engraved,
        SealState::Registered,
        SealState::CheckedOut,
        SealState::HandedOver,
        SealState::Returned,
        SealState::Suspended,
        SealState::Destroyed,
    ];

    pub fn name(self) -> &'static str {
        match self {
            SealState::Requested => "requested",
            SealState::Engraved => "engraved",
            SealState::Registered => "registered",
            SealState::CheckedOut => "checked_out",
            SealState::HandedOver => "handed_over",
            SealState::Returned => "returned",
            SealState::Suspended => "suspended",
            SealState::Destroyed => "destroyed",
        }
    }

    pub fn parse(s: &str) -> Option<SealState> {
        SealState::ALL.into_iter().find(|x| x.name() == s)
    }

    /// The lifecycle's allowed transitions.
    pub fn can_become(self, to: SealState) -> bool {
        use SealState::*;
        matches!(
            (self, to),
            (Requested, Engraved)
                | (Engraved, Registered)
                | (Registered, CheckedOut | Suspended)
                | (CheckedOut, HandedOver | Returned)
                | (HandedOver, CheckedOut | Returned)
                | (Returned, Registered | Suspended)
                | (Suspended, Registered | Destroyed)
        )
    }

    /// Whether decisions may grant this seal's use.
    pub fn usable(self) -> bool {
        matches!(self, SealState::Registered | SealState::CheckedOut)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Seal {
    pub id: String,
    pub name: String,
    pub kind: SealKind,
    pub org_unit: String,
    pub state: SealState,
    /// Evidence key of the registered impression (印模).
    pub template: Option<String>,
    /// Who or what holds it now (a person id when out, a device id in a lock).
    pub holder: Option<String>,
    /// When it entered its current state.
    pub since: i64,
    pub created_at: i64,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct NewSeal {
    name: String,
    kind: SealKind,
    org_unit: String,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct Transition {
    to: SealState,
    reason: String,
    #[serde(default)]
    holder: Option<String>,
}

pub fn seal_from_row(r: &sqlx::any::AnyRow) -> Result<Seal, ApiError> {
    let kind: String = r.try_get("kind")?;
    let state: String = r.try_get("state")?;
    Ok(Seal {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        kind: serde_json::from_value(serde_json::Value::String(kind))
            .map_err(|e| ApiError::Internal(format!("seal kind: {e}")))?,
        org_unit: r.try_get("org_unit")?,
        state: SealState::parse(&state).ok_or_else(|| ApiError::Internal(format!("seal state {state}")))?,
        template: r.try_get("template")?,
        holder: r.try_get("holder")?,
        since: r.try_get("since")?,
        created_at: r.try_get("created_at")?,
    })
}

const COLUMNS: &str = "id, name, kind, org_unit, state, template, holder, since, created_at";

pub async fn load(state: &AppState, id: &str) -> Result<Seal, ApiError> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM seals WHERE id = $1")))
        .bind(id)
        .fetch_optional(&state.db.pool)
        .await?
        .ok_or(ApiError::NotFound("seal"))?;
    seal_from_row(&row)
}

fn kind_name(kind: SealKind) -> String {
    serde_json::to_value(kind).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

#[utoipa::path(
    post,
    path = "/api/v1/seals",
    tag = "seals",
    summary = "Register a seal (admin); it starts as requested (刻制申请).",
    request_body = NewSeal,
    responses((status = 201, body = Seal))
)]
async fn create(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(new): JsonBody<NewSeal>,
) -> Result<(StatusCode, Json<Seal>), ApiError> {
    caller.require(&[Role::Admin], "registering seals")?;
    if new.name.trim().is_empty() || new.org_unit.trim().is_empty() {
        return Err(ApiError::BadRequest("name and org_unit must not be empty".into()));
    }
    let at = state.clock.now_ms();
    let seal = Seal {
        id: new_id("seal")?,
        name: new.name.trim().into(),
        kind: new.kind,
        org_unit: new.org_unit.trim().into(),
        state: SealState::Requested,
        template: None,
        holder: None,
        since: at,
        created_at: at,
    };
    let mut tx = state.db.pool.begin().await?;
    sqlx::query(
        "INSERT INTO seals (id, name, kind, org_unit, state, template, holder, since, created_at)
         VALUES ($1, $2, $3, $4, $5, NULL, NULL, $6, $6)",
    )
    .bind(&seal.id)
    .bind(&seal.name)
    .bind(kind_name(seal.kind))
    .bind(&seal.org_unit)
    .bind(seal.state.name())
    .bind(at)
    .execute(&mut *tx)
    .await?;
    let detail = serde_json::json!({ "name": seal.name, "kind": seal.kind, "org_unit": seal.org_unit });
    audit::append(&mut tx, at, &caller.actor(), "seal.created", &seal.id, &detail).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(seal)))
}

#[utoipa::path(
    get,
    path = "/api/v1/seals",
    tag = "seals",
    summary = "Every seal.",
    responses((status = 200, body = Vec<Seal>))
)]
async fn list(State(state): State<AppState>, caller: Caller) -> Result<Json<Vec<Seal>>, ApiError> {
    caller.require(&Role::ALL, "listing seals")?;
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM seals ORDER BY created_at, id")))
        .fetch_all(&state.db.pool)
        .await?;
    Ok(Json(rows.iter().map(seal_from_row).collect::<Result<_, _>>()?))
}

#[utoipa::path(
    get,
    path = "/api/v1/seals/{id}",
    tag = "seals",
    summary = "One seal.",
    params(("id" = String, Path, description = "seal id")),
    responses((status = 200, body = Seal))
)]
async fn read(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> Result<Json<Seal>, ApiError> {
    caller.require(&Role::ALL, "reading seals")?;
    Ok(Json(load(&state, &id).await?))
}

/// Register the seal's impression (印模): a clean image of one impression, checked to hold one.
#[utoipa::path(
    put,
    path = "/api/v1/seals/{id}/template",
    tag = "seals",
    summary = "Register the impression template (印模) (admin).",
    params(("id" = String, Path, description = "seal id")),
    request_body(content = super::openapi::Binary, content_type = "image/jpeg", description = "a JPEG, PNG or WebP image"),
    responses((status = 200, body = Seal))
)]
async fn put_template(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ImageUpload(bytes): ImageUpload,
) -> Result<Json<Seal>, ApiError> {
    caller.require(&[Role::Admin], "registering seal templates")?;
    let seal = load(&state, &id).await?;
    if seal.state == SealState::Destroyed {
        return Err(ApiError::Conflict("a destroyed seal takes no template".into()));
    }
    let cfg = state.engines.config.inspect.seal.clone();
    let limits = state.engines.config.decode_limits();
    let probe = bytes.clone();
    tokio::task::spawn_blocking(move || {
        let img = decode(&probe, limits).map_err(|e| ApiError::BadRequest(format!("not a usable image: {e}")))?;
        SealTemplate::from_image(&img, &cfg).map_err(|e| ApiError::BadRequest(format!("no seal impression found: {e}")))
    })
    .await
    .map_err(|e| ApiError::Internal(format!("template check: {e}")))??;
    let (key, _) = state.evidence.put(bytes).await?;
    let at = state.clock.now_ms();
    let mut tx = state.db.pool.begin().await?;
    sqlx::query("UPDATE seals SET template = $1 WHERE id = $2").bind(&key).bind(&id).execute(&mut *tx).await?;
    audit::append(&mut tx, at, &caller.actor(), "seal.template", &id, &serde_json::json!({ "evidence": key })).await?;
    tx.commit().await?;
    Ok(Json(Seal { template: Some(key), ..seal }))
}

#[utoipa::path(
    get,
    path = "/api/v1/seals/{id}/template",
    tag = "seals",
    summary = "The registered impression template (印模), as uploaded.",
    params(("id" = String, Path, description = "seal id")),
    responses((status = 200, description = "the image", content_type = "image/png"))
)]
async fn get_template(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<axum::response::Response, ApiError> {
    caller.require(&Role::ALL, "reading seals")?;
    let seal = load(&state, &id).await?;
    let key = seal.template.ok_or(ApiError::NotFound("seal template"))?;
    state.evidence.response(&key).await
}

#[utoipa::path(
    post,
    path = "/api/v1/seals/{id}/transitions",
    tag = "seals",
    summary = "Move the seal along its lifecycle (admin); only allowed transitions.",
    params(("id" = String, Path, description = "seal id")),
    request_body = Transition,
    responses((status = 200, body = Seal))
)]
async fn transition(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(t): JsonBody<Transition>,
) -> Result<Json<Seal>, ApiError> {
    caller.require(&[Role::Admin], "changing a seal's state")?;
    if t.reason.trim().is_empty() {
        return Err(ApiError::BadRequest("a transition needs a reason".into()));
    }
    let at = state.clock.now_ms();
    let mut tx = state.db.pool.begin().await?;
    // Compare-and-set on the state read: two concurrent transitions cannot both apply.
    let row = sqlx::query("SELECT state FROM seals WHERE id = $1")
        .bind(&id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(ApiError::NotFound("seal"))?;
    let from_name: String = row.try_get("state")?;
    let from = SealState::parse(&from_name).ok_or_else(|| ApiError::Internal(format!("seal state {from_name}")))?;
    if !from.can_become(t.to) {
        return Err(ApiError::Conflict(format!("a seal cannot go from {} to {}", from.name(), t.to.name())));
    }
    let holder = if matches!(t.to, SealState::CheckedOut | SealState::HandedOver) { t.holder.clone() } else { None };
    let changed = sqlx::query("UPDATE seals SET state = $1, holder = $2, since = $3 WHERE id = $4 AND state = $5")
        .bind(t.to.name())
        .bind(&holder)
        .bind(at)
        .bind(&id)
        .bind(from.name())
        .execute(&mut *tx)
        .await?;
    if changed.rows_affected() != 1 {
        return Err(ApiError::Conflict("the seal changed meanwhile; read it again".into()));
    }
    let detail = serde_json::json!({ "from": from.name(), "to": t.to.name(), "reason": t.reason, "holder": holder });
    audit::append(&mut tx, at, &caller.actor(), "seal.transition", &id, &detail).await?;
    tx.commit().await?;
    Ok(Json(load(&state, &id).await?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_lifecycle_transitions_are_allowed() {
        use SealState::*;
        let allowed: Vec<(SealState, SealState)> = SealState::ALL
            .iter()
            .flat_map(|&a| SealState::ALL.iter().map(move |&b| (a, b)))
            .filter(|&(a, b)| a.can_become(b))
            .collect();
        assert_eq!(allowed.len(), 12, "{allowed:?}");
        assert!(Requested.can_become(Engraved) && Suspended.can_become(Destroyed));
        assert!(!Requested.can_become(Registered), "no skipping engraving");
        assert!(!Destroyed.can_become(Registered), "destruction is final");
        assert!(SealState::ALL.iter().all(|&s| !s.can_become(s)));
        assert!(SealState::ALL.iter().all(|&s| SealState::parse(s.name()) == Some(s)));
    }
}
