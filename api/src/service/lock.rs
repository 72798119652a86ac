//! The portable lock's decisions, posted by that lock for an application whose seal it holds:
//! - `POST /api/v1/devices/{id}/decisions/prestamp?application=ID` with the page about to be
//!   stamped: compared with the approved original; a match allows a count- and time-limited unlock,
//!   a mismatch denies (`document_mismatch`), an uncertain difference goes to review
//!   (`document_review`);
//! - `POST /api/v1/devices/{id}/decisions/poststamp?application=ID` with the photos taken after
//!   stamping (JSON, base64), by a lock or a cabinet holding the seal: the post-stamp checks; every
//!   photo not `ok` becomes an anomaly in the reviewer queue, and the use is written to the ledger.

use axum::Json;
use axum::extract::{Path, Query, State};
use base64::Engine as _;
use sealgate_pipeline::compare::Verdict;
use sealgate_pipeline::image::decode;
use sealgate_pipeline::inspect::PhotoVerdict;
use sealgate_pipeline::seal::SealTemplate;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::applications::{self, usable_now};
use super::auth::Caller;
use super::cabinet::own_device;
use super::decision::{Decision, DecisionKind, Grant, Outcome, json_list, record};
use super::devices::DeviceKind;
use super::engines::EngineFailure;
use super::error::ApiError;
use super::ids::new_id;
use super::json::JsonBody;
use super::upload::ImageUpload;
use super::{AppState, audit, seals};
use crate::compare::Route;
use crate::doc::Engine;
use crate::inspect::Session;

/// Photos one post-stamp decision takes at most.
pub const MAX_PHOTOS: usize = 20;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(prestamp)).routes(routes!(poststamp))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct ForApplication {
    application: String,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct Photos {
    /// Base64-encoded JPEG, PNG or WebP photos, in the order they were taken.
    photos: Vec<String>,
    /// Where the lock is (free text or coordinates), for the ledger.
    #[serde(default)]
    place: String,
}

/// The device, the application and whether the device holds its seal; a refusal is a reason code.
async fn context(
    state: &AppState,
    caller: &Caller,
    id: &str,
    kinds: &[DeviceKind],
    application: &str,
    d: &mut Decision,
) -> Result<Result<applications::Application, &'static str>, ApiError> {
    let lock = own_device(state, caller, id, kinds).await?;
    let app = match applications::load(state, application).await {
        Ok(app) => app,
        Err(ApiError::NotFound(_)) => return Ok(Err("no_application")),
        Err(e) => return Err(e),
    };
    d.application_id = Some(app.id.clone());
    d.seal_id = Some(app.seal_id.clone());
    d.person_id = Some(app.applicant_id.clone());
    if !lock.slots.iter().any(|s| s.seal_id.as_deref() == Some(app.seal_id.as_str())) {
        return Ok(Err("seal_not_in_device"));
    }
    if !applications::place_allowed(&app, &lock.location) {
        return Ok(Err("wrong_location"));
    }
    Ok(Ok(app))
}

#[utoipa::path(
    post,
    path = "/api/v1/devices/{id}/decisions/prestamp",
    tag = "decisions",
    summary = "The page about to be stamped, compared with the approved original (that lock).",
    params(("id" = String, Path, description = "lock id"), ForApplication),
    request_body(content = super::openapi::Binary, content_type = "image/jpeg", description = "a JPEG, PNG or WebP image"),
    responses((status = 200, body = Decision))
)]
async fn prestamp(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(q): Query<ForApplication>,
    ImageUpload(photo): ImageUpload,
) -> Result<Json<Decision>, ApiError> {
    let now = state.clock.now_ms();
    let mut d = Decision::new(DecisionKind::LockPrestamp, &id, now)?;
    let app = context(&state, &caller, &id, &[DeviceKind::Lock], &q.application, &mut d).await?;
    let (key, _) = state.evidence.put(photo.clone()).await?;
    d.evidence.push(key);
    let d = match app {
        Err(code) => d.deny(code, "the lock cannot act for this application"),
        Ok(app) => decide_prestamp(&state, &app, photo, d, now).await?,
    };
    let mut tx = state.db.pool.begin().await?;
    if d.outcome == Outcome::Allow {
        let app = applications::load(&state, &q.application).await?;
        applications::mark_in_use(&mut tx, &app, &caller.actor(), now).await?;
    }
    record(&state, &mut tx, &d, &caller.actor()).await?;
    tx.commit().await?;
    Ok(Json(d))
}

