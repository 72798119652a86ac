//! `/api/v1/audit`: read the hash-chained log and take a signed checkpoint of its head to export.
//! Admins and auditors only.

use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::AppState;
use super::audit::{self, Checkpoint, Entry};
use super::auth::{Caller, Role};
use super::error::ApiError;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(entries)).routes(routes!(checkpoint))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct Page {
    #[serde(default)]
    after: i64,
    #[serde(default = "default_limit")]
    limit: i64,
}

fn default_limit() -> i64 {
    100
}

#[utoipa::path(
    get,
    path = "/api/v1/audit/entries",
    tag = "audit",
    summary = "The hash-chained audit log (admin, auditor).",
    params(Page),
    responses((status = 200, body = Vec<Entry>))
)]
async fn entries(
    State(state): State<AppState>,
    caller: Caller,
    Query(page): Query<Page>,
) -> Result<Json<Vec<Entry>>, ApiError> {
    caller.require(&[Role::Admin, Role::Auditor], "reading the audit log")?;
    if !(1..=1000).contains(&page.limit) || page.after < 0 {
        return Err(ApiError::BadRequest("limit must be 1 to 1000 and after non-negative".into()));
    }
    Ok(Json(audit::entries(&state.db, page.after, page.limit).await?))
}

#[utoipa::path(
    post,
    path = "/api/v1/audit/checkpoints",
    tag = "audit",
    summary = "Sign the log's head, to export (admin, auditor).",
    responses((status = 201, body = Checkpoint))
)]
async fn checkpoint(State(state): State<AppState>, caller: Caller) -> Result<(StatusCode, Json<Checkpoint>), ApiError> {
    caller.require(&[Role::Admin, Role::Auditor], "taking an audit checkpoint")?;
    let cp = audit::checkpoint(&state.db, &state.key, state.clock.now_ms()).await?;
    tracing::info!(seq = cp.seq, actor = %caller, "audit checkpoint");
    Ok((StatusCode::CREATED, Json(cp)))
}
