//! `/healthz`: the process answers. `/readyz`: the database is reachable at the schema this build
//! expects, the evidence store accepts writes and every vision engine loaded; a load balancer sends
//! no traffic otherwise (decisions would all deny).

use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::AppState;
use super::db::Db;
use super::error::ApiError;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(healthz)).routes(routes!(readyz))
}

#[utoipa::path(
    get,
    path = "/healthz",
    tag = "health",
    summary = "The process answers.",
    responses((status = 200, description = "alive", body = Object))
)]
async fn healthz() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

#[utoipa::path(
    get,
    path = "/readyz",
    tag = "health",
    summary = "Database at the expected schema, evidence store writable, every model loaded.",
    responses((status = 200, description = "ready", body = Object))
)]
async fn readyz(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    let unavailable = |what: &str, e: ApiError| {
        tracing::warn!(error = %e, "not ready: {what}");
        ApiError::Unavailable(format!("{what} is not ready"))
    };
    let version = state.db.schema_version().await.map_err(|e| unavailable("the database", e))?;
    if version != Db::expected_schema_version() {
        return Err(ApiError::Unavailable(format!(
            "database schema is at version {version}, this build expects {}",
            Db::expected_schema_version()
        )));
    }
    state.evidence.ready().await.map_err(|e| unavailable("the evidence store", e))?;
    let missing = state.engines.unavailable();
    if !missing.is_empty() {
        return Err(ApiError::Unavailable(format!("models not loaded: {}", missing.join(", "))));
    }
    Ok(Json(json!({ "status": "ready", "schema_version": version })))
}
