//! The cabinet decision: `POST /api/v1/devices/{id}/decisions/face` with a face frame, posted by
//! that cabinet. The frame goes through the face pipeline (detection, quality, liveness, embedding);
//! the face is identified 1:N over everyone enrolled; the person's approved, valid applications for
//! a seal in one of this cabinet's slots decide. Reasons in order of precedence: the frame's
//! (`bad_image`, `no_face`, `multiple_faces`, quality codes, `spoof`), then `no_match` /
//! `ambiguous_match`, then the application's (`no_application`, `not_yet_valid`, `expired`,
//! `count_exhausted`, `revoked`, `not_approved`, `wrong_location`, `seal_unavailable`). Every failure
//! denies.

use axum::Json;
use axum::extract::{Path, State};
use sealgate_pipeline::face::{Gallery, Identification, identify};
use sqlx::Row;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::applications::{self, Application, usable_now};
use super::auth::Caller;
use super::decision::{Decision, DecisionKind, Grant, Outcome, record};
use super::devices::{self, DeviceKind};
use super::error::ApiError;
use super::upload::ImageUpload;
use super::{AppState, faces, seals};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(face_decision))
}

/// The device calling must be the device named in the path, of one of `kinds`.
pub async fn own_device(
    state: &AppState,
    caller: &Caller,
    id: &str,
    kinds: &[DeviceKind],
) -> Result<devices::Device, ApiError> {
    if caller.device_id() != Some(id) {
        return Err(ApiError::Forbidden("posting decisions for another device"));
    }
    let device = devices::load(state, id).await?;
    if !kinds.contains(&device.kind) {
        return Err(ApiError::BadRequest(format!("device {id} cannot post this decision")));
    }
    Ok(device)
}

#[utoipa::path(
    post,
    path = "/api/v1/devices/{id}/decisions/face",
    tag = "decisions",
    summary = "A cabinet's face frame: who it is, liveness, and the seal and slot they may take (that cabinet).",
    params(("id" = String, Path, description = "cabinet id")),
    request_body(content = super::openapi::Binary, content_type = "image/jpeg", description = "a JPEG, PNG or WebP image"),
    responses((status = 200, body = Decision))
)]
async fn face_decision(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ImageUpload(frame): ImageUpload,
) -> Result<Json<Decision>, ApiError> {
    let cabinet = own_device(&state, &caller, &id, &[DeviceKind::Cabinet]).await?;
    let now = state.clock.now_ms();
    let mut d = Decision::new(DecisionKind::CabinetFace, &id, now)?;
    let (key, _) = state.evidence.put(frame.clone()).await?;
    d.evidence.push(key);
    let d = decide(&state, &cabinet, frame, d, now).await?;
    let mut tx = state.db.pool.begin().await?;
    if let (Outcome::Allow, Some(app)) = (d.outcome, d.application_id.as_ref()) {
        let app = applications::load(&state, app).await?;
        applications::mark_in_use(&mut tx, &app, &caller.actor(), now).await?;
    }
    record(&state, &mut tx, &d, &caller.actor()).await?;
    tx.commit().await?;
    Ok(Json(d))
}

async fn decide(
    state: &AppState,
    cabinet: &devices::Device,
    frame: Vec<u8>,
    mut d: Decision,
    now: i64,
) -> Result<Decision, ApiError> {
    let report = match state
        .engines
        .run("face", move |e| {
            e.face()?.analyze_bytes(&frame).map_err(|err| super::engines::EngineFailure::BadInput(err.to_string()))
        })
        .await
    {
        Ok(r) => r,
        Err(f) => return Ok(d.deny(f.code(), &f.to_string())),
    };
    d.set_detail("faces", serde_json::json!(report.faces.len()));
    if let Some(s) = &report.subject {
        d.set_detail("liveness", serde_json::json!({ "p_real": s.liveness, "live": s.live }));
    }
    if !report.rejections.is_empty() {
        for code in report.reason_codes() {
            d = d.deny(code, "frame rejected by the face pipeline");
        }
        return Ok(d);
    }
    let Some(subject) = report.subject else {
        return Ok(d.deny("no_face", "no subject"));
    };
    let mut gallery = Gallery::default();
    for (person, templates) in faces::gallery(state).await? {
        for t in templates {
            gallery.add(&person, t);
        }
    }
    let cfg = &state.engines.config.face;
    let (outcome, ranked) = identify(&subject.embedding, &gallery, cfg.match_threshold, cfg.identify_margin, 3);
    d.set_detail("ranked", serde_json::json!(ranked));
    let person = match outcome {
        Identification::Match { id, .. } => id,
        Identification::NoMatch { .. } => return Ok(d.deny("no_match", "nobody enrolled reaches the threshold")),
        Identification::Ambiguous { .. } => {
            return Ok(d.deny("ambiguous_match", "two enrolled people are too close to tell apart"));
        }
    };
    d.person_id = Some(person.clone());
    // The person's applications for a seal in one of this cabinet's slots.
    let in_slots: Vec<(i64, String)> =
        cabinet.slots.iter().filter_map(|s| s.seal_id.clone().map(|seal| (s.slot, seal))).collect();
    let rows = sqlx::query("SELECT id FROM applications WHERE applicant_id = $1 ORDER BY valid_until, id")
        .bind(&person)
        .fetch_all(&state.db.pool)
        .await?;
    let mut candidates: Vec<(Application, i64)> = Vec::new();
    for r in &rows {
        let app = applications::load(state, &r.try_get::<String, _>("id")?).await?;
        if let Some((slot, _)) = in_slots.iter().find(|(_, seal)| *seal == app.seal_id) {
            candidates.push((app, *slot));
        }
    }
    let mut first_refusal: Option<&'static str> = None;
    for (app, slot) in &candidates {
        if let Err(code) = usable_now(app, now) {
            first_refusal.get_or_insert(code);
            continue;
        }
        if !applications::place_allowed(app, &cabinet.location) {
            first_refusal.get_or_insert("wrong_location");
            continue;
        }
        let seal = seals::load(state, &app.seal_id).await?;
        if !seal.state.usable() {
            first_refusal.get_or_insert("seal_unavailable");
            continue;
        }
        d.application_id = Some(app.id.clone());
        d.seal_id = Some(app.seal_id.clone());
        d.outcome = Outcome::Allow;
        d.grant = Some(Grant {
            decision_id: d.id.clone(),
            device_id: d.device_id.clone(),
            seal_id: app.seal_id.clone(),
            slot: *slot,
            application_id: app.id.clone(),
            person_id: person.clone(),
            max_impressions: app.allowed_impressions - app.used_impressions,
            not_before: now,
            expires_at: app.valid_until.min(now.saturating_add(state.config.grant_ttl_s.saturating_mul(1000))),
        });
        return Ok(d);
    }
    Ok(match first_refusal {
        Some(code) => d.deny(code, "no usable application"),
        None => d.deny("no_application", "no approved application for a seal in this cabinet"),
    })
}
