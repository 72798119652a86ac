//! Inventory checks (盘点): `/api/v1/inventory-checks`. Someone walks to a location and confirms
//! which seals are physically there; the check records them with who and when, and compares them
//! with where the service believes seals are (the slots of the devices at that location): seals
//! expected but not found are `missing`, seals found but expected elsewhere are `unexpected`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use sqlx::Row;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::{Caller, Role};
use super::decision::json_list;
use super::error::ApiError;
use super::ids::new_id;
use super::json::JsonBody;
use super::{AppState, audit};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list, create))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct NewCheck {
    /// The location checked, as the devices there name it.
    location: String,
    /// Seals physically confirmed there.
    confirmed: Vec<String>,
    #[serde(default)]
    note: String,
}

#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct InventoryCheck {
    pub id: String,
    pub at: i64,
    pub actor: String,
    pub location: String,
    pub confirmed: Vec<String>,
    /// In a slot of a device at this location, not confirmed.
    pub missing: Vec<String>,
    /// Confirmed here, not in a slot of a device at this location.
    pub unexpected: Vec<String>,
    pub note: String,
}

#[utoipa::path(
    post,
    path = "/api/v1/inventory-checks",
    tag = "seals",
    summary = "Record an inventory check (盘点) of a location and compare it with the seal board (admin, auditor).",
    request_body = NewCheck,
    responses((status = 201, body = InventoryCheck))
)]
async fn create(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(new): JsonBody<NewCheck>,
) -> Result<(StatusCode, Json<InventoryCheck>), ApiError> {
    caller.require(&[Role::Admin, Role::Auditor], "recording inventory checks")?;
    if new.location.trim().is_empty() || new.confirmed.len() > 1000 {
        return Err(ApiError::BadRequest("a check needs a location and at most 1000 seals".into()));
    }
    let expected: Vec<String> = sqlx::query(
        "SELECT s.seal_id AS seal_id FROM device_slots s JOIN devices d ON d.id = s.device_id
         WHERE d.location = $1 AND s.seal_id IS NOT NULL ORDER BY s.seal_id",
    )
    .bind(new.location.trim())
    .fetch_all(&state.db.pool)
    .await?
    .iter()
    .map(|r| r.try_get("seal_id"))
    .collect::<Result<_, _>>()?;
    let mut confirmed = new.confirmed.clone();
    confirmed.sort();
    confirmed.dedup();
    let check = InventoryCheck {
        id: new_id("inv")?,
        at: state.clock.now_ms(),
        actor: caller.actor(),
        location: new.location.trim().to_string(),
        missing: expected.iter().filter(|s| !confirmed.contains(s)).cloned().collect(),
        unexpected: confirmed.iter().filter(|s| !expected.contains(s)).cloned().collect(),
        confirmed,
        note: new.note,
    };
    let mut tx = state.db.pool.begin().await?;
    sqlx::query(
        "INSERT INTO inventory_checks (id, at, actor, location, confirmed, missing, unexpected, note)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&check.id)
    .bind(check.at)
    .bind(&check.actor)
    .bind(&check.location)
    .bind(json_list(&check.confirmed))
    .bind(json_list(&check.missing))
    .bind(json_list(&check.unexpected))
    .bind(&check.note)
    .execute(&mut *tx)
    .await?;
    let detail = serde_json::json!({
        "location": check.location, "confirmed": check.confirmed, "missing": check.missing, "unexpected": check.unexpected,
    });
    audit::append(&mut tx, check.at, &check.actor, "inventory.checked", &check.id, &detail).await?;
    tx.commit().await?;
    if !check.missing.is_empty() || !check.unexpected.is_empty() {
        tracing::warn!(location = %check.location, missing = ?check.missing, unexpected = ?check.unexpected, "inventory discrepancy");
    }
    Ok((StatusCode::CREATED, Json(check)))
}

#[utoipa::path(
    get,
    path = "/api/v1/inventory-checks",
    tag = "seals",
    summary = "Every inventory check, newest first (admin, auditor).",
    responses((status = 200, body = Vec<InventoryCheck>))
)]
async fn list(State(state): State<AppState>, caller: Caller) -> Result<Json<Vec<InventoryCheck>>, ApiError> {
    caller.require(&[Role::Admin, Role::Auditor], "reading inventory checks")?;
    let rows = sqlx::query(
        "SELECT id, at, actor, location, confirmed, missing, unexpected, note FROM inventory_checks ORDER BY at DESC, id",
    )
    .fetch_all(&state.db.pool)
    .await?;
    let list = |r: &sqlx::any::AnyRow, c: &str| -> Result<Vec<String>, ApiError> {
        serde_json::from_str(&r.try_get::<String, _>(c)?).map_err(|e| ApiError::Internal(format!("{c}: {e}")))
    };
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        out.push(InventoryCheck {
            id: r.try_get("id")?,
            at: r.try_get("at")?,
            actor: r.try_get("actor")?,
            location: r.try_get("location")?,
            confirmed: list(r, "confirmed")?,
            missing: list(r, "missing")?,
            unexpected: list(r, "unexpected")?,
            note: r.try_get("note")?,
        });
    }
    Ok(Json(out))
}
