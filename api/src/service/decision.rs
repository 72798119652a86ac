//! What every decision endpoint answers: an outcome with every reason (stable codes), the records it
//! concerns, the evidence it kept and, when it allows, the grant to deliver to the device. The grant
//! is the unsigned statement of what the device may do; the device bridge signs and delivers it, so
//! these endpoints do not change when it arrives. Each decision is stored and audited before it is
//! answered; a decision that cannot be stored is not answered (the device gets an error: deny).

use serde::{Deserialize, Serialize};

use super::error::ApiError;
use super::ids::new_id;
use super::{AppState, audit};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DecisionKind {
    /// A cabinet's face frame: who is it, may they take which seal.
    CabinetFace,
    /// A lock's photo of the page about to be stamped.
    LockPrestamp,
    /// Photos after stamping: the post-stamp checks.
    Poststamp,
}

impl DecisionKind {
    pub fn name(self) -> &'static str {
        match self {
            DecisionKind::CabinetFace => "cabinet_face",
            DecisionKind::LockPrestamp => "lock_prestamp",
            DecisionKind::Poststamp => "poststamp",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Allow,
    Deny,
    /// A person must look; nothing is granted meanwhile.
    Review,
}

impl Outcome {
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Allow => "allow",
            Outcome::Deny => "deny",
            Outcome::Review => "review",
        }
    }
}

/// What the device may do: open `slot` (or unlock) for `seal_id`, at most `max_impressions` times,
/// until `expires_at` (Unix ms).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct Grant {
    pub decision_id: String,
    pub device_id: String,
    pub seal_id: String,
    pub slot: i64,
    pub application_id: String,
    pub person_id: String,
    pub max_impressions: i64,
    pub not_before: i64,
    pub expires_at: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Decision {
    pub id: String,
    pub kind: DecisionKind,
    pub outcome: Outcome,
    /// Every reason, as stable codes (`no_face`, `spoof`, `no_match`, `ambiguous_match`,
    /// `no_application`, `expired`, `document_mismatch`, ...); empty when allowed outright.
    pub reasons: Vec<String>,
    pub at: i64,
    pub device_id: String,
    pub person_id: Option<String>,
    pub application_id: Option<String>,
    pub seal_id: Option<String>,
    /// Evidence keys (sha256) of what the decision saw.
    pub evidence: Vec<String>,
    pub grant: Option<Grant>,
    /// Stage measurements and findings (similarities, differences, flags).
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
}

impl Decision {
    /// A new decision of `kind` by `device_id`, denied until a check allows it.
    pub fn new(kind: DecisionKind, device_id: &str, at: i64) -> Result<Decision, ApiError> {
        Ok(Decision {
            id: new_id("dec")?,
            kind,
            outcome: Outcome::Deny,
            reasons: Vec::new(),
            at,
            device_id: device_id.to_string(),
            person_id: None,
            application_id: None,
            seal_id: None,
            evidence: Vec::new(),
            grant: None,
            detail: serde_json::json!({}),
        })
    }

    /// Deny for `code`, with the cause logged.
    pub fn deny(mut self, code: &str, cause: &str) -> Decision {
        tracing::warn!(decision = %self.id, kind = self.kind.name(), device = %self.device_id, code, cause, "deny");
        self.outcome = Outcome::Deny;
        self.grant = None;
        if !self.reasons.iter().any(|r| r == code) {
            self.reasons.push(code.to_string());
        }
        self
    }

    pub fn set_detail(&mut self, key: &str, value: serde_json::Value) {
        if let Some(map) = self.detail.as_object_mut() {
            map.insert(key.to_string(), value);
        }
    }
}

/// Store `d` and its audit entry in `tx`, and count it.
pub async fn record(state: &AppState, tx: &mut sqlx::AnyConnection, d: &Decision, actor: &str) -> Result<(), ApiError> {
    sqlx::query(
        "INSERT INTO decisions (id, kind, at, device_id, application_id, person_id, seal_id, outcome, reasons, evidence, detail)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(&d.id)
    .bind(d.kind.name())
    .bind(d.at)
    .bind(&d.device_id)
    .bind(&d.application_id)
    .bind(&d.person_id)
    .bind(&d.seal_id)
    .bind(d.outcome.name())
    .bind(json_list(&d.reasons))
    .bind(json_list(&d.evidence))
    .bind(d.detail.to_string())
    .execute(&mut *tx)
    .await?;
    let detail = serde_json::json!({
        "kind": d.kind, "outcome": d.outcome, "reasons": d.reasons, "person_id": d.person_id,
        "application_id": d.application_id, "seal_id": d.seal_id, "evidence": d.evidence, "grant": d.grant,
    });
    audit::append(tx, d.at, actor, "decision", &d.id, &detail).await?;
    state.metrics.decision(d.kind.name(), d.outcome.name(), &d.reasons);
    Ok(())
}

/// Store a decision on its own (the decisions that change nothing else).
pub async fn record_alone(state: &AppState, d: &Decision, actor: &str) -> Result<(), ApiError> {
    let mut tx = state.db.pool.begin().await?;
    record(state, &mut tx, d, actor).await?;
    tx.commit().await?;
    Ok(())
}

/// A list of strings as JSON text.
pub fn json_list(v: &[String]) -> String {
    serde_json::Value::from(v.to_vec()).to_string()
}
