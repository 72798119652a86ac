//! The seal board (印章在位): `GET /api/v1/board`, each seal's whereabouts now: its state, the
//! cabinet slot or lock that holds it, who has it out and since when, and its last use.

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use sqlx::Row;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::{Caller, Role};
use super::error::ApiError;
use super::seals::{SealState, seal_from_row};
use super::{AppState, devices};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(board))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
struct Place {
    device_id: String,
    device_kind: devices::DeviceKind,
    device_name: String,
    location: String,
    slot: i64,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
struct Whereabouts {
    seal_id: String,
    name: String,
    state: SealState,
    /// `in_slot`, `in_lock`, `out` (with a person) or `not_in_service`.
    status: &'static str,
    place: Option<Place>,
    holder: Option<String>,
    since: i64,
    /// The newest decision that granted it (time, person, device).
    #[schema(value_type = Option<Object>)]
    last_grant: Option<serde_json::Value>,
}

#[utoipa::path(
    get,
    path = "/api/v1/board",
    tag = "ledger",
    summary = "Where each seal is now (印章在位).",
    responses((status = 200, body = Vec<Whereabouts>))
)]
async fn board(State(state): State<AppState>, caller: Caller) -> Result<Json<Vec<Whereabouts>>, ApiError> {
    caller.require(&[Role::Admin, Role::Auditor, Role::Reviewer, Role::Approver], "reading the seal board")?;
    let seals = sqlx::query(
        "SELECT id, name, kind, org_unit, state, template, holder, since, created_at FROM seals ORDER BY name, id",
    )
    .fetch_all(&state.db.pool)
    .await?;
    let all = caller.has(Role::Admin) || caller.has(Role::Auditor);
    let mut out = Vec::new();
    for r in &seals {
        let seal = seal_from_row(r)?;
        if !all && seal.org_unit != caller.org_unit() {
            continue;
        }
        let slot = sqlx::query(
            "SELECT s.device_id AS device_id, s.slot AS slot, d.kind AS kind, d.name AS name, d.location AS location
             FROM device_slots s JOIN devices d ON d.id = s.device_id WHERE s.seal_id = $1",
        )
        .bind(&seal.id)
        .fetch_optional(&state.db.pool)
        .await?;
        let place = match slot {
            Some(s) => Some(Place {
                device_id: s.try_get("device_id")?,
                device_kind: if s.try_get::<String, _>("kind")? == "lock" {
                    devices::DeviceKind::Lock
                } else {
                    devices::DeviceKind::Cabinet
                },
                device_name: s.try_get("name")?,
                location: s.try_get("location")?,
                slot: s.try_get("slot")?,
            }),
            None => None,
        };
        let status = match (&place, seal.state) {
            (_, s) if !s.usable() && s != SealState::HandedOver => "not_in_service",
            (Some(p), _) if p.device_kind == devices::DeviceKind::Lock => "in_lock",
            (Some(_), SealState::Registered) => "in_slot",
            _ => "out",
        };
        let last = sqlx::query(
            "SELECT at, person_id, device_id FROM decisions WHERE seal_id = $1 AND outcome = 'allow' ORDER BY at DESC LIMIT 1",
        )
        .bind(&seal.id)
        .fetch_optional(&state.db.pool)
        .await?;
        let last_grant = match last {
            Some(l) => Some(serde_json::json!({
                "at": l.try_get::<i64, _>("at")?,
                "person_id": l.try_get::<Option<String>, _>("person_id")?,
                "device_id": l.try_get::<String, _>("device_id")?,
            })),
            None => None,
        };
        out.push(Whereabouts {
            seal_id: seal.id,
            name: seal.name,
            state: seal.state,
            status,
            place,
            holder: seal.holder,
            since: seal.since,
            last_grant,
        });
    }
    Ok(Json(out))
}
