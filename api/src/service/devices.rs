//! Devices: `/api/v1/devices`. Cabinets (智能印章柜) have numbered slots, a portable lock (智能印章锁)
//! has one; each slot holds at most one seal and a seal is in at most one slot. Each device has its
//! own API token, so one device cannot post as another.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use sqlx::Row;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::{Caller, Role};
use super::error::ApiError;
use super::ids::new_id;
use super::json::JsonBody;
use super::people::{IssuedToken, Revoked, Why, insert_token, revoke_tokens};
use super::{AppState, audit};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(issue_token))
        .routes(routes!(revoke_device_tokens))
        .routes(routes!(put_slot))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeviceKind {
    Cabinet,
    Lock,
}

impl DeviceKind {
    pub fn name(self) -> &'static str {
        match self {
            DeviceKind::Cabinet => "cabinet",
            DeviceKind::Lock => "lock",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Slot {
    pub slot: i64,
    pub seal_id: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Device {
    pub id: String,
    pub kind: DeviceKind,
    pub name: String,
    pub org_unit: String,
    pub location: String,
    pub slots: Vec<Slot>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct NewDevice {
    kind: DeviceKind,
    name: String,
    org_unit: String,
    #[serde(default)]
    location: String,
    /// Slots of a cabinet (1 to 64); a lock has one.
    #[serde(default)]
    slots: Option<i64>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct SlotContent {
    seal_id: Option<String>,
}

pub async fn load(state: &AppState, id: &str) -> Result<Device, ApiError> {
    let row = sqlx::query("SELECT id, kind, name, org_unit, location FROM devices WHERE id = $1")
        .bind(id)
        .fetch_optional(&state.db.pool)
        .await?
        .ok_or(ApiError::NotFound("device"))?;
    let kind: String = row.try_get("kind")?;
    let slots = sqlx::query("SELECT slot, seal_id FROM device_slots WHERE device_id = $1 ORDER BY slot")
        .bind(id)
        .fetch_all(&state.db.pool)
        .await?
        .iter()
        .map(|r| Ok(Slot { slot: r.try_get("slot")?, seal_id: r.try_get("seal_id")? }))
        .collect::<Result<Vec<_>, ApiError>>()?;
    Ok(Device {
        id: row.try_get("id")?,
        kind: if kind == "lock" { DeviceKind::Lock } else { DeviceKind::Cabinet },
        name: row.try_get("name")?,
        org_unit: row.try_get("org_unit")?,
        location: row.try_get("location")?,
        slots,
    })
}

#[utoipa::path(
    post,
    path = "/api/v1/devices",
    tag = "devices",
    summary = "Register a cabinet or lock (admin).",
    request_body = NewDevice,
    responses((status = 201, body = Device))
)]
async fn create(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(new): JsonBody<NewDevice>,
) -> Result<(StatusCode, Json<Device>), ApiError> {
    caller.require(&[Role::Admin], "registering devices")?;
    if new.name.trim().is_empty() || new.org_unit.trim().is_empty() {
        return Err(ApiError::BadRequest("name and org_unit must not be empty".into()));
    }
    let slots = match (new.kind, new.slots) {
        (DeviceKind::Lock, None | Some(1)) => 1,
        (DeviceKind::Lock, Some(_)) => return Err(ApiError::BadRequest("a lock has one slot".into())),
        (DeviceKind::Cabinet, Some(n @ 1..=64)) => n,
        (DeviceKind::Cabinet, _) => return Err(ApiError::BadRequest("a cabinet has 1 to 64 slots".into())),
    };
    let at = state.clock.now_ms();
    let id = new_id(if new.kind == DeviceKind::Lock { "lock" } else { "cab" })?;
    let mut tx = state.db.pool.begin().await?;
    sqlx::query("INSERT INTO devices (id, kind, name, org_unit, created_at, location) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(&id)
        .bind(new.kind.name())
        .bind(new.name.trim())
        .bind(new.org_unit.trim())
        .bind(at)
        .bind(new.location.trim())
        .execute(&mut *tx)
        .await?;
    for slot in 1..=slots {
        sqlx::query("INSERT INTO device_slots (device_id, slot, seal_id) VALUES ($1, $2, NULL)")
            .bind(&id)
            .bind(slot)
            .execute(&mut *tx)
            .await?;
    }
    let detail = serde_json::json!({ "kind": new.kind, "name": new.name, "org_unit": new.org_unit, "slots": slots });
    audit::append(&mut tx, at, &caller.actor(), "device.created", &id, &detail).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(load(&state, &id).await?)))
}

#[utoipa::path(
    get,
    path = "/api/v1/devices",
    tag = "devices",
    summary = "Every cabinet and lock (admin, auditor).",
    responses((status = 200, body = Vec<Device>))
)]
async fn list(State(state): State<AppState>, caller: Caller) -> Result<Json<Vec<Device>>, ApiError> {
    caller.require(&[Role::Admin, Role::Auditor], "listing devices")?;
    let ids = sqlx::query("SELECT id FROM devices ORDER BY created_at, id").fetch_all(&state.db.pool).await?;
    let mut out = Vec::with_capacity(ids.len());
    for r in &ids {
        out.push(load(&state, &r.try_get::<String, _>("id")?).await?);
    }
    Ok(Json(out))
}