async fn decide_prestamp(
    state: &AppState,
    app: &applications::Application,
    photo: Vec<u8>,
    mut d: Decision,
    now: i64,
) -> Result<Decision, ApiError> {
    if let Err(code) = usable_now(app, now) {
        return Ok(d.deny(code, "application not usable now"));
    }
    let seal = seals::load(state, &app.seal_id).await?;
    if !seal.state.usable() {
        return Ok(d.deny("seal_unavailable", seal.state.name()));
    }
    let original = match applications::processed_original(state, app).await {
        Ok(o) => o,
        Err(f) => return Ok(d.deny(f.code(), &f.to_string())),
    };
    let compare_cfg = state.engines.config.compare.clone();
    let comparison = state
        .engines
        .run("compare", move |e| {
            e.readers()?
                .compare(&original, &photo, Engine::Ppocr, Route::Auto, &compare_cfg)
                .map_err(|err| EngineFailure::BadInput(format!("{err:#}")))
        })
        .await;
    let comparison = match comparison {
        Ok(c) => c,
        Err(f) => return Ok(d.deny(f.code(), &f.to_string())),
    };
    d.set_detail(
        "comparison",
        serde_json::json!({
            "verdict": comparison.verdict, "similarity": comparison.similarity, "page": comparison.page,
            "differences": comparison.differences, "reasons": comparison.reasons,
        }),
    );
    match comparison.verdict {
        Verdict::Match => {
            d.outcome = Outcome::Allow;
            d.grant = Some(Grant {
                decision_id: d.id.clone(),
                device_id: d.device_id.clone(),
                seal_id: app.seal_id.clone(),
                slot: 1,
                application_id: app.id.clone(),
                person_id: app.applicant_id.clone(),
                max_impressions: app.allowed_impressions - app.used_impressions,
                not_before: now,
                expires_at: app.valid_until.min(now.saturating_add(state.config.grant_ttl_s.saturating_mul(1000))),
            });
            Ok(d)
        }
        Verdict::Mismatch => Ok(d.deny("document_mismatch", "the page differs from the approved original")),
        Verdict::Review => {
            d.outcome = Outcome::Review;
            d.reasons.push("document_review".into());
            Ok(d)
        }
    }
}

