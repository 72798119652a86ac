//! The usage ledger (用印台账): `/api/v1/ledger` (JSON) and `/api/v1/ledger.csv`. One row per
//! stamping session: application, person, seal, device, time, place, pages, impressions, evidence
//! and verdict. Admins and auditors see every unit, reviewers their own.

use axum::Json;
use axum::extract::{Query, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::IntoResponse;
use serde::{Deserialize, Serialize};
use sqlx::Row;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::AppState;
use super::auth::{Caller, Role};
use super::error::ApiError;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(json)).routes(routes!(csv))
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Use {
    pub id: String,
    pub decision_id: String,
    pub application_id: String,
    pub person_id: String,
    pub seal_id: String,
    pub device_id: String,
    pub org_unit: String,
    pub at: i64,
    pub place: String,
    pub pages: Vec<String>,
    pub impressions: i64,
    pub evidence: Vec<String>,
    pub verdict: String,
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct Filter {
    seal: Option<String>,
    person: Option<String>,
    application: Option<String>,
    from: Option<i64>,
    to: Option<i64>,
}

async fn uses(state: &AppState, caller: &Caller, f: &Filter) -> Result<Vec<Use>, ApiError> {
    caller.require(&[Role::Admin, Role::Auditor, Role::Reviewer], "reading the ledger")?;
    let all = caller.has(Role::Admin) || caller.has(Role::Auditor);
    let rows = sqlx::query(
        "SELECT id, decision_id, application_id, person_id, seal_id, device_id, org_unit, at, place, pages, impressions, evidence, verdict
         FROM uses ORDER BY at, id",
    )
    .fetch_all(&state.db.pool)
    .await?;
    let list = |r: &sqlx::any::AnyRow, c: &str| -> Result<Vec<String>, ApiError> {
        serde_json::from_str(&r.try_get::<String, _>(c)?).map_err(|e| ApiError::Internal(format!("{c}: {e}")))
    };
    let mut out = Vec::new();
    for r in &rows {
        let u = Use {
            id: r.try_get("id")?,
            decision_id: r.try_get("decision_id")?,
            application_id: r.try_get("application_id")?,
            person_id: r.try_get("person_id")?,
            seal_id: r.try_get("seal_id")?,
            device_id: r.try_get("device_id")?,
            org_unit: r.try_get("org_unit")?,
            at: r.try_get("at")?,
            place: r.try_get("place")?,
            pages: list(r, "pages")?,
            impressions: r.try_get("impressions")?,
            evidence: list(r, "evidence")?,
            verdict: r.try_get("verdict")?,
        };
        let keep = (all || caller.org_unit() == u.org_unit)
            && f.seal.as_ref().is_none_or(|s| *s == u.seal_id)
            && f.person.as_ref().is_none_or(|p| *p == u.person_id)
            && f.application.as_ref().is_none_or(|a| *a == u.application_id)
            && f.from.is_none_or(|t| u.at >= t)
            && f.to.is_none_or(|t| u.at <= t);
        if keep {
            out.push(u);
        }
    }
    Ok(out)
}

#[utoipa::path(
    get,
    path = "/api/v1/ledger",
    tag = "ledger",
    summary = "The usage ledger (用印台账).",
    params(Filter),
    responses((status = 200, body = Vec<Use>))
)]
async fn json(
    State(state): State<AppState>,
    caller: Caller,
    Query(f): Query<Filter>,
) -> Result<Json<Vec<Use>>, ApiError> {
    Ok(Json(uses(&state, &caller, &f).await?))
}

/// A CSV field, quoted when it must be; a leading `=`, `+`, `-` or `@` is prefixed with `'` so a
/// spreadsheet never runs it as a formula.
pub fn csv_field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) { format!("'{s}") } else { s.to_string() };
    if s.contains([',', '"', '\n', '\r']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s }
}

#[utoipa::path(
    get,
    path = "/api/v1/ledger.csv",
    tag = "ledger",
    summary = "The usage ledger as CSV.",
    params(Filter),
    responses((status = 200, description = "CSV", content_type = "text/csv"))
)]
async fn csv(
    State(state): State<AppState>,
    caller: Caller,
    Query(f): Query<Filter>,
) -> Result<axum::response::Response, ApiError> {
    let rows = uses(&state, &caller, &f).await?;
    let mut out = String::from(
        "id,at,application_id,person_id,seal_id,device_id,org_unit,place,pages,impressions,verdict,decision_id,evidence\n",
    );
    for u in rows {
        let fields = [
            u.id,
            u.at.to_string(),
            u.application_id,
            u.person_id,
            u.seal_id,
            u.device_id,
            u.org_unit,
            u.place,
            u.pages.join(" "),
            u.impressions.to_string(),
            u.verdict,
            u.decision_id,
            u.evidence.join(" "),
        ];
        out.push_str(&fields.iter().map(|f| csv_field(f)).collect::<Vec<_>>().join(","));
        out.push('\n');
    }
    Ok(([(CONTENT_TYPE, "text/csv; charset=utf-8"), (CONTENT_DISPOSITION, "attachment; filename=\"ledger.csv\"")], out)
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_and_formulas_defused() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=HYPERLINK(1)"), "'=HYPERLINK(1)");
        assert_eq!(csv_field("上海市"), "上海市");
    }
}