#[utoipa::path(
    post,
    path = "/api/v1/devices/{id}/tokens",
    tag = "devices",
    summary = "Issue the device its API token, shown once (admin).",
    params(("id" = String, Path, description = "device id")),
    responses((status = 201, body = IssuedToken))
)]
async fn issue_token(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<(StatusCode, Json<IssuedToken>), ApiError> {
    caller.require(&[Role::Admin], "issuing device tokens")?;
    load(&state, &id).await?;
    let mut tx = state.db.pool.begin().await?;
    let token = insert_token(&mut tx, "device", &id, &caller.actor(), state.clock.now_ms()).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(IssuedToken { subject: id, token })))
}

/// Put a seal into a slot (or empty it with `null`).
#[utoipa::path(
    put,
    path = "/api/v1/devices/{id}/slots/{slot}",
    tag = "devices",
    summary = "Put a seal into a slot, or empty it (admin).",
    params(("id" = String, Path, description = "device id"), ("slot" = i64, Path, description = "slot number, from 1")),
    request_body = SlotContent,
    responses((status = 200, body = Device))
)]
async fn put_slot(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, slot)): Path<(String, i64)>,
    JsonBody(content): JsonBody<SlotContent>,
) -> Result<Json<Device>, ApiError> {
    caller.require(&[Role::Admin], "assigning seals to slots")?;
    let at = state.clock.now_ms();
    let mut tx = state.db.pool.begin().await?;
    let exists = sqlx::query("SELECT slot FROM device_slots WHERE device_id = $1 AND slot = $2")
        .bind(&id)
        .bind(slot)
        .fetch_optional(&mut *tx)
        .await?;
    if exists.is_none() {
        return Err(ApiError::NotFound("device slot"));
    }
    if let Some(seal) = &content.seal_id {
        if sqlx::query("SELECT id FROM seals WHERE id = $1").bind(seal).fetch_optional(&mut *tx).await?.is_none() {
            return Err(ApiError::NotFound("seal"));
        }
        let elsewhere =
            sqlx::query("SELECT device_id FROM device_slots WHERE seal_id = $1 AND NOT (device_id = $2 AND slot = $3)")
                .bind(seal)
                .bind(&id)
                .bind(slot)
                .fetch_optional(&mut *tx)
                .await?;
        if elsewhere.is_some() {
            return Err(ApiError::Conflict("the seal is in another slot; empty that one first".into()));
        }
    }
    sqlx::query("UPDATE device_slots SET seal_id = $1 WHERE device_id = $2 AND slot = $3")
        .bind(&content.seal_id)
        .bind(&id)
        .bind(slot)
        .execute(&mut *tx)
        .await?;
    let detail = serde_json::json!({ "slot": slot, "seal_id": content.seal_id });
    audit::append(&mut tx, at, &caller.actor(), "device.slot", &id, &detail).await?;
    tx.commit().await?;
    Ok(Json(load(&state, &id).await?))
}

#[utoipa::path(
    post,
    path = "/api/v1/devices/{id}/tokens/revoke",
    tag = "devices",
    summary = "Revoke every API token of a device, e.g. a lost lock (admin).",
    params(("id" = String, Path, description = "device id")),
    request_body = Why,
    responses((status = 200, body = Revoked))
)]
async fn revoke_device_tokens(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(why): JsonBody<Why>,
) -> Result<Json<Revoked>, ApiError> {
    caller.require(&[Role::Admin], "revoking device tokens")?;
    load(&state, &id).await?;
    let mut tx = state.db.pool.begin().await?;
    let n = revoke_tokens(&mut tx, "device", &id, &caller.actor(), state.clock.now_ms(), &why.reason).await?;
    tx.commit().await?;
    Ok(Json(Revoked { subject: id, tokens_revoked: n }))
}