#[utoipa::path(
    post,
    path = "/api/v1/devices/{id}/decisions/poststamp",
    tag = "decisions",
    summary = "Photos after stamping: the post-stamp checks; findings go to the reviewer queue (that lock or cabinet).",
    params(("id" = String, Path, description = "lock or cabinet id"), ForApplication),
    request_body = Photos,
    responses((status = 200, body = Decision))
)]
async fn poststamp(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(q): Query<ForApplication>,
    JsonBody(body): JsonBody<Photos>,
) -> Result<Json<Decision>, ApiError> {
    if body.photos.is_empty() || body.photos.len() > MAX_PHOTOS {
        return Err(ApiError::BadRequest(format!("photos must hold 1 to {MAX_PHOTOS} images")));
    }
    let mut photos = Vec::with_capacity(body.photos.len());
    for (i, b64) in body.photos.iter().enumerate() {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(b64)
            .map_err(|e| ApiError::BadRequest(format!("photos[{i}] is not base64: {e}")))?;
        photos.push((format!("photo-{i}"), bytes));
    }
    let now = state.clock.now_ms();
    let mut d = Decision::new(DecisionKind::Poststamp, &id, now)?;
    let app = context(&state, &caller, &id, &[DeviceKind::Lock, DeviceKind::Cabinet], &q.application, &mut d).await?;
    for (_, bytes) in &photos {
        let (key, _) = state.evidence.put(bytes.clone()).await?;
        d.evidence.push(key);
    }
    let app = match app {
        Ok(app) => app,
        Err(code) => {
            let d = d.deny(code, "the lock cannot act for this application");
            super::decision::record_alone(&state, &d, &caller.actor()).await?;
            return Ok(Json(d));
        }
    };
    let inspection = inspect(&state, &app, photos).await;
    let (reports, summary) = match inspection {
        Ok(r) => r,
        Err(f) => {
            // Nothing could be checked: a reviewer must look at the photos.
            let mut d = d;
            d.outcome = Outcome::Review;
            d.reasons.push(f.code().to_string());
            tracing::warn!(decision = %d.id, cause = %f, "post-stamp checks failed; review");
            let mut tx = state.db.pool.begin().await?;
            record(&state, &mut tx, &d, &caller.actor()).await?;
            let evidence = d.evidence.clone();
            queue_anomaly(&mut tx, &d, &app, "checks_failed", &f.to_string(), &evidence, &caller.actor(), now).await?;
            tx.commit().await?;
            return Ok(Json(d));
        }
    };
    let mut anomalies = Vec::new();
    for (i, r) in reports.iter().enumerate() {
        if r.verdict != PhotoVerdict::Ok {
            let reason = r.flags.iter().map(|f| f.reason.clone()).collect::<Vec<_>>().join("; ");
            let kind =
                serde_json::to_value(r.verdict).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
            anomalies.push((kind, reason, vec![d.evidence[i].clone()]));
        }
    }
    d.outcome = if anomalies.is_empty() { Outcome::Allow } else { Outcome::Review };
    for (kind, _, _) in &anomalies {
        if !d.reasons.contains(kind) {
            d.reasons.push(kind.clone());
        }
    }
    d.set_detail("photos", serde_json::to_value(&reports).unwrap_or_default());
    d.set_detail("session", serde_json::to_value(&summary).unwrap_or_default());
    let impressions = i64::try_from(summary.impressions).unwrap_or(i64::MAX);
    let mut tx = state.db.pool.begin().await?;
    record(&state, &mut tx, &d, &caller.actor()).await?;
    for (kind, reason, evidence) in &anomalies {
        queue_anomaly(&mut tx, &d, &app, kind, reason, evidence, &caller.actor(), now).await?;
    }
    let pages: Vec<String> = reports.iter().filter_map(|r| r.page.map(|p| p.to_string())).collect();
    let verdict =
        serde_json::to_value(summary.verdict).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
    let use_id = new_id("use")?;
    sqlx::query(
        "INSERT INTO uses (id, decision_id, application_id, person_id, seal_id, device_id, org_unit, at, place, pages, impressions, evidence, verdict)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(&use_id)
    .bind(&d.id)
    .bind(&app.id)
    .bind(&app.applicant_id)
    .bind(&app.seal_id)
    .bind(&d.device_id)
    .bind(&app.org_unit)
    .bind(now)
    .bind(&body.place)
    .bind(json_list(&pages))
    .bind(impressions)
    .bind(json_list(&d.evidence))
    .bind(&verdict)
    .execute(&mut *tx)
    .await?;
    audit::append(
        &mut tx,
        now,
        &caller.actor(),
        "use.recorded",
        &use_id,
        &serde_json::json!({ "decision": d.id, "impressions": impressions, "verdict": verdict }),
    )
    .await?;
    if impressions > 0 {
        applications::count_use(&mut tx, &app, impressions, &caller.actor(), now).await?;
    }
    tx.commit().await?;
    Ok(Json(d))
}

type Inspected = (Vec<sealgate_pipeline::inspect::PhotoReport>, sealgate_pipeline::inspect::SessionSummary);

async fn inspect(
    state: &AppState,
    app: &applications::Application,
    photos: Vec<(String, Vec<u8>)>,
) -> Result<Inspected, EngineFailure> {
    let original = applications::processed_original(state, app).await?;
    let seal = seals::load(state, &app.seal_id).await.map_err(|e| EngineFailure::ModelUnavailable(e.to_string()))?;
    let template = match &seal.template {
        Some(key) => Some(state.evidence.get(key).await.map_err(|e| EngineFailure::ModelUnavailable(e.to_string()))?),
        None => None,
    };
    let remaining = usize::try_from((app.allowed_impressions - app.used_impressions).max(0)).unwrap_or(0);
    let config = state.engines.config.clone();
    state
        .engines
        .run("inspect", move |e| {
            let readers = e.readers()?;
            let template = match template {
                Some(bytes) => {
                    let img = decode(&bytes, readers.limits).map_err(|err| EngineFailure::BadInput(err.to_string()))?;
                    Some(
                        SealTemplate::from_image(&img, &config.inspect.seal)
                            .map_err(|err| EngineFailure::BadInput(err.to_string()))?,
                    )
                }
                None => None,
            };
            let session =
                Session { original: &original, template: template.as_ref(), region: None, authorized: Some(remaining) };
            let inspection = readers
                .inspect(&session, &photos, Engine::Ppocr, &config.compare, &config.inspect)
                .map_err(|err| EngineFailure::BadInput(format!("{err:#}")))?;
            Ok((inspection.photos, inspection.session))
        })
        .await
}

/// Put an anomaly into the reviewer queue.
#[allow(clippy::too_many_arguments)]
pub async fn queue_anomaly(
    tx: &mut sqlx::AnyConnection,
    d: &Decision,
    app: &applications::Application,
    kind: &str,
    reason: &str,
    evidence: &[String],
    actor: &str,
    at: i64,
) -> Result<String, ApiError> {
    let id = new_id("anm")?;
    sqlx::query(
        "INSERT INTO anomalies (id, decision_id, application_id, seal_id, person_id, org_unit, kind, state, reason, evidence, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', $8, $9, $10)",
    )
    .bind(&id)
    .bind(&d.id)
    .bind(&app.id)
    .bind(&app.seal_id)
    .bind(&app.applicant_id)
    .bind(&app.org_unit)
    .bind(kind)
    .bind(reason)
    .bind(json_list(evidence))
    .bind(at)
    .execute(&mut *tx)
    .await?;
    audit::append(
        tx,
        at,
        actor,
        "anomaly.queued",
        &id,
        &serde_json::json!({ "decision": d.id, "kind": kind, "reason": reason }),
    )
    .await?;
    Ok(id)
}
