//! Face enrolment: `POST /api/v1/people/{id}/faces` with one photo per call (enrol from several).
//! A photo is taken only when the face pipeline finds one live, good-quality face; its embedding is
//! encrypted at rest ([`super::biometric`]) and the photo itself is kept only when
//! `[service] keep_enrolment_photos` says so.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use sealgate_pipeline::face::Embedding;
use serde::Serialize;
use sqlx::Row;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::{Caller, Role};
use super::error::ApiError;
use super::upload::ImageUpload;
use super::{AppState, audit};

/// Templates kept per person at most.
pub const MAX_TEMPLATES: i64 = 10;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(enrol))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
struct Enrolled {
    person_id: String,
    templates: i64,
    /// Evidence key of the photo, when `keep_enrolment_photos` is on.
    photo: Option<String>,
    #[schema(value_type = Object)]
    quality: serde_json::Value,
}

#[utoipa::path(
    post,
    path = "/api/v1/people/{id}/faces",
    tag = "people",
    summary = "Enrol one face photo (admin); the embedding is encrypted at rest, the photo not kept.",
    params(("id" = String, Path, description = "person id")),
    request_body(content = super::openapi::Binary, content_type = "image/jpeg", description = "a JPEG, PNG or WebP image"),
    responses((status = 201, body = Enrolled))
)]
async fn enrol(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ImageUpload(bytes): ImageUpload,
) -> Result<(StatusCode, Json<Enrolled>), ApiError> {
    caller.require(&[Role::Admin], "enrolling faces")?;
    if sqlx::query("SELECT id FROM people WHERE id = $1").bind(&id).fetch_optional(&state.db.pool).await?.is_none() {
        return Err(ApiError::NotFound("person"));
    }
    let kept = if state.config.keep_enrolment_photos { Some(bytes.clone()) } else { None };
    let report = state
        .engines
        .run("face", move |e| {
            e.face()?.analyze_bytes(&bytes).map_err(|err| super::engines::EngineFailure::BadInput(err.to_string()))
        })
        .await
        .map_err(|f| match f {
            super::engines::EngineFailure::BadInput(m) => ApiError::BadRequest(format!("not a usable photo: {m}")),
            other => ApiError::Unavailable(other.to_string()),
        })?;
    let Some(subject) = report.subject.as_ref().filter(|_| report.usable()) else {
        return Err(ApiError::BadRequest(format!(
            "the photo cannot be enrolled: {}",
            report.reason_codes().join(", ")
        )));
    };
    let sealed = state.template_key.seal(&id, &subject.embedding)?;
    let photo = match kept {
        Some(bytes) => Some(state.evidence.put(bytes).await?.0),
        None => None,
    };
    let at = state.clock.now_ms();
    let mut tx = state.db.pool.begin().await?;
    let row = sqlx::query("SELECT COUNT(*) AS n, MAX(idx) AS last FROM face_templates WHERE person_id = $1")
        .bind(&id)
        .fetch_one(&mut *tx)
        .await?;
    let n: i64 = row.try_get("n")?;
    if n >= MAX_TEMPLATES {
        return Err(ApiError::Conflict(format!("{id} already has {MAX_TEMPLATES} face templates")));
    }
    let idx = row.try_get::<Option<i64>, _>("last")?.map_or(0, |l| l + 1);
    sqlx::query("INSERT INTO face_templates (person_id, idx, sealed, created_at) VALUES ($1, $2, $3, $4)")
        .bind(&id)
        .bind(idx)
        .bind(&sealed)
        .bind(at)
        .execute(&mut *tx)
        .await?;
    let quality = serde_json::to_value(&subject.quality).unwrap_or_default();
    let detail = serde_json::json!({ "template": idx, "photo": photo });
    audit::append(&mut tx, at, &caller.actor(), "face.enrolled", &id, &detail).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(Enrolled { person_id: id, templates: n + 1, photo, quality })))
}

/// Every enrolled person's templates, decrypted, for 1:N identification. A template that does
/// not decrypt is an error (the decision denies), never skipped.
pub async fn gallery(state: &AppState) -> Result<Vec<(String, Vec<Embedding>)>, ApiError> {
    let rows = sqlx::query(
        "SELECT f.person_id AS person_id, f.sealed AS sealed FROM face_templates f
         JOIN people p ON p.id = f.person_id WHERE p.disabled = 0 ORDER BY f.person_id, f.idx",
    )
    .fetch_all(&state.db.pool)
    .await?;
    let mut out: Vec<(String, Vec<Embedding>)> = Vec::new();
    for r in &rows {
        let person: String = r.try_get("person_id")?;
        let e = state.template_key.open(&person, &r.try_get::<String, _>("sealed")?)?;
        match out.last_mut() {
            Some((p, t)) if *p == person => t.push(e),
            _ => out.push((person, vec![e])),
        }
    }
    Ok(out)
}
