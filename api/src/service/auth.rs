//! Who is calling: an API token (`Authorization: Bearer sgt_...`) names one person or one device.
//! Tokens are stored as their sha256 and can be revoked; a disabled person's tokens stop working.
//! Every handler takes a [`Caller`] and asks it for the role it needs.

use std::fmt;

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use serde::{Deserialize, Serialize};
use sqlx::Row;

use super::AppState;
use super::error::ApiError;
use super::ids::token_hash;

/// A person's role. A person may hold several.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Approver,
    Reviewer,
    Applicant,
    Auditor,
}

impl Role {
    pub const ALL: [Role; 5] = [Role::Admin, Role::Approver, Role::Reviewer, Role::Applicant, Role::Auditor];

    pub fn name(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Approver => "approver",
            Role::Reviewer => "reviewer",
            Role::Applicant => "applicant",
            Role::Auditor => "auditor",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.name() == s)
    }
}

/// Roles as stored: comma-separated names.
pub fn roles_to_text(roles: &[Role]) -> String {
    roles.iter().map(|r| r.name()).collect::<Vec<_>>().join(",")
}

pub fn roles_from_text(s: &str) -> Vec<Role> {
    s.split(',').filter_map(Role::parse).collect()
}

/// The authenticated caller of a request.
#[derive(Debug, Clone)]
pub enum Caller {
    Person { id: String, roles: Vec<Role>, org_unit: String },
    Device { id: String, org_unit: String },
}

impl Caller {
    /// The actor as written to the audit log: `person:<id>` or `device:<id>`.
    pub fn actor(&self) -> String {
        self.to_string()
    }

    pub fn has(&self, role: Role) -> bool {
        matches!(self, Caller::Person { roles, .. } if roles.contains(&role))
    }

    /// Allow when the caller is a person with any of `roles`; `what` names the action for the error.
    pub fn require(&self, roles: &[Role], what: &'static str) -> Result<(), ApiError> {
        if roles.iter().any(|&r| self.has(r)) { Ok(()) } else { Err(ApiError::Forbidden(what)) }
    }

    pub fn person_id(&self) -> Option<&str> {
        match self {
            Caller::Person { id, .. } => Some(id),
            Caller::Device { .. } => None,
        }
    }

    pub fn device_id(&self) -> Option<&str> {
        match self {
            Caller::Device { id, .. } => Some(id),
            Caller::Person { .. } => None,
        }
    }

    pub fn org_unit(&self) -> &str {
        match self {
            Caller::Person { org_unit, .. } | Caller::Device { org_unit, .. } => org_unit,
        }
    }
}

impl fmt::Display for Caller {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Caller::Person { id, .. } => write!(f, "person:{id}"),
            Caller::Device { id, .. } => write!(f, "device:{id}"),
        }
    }
}

/// The bearer token of a request, if it has a well-formed one.
fn bearer(parts: &Parts) -> Option<&str> {
    let value = parts.headers.get(AUTHORIZATION)?.to_str().ok()?;
    let token = value.strip_prefix("Bearer ")?.trim();
    (token.starts_with("sgt_") && token.len() == 68).then_some(token)
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let token = bearer(parts).ok_or(ApiError::Unauthenticated)?;
        let row = sqlx::query(
            "SELECT t.subject_kind AS kind, t.subject_id AS id,
                    p.roles AS roles, p.org_unit AS p_org, p.disabled AS disabled, d.org_unit AS d_org
             FROM tokens t
             LEFT JOIN people p ON t.subject_kind = 'person' AND p.id = t.subject_id
             LEFT JOIN devices d ON t.subject_kind = 'device' AND d.id = t.subject_id
             WHERE t.hash = $1 AND t.revoked_at IS NULL",
        )
        .bind(token_hash(token))
        .fetch_optional(&state.db.pool)
        .await?
        .ok_or(ApiError::Unauthenticated)?;
        let kind: String = row.try_get("kind")?;
        let id: String = row.try_get("id")?;
        match kind.as_str() {
            "person" => {
                let roles: Option<String> = row.try_get("roles")?;
                let disabled: Option<i64> = row.try_get("disabled")?;
                match (roles, disabled) {
                    (Some(roles), Some(0)) => {
                        let org_unit: String = row.try_get::<Option<String>, _>("p_org")?.unwrap_or_default();
                        Ok(Caller::Person { id, roles: roles_from_text(&roles), org_unit })
                    }
                    _ => Err(ApiError::Unauthenticated),
                }
            }
            "device" => match row.try_get::<Option<String>, _>("d_org")? {
                Some(org_unit) => Ok(Caller::Device { id, org_unit }),
                None => Err(ApiError::Unauthenticated),
            },
            _ => Err(ApiError::Unauthenticated),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_and_unknown_names_are_dropped() {
        let roles = [Role::Admin, Role::Auditor];
        assert_eq!(roles_from_text(&roles_to_text(&roles)), roles);
        assert_eq!(roles_from_text("admin,root,"), vec![Role::Admin]);
        assert!(roles_from_text("").is_empty());
    }

    #[test]
    fn a_device_holds_no_person_role() {
        let d = Caller::Device { id: "dev_1".into(), org_unit: "hq".into() };
        assert!(Role::ALL.iter().all(|&r| !d.has(r)));
        assert!(d.require(&[Role::Admin], "x").is_err());
        assert_eq!(d.actor(), "device:dev_1");
    }
}
