//! People and their API tokens: `/api/v1/people`. Admins create people and issue tokens; admins and
//! auditors list them; anyone reads their own record. The first admin comes from the one-time
//! command `sealgate admin create`, never from a default password.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use sqlx::{AnyConnection, Row};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::{Caller, Role, roles_from_text, roles_to_text};
use super::error::ApiError;
use super::ids::{new_id, new_token, token_hash};
use super::json::JsonBody;
use super::{AppState, audit};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(read))
        .routes(routes!(issue_token))
        .routes(routes!(revoke_person_tokens))
        .routes(routes!(disable))
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Person {
    pub id: String,
    pub name: String,
    pub roles: Vec<Role>,
    pub org_unit: String,
    pub created_at: i64,
    pub disabled: bool,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPerson {
    pub name: String,
    pub roles: Vec<Role>,
    pub org_unit: String,
}

impl NewPerson {
    fn validate(&self) -> Result<(), ApiError> {
        let bad = |m: &str| Err(ApiError::BadRequest(m.to_string()));
        if self.name.trim().is_empty() || self.name.chars().count() > 100 {
            return bad("name must have 1 to 100 characters");
        }
        if self.org_unit.trim().is_empty() || self.org_unit.chars().count() > 100 {
            return bad("org_unit must have 1 to 100 characters");
        }
        if self.roles.is_empty() {
            return bad("roles must name at least one role");
        }
        Ok(())
    }
}

/// A freshly issued token: shown once, stored only as its hash.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct IssuedToken {
    pub subject: String,
    pub token: String,
}

fn person_from_row(r: &sqlx::any::AnyRow) -> Result<Person, ApiError> {
    Ok(Person {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        roles: roles_from_text(&r.try_get::<String, _>("roles")?),
        org_unit: r.try_get("org_unit")?,
        created_at: r.try_get("created_at")?,
        disabled: r.try_get::<i64, _>("disabled")? != 0,
    })
}

/// Insert a person and audit it inside `tx`.
pub async fn insert_person(tx: &mut AnyConnection, new: &NewPerson, actor: &str, at: i64) -> Result<Person, ApiError> {
    new.validate()?;
    let mut roles = new.roles.clone();
    roles.sort_by_key(|r| r.name());
    roles.dedup();
    let p = Person {
        id: new_id("per")?,
        name: new.name.trim().to_string(),
        roles,
        org_unit: new.org_unit.trim().to_string(),
        created_at: at,
        disabled: false,
    };
    sqlx::query("INSERT INTO people (id, name, roles, org_unit, created_at, disabled) VALUES ($1, $2, $3, $4, $5, 0)")
        .bind(&p.id)
        .bind(&p.name)
        .bind(roles_to_text(&p.roles))
        .bind(&p.org_unit)
        .bind(p.created_at)
        .execute(&mut *tx)
        .await?;
    let detail = serde_json::json!({ "name": p.name, "roles": p.roles, "org_unit": p.org_unit });
    audit::append(tx, at, actor, "person.created", &p.id, &detail).await?;
    Ok(p)
}

/// Issue a token for a person or device inside `tx` (audited without the token itself).
pub async fn insert_token(
    tx: &mut AnyConnection,
    subject_kind: &str,
    subject_id: &str,
    actor: &str,
    at: i64,
) -> Result<String, ApiError> {
    let token = new_token()?;
    let hash = token_hash(&token);
    sqlx::query("INSERT INTO tokens (hash, subject_kind, subject_id, created_at) VALUES ($1, $2, $3, $4)")
        .bind(&hash)
        .bind(subject_kind)
        .bind(subject_id)
        .bind(at)
        .execute(&mut *tx)
        .await?;
    let detail = serde_json::json!({ "subject_kind": subject_kind, "token_sha256_prefix": &hash[..12] });
    audit::append(tx, at, actor, "token.issued", subject_id, &detail).await?;
    Ok(token)
}

/// The one-time bootstrap of the first admin: refused once any admin exists.
pub async fn create_first_admin(state: &AppState, name: &str, org_unit: &str) -> Result<(Person, String), ApiError> {
    let at = state.clock.now_ms();
    let mut tx = state.db.pool.begin().await?;
    // Take the audit head's lock first so that two bootstraps at once cannot both pass the check.
    sqlx::query("UPDATE audit_head SET seq = seq WHERE id = 1").execute(&mut *tx).await?;
    let admins = sqlx::query("SELECT roles FROM people").fetch_all(&mut *tx).await?;
    for r in &admins {
        if roles_from_text(&r.try_get::<String, _>("roles")?).contains(&Role::Admin) {
            return Err(ApiError::Conflict(
                "an admin already exists; further admins are created by an admin over the API".into(),
            ));
        }
    }
    let new = NewPerson { name: name.into(), roles: vec![Role::Admin], org_unit: org_unit.into() };
    let person = insert_person(&mut tx, &new, "cli:admin-create", at).await?;
    let token = insert_token(&mut tx, "person", &person.id, "cli:admin-create", at).await?;
    tx.commit().await?;
    Ok((person, token))
}

#[utoipa::path(
    post,
    path = "/api/v1/people",
    tag = "people",
    summary = "Create a person with roles (admin).",
    request_body = NewPerson,
    responses((status = 201, body = Person))
)]
async fn create(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(new): JsonBody<NewPerson>,
) -> Result<(StatusCode, Json<Person>), ApiError> {
    caller.require(&[Role::Admin], "creating people")?;
    let mut tx = state.db.pool.begin().await?;
    let person = insert_person(&mut tx, &new, &caller.actor(), state.clock.now_ms()).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(person)))
}

#[utoipa::path(
    get,
    path = "/api/v1/people",
    tag = "people",
    summary = "Everyone (admin, auditor).",
    responses((status = 200, body = Vec<Person>))
)]
async fn list(State(state): State<AppState>, caller: Caller) -> Result<Json<Vec<Person>>, ApiError> {
    caller.require(&[Role::Admin, Role::Auditor], "listing people")?;
    let rows =
        sqlx::query("SELECT id, name, roles, org_unit, created_at, disabled FROM people ORDER BY created_at, id")
            .fetch_all(&state.db.pool)
            .await?;
    Ok(Json(rows.iter().map(person_from_row).collect::<Result<_, _>>()?))
}

#[utoipa::path(
    get,
    path = "/api/v1/people/{id}",
    tag = "people",
    summary = "One person (admin, auditor, the person).",
    params(("id" = String, Path, description = "person id")),
    responses((status = 200, body = Person))
)]
async fn read(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> Result<Json<Person>, ApiError> {
    if caller.person_id() != Some(id.as_str()) {
        caller.require(&[Role::Admin, Role::Auditor], "reading another person's record")?;
    }
    let row = sqlx::query("SELECT id, name, roles, org_unit, created_at, disabled FROM people WHERE id = $1")
        .bind(&id)
        .fetch_optional(&state.db.pool)
        .await?
        .ok_or(ApiError::NotFound("person"))?;
    Ok(Json(person_from_row(&row)?))
}

#[utoipa::path(
    post,
    path = "/api/v1/people/{id}/tokens",
    tag = "people",
    summary = "Issue an API token, shown once (admin).",
    params(("id" = String, Path, description = "person id")),
    responses((status = 201, body = IssuedToken))
)]
async fn issue_token(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<(StatusCode, Json<IssuedToken>), ApiError> {
    caller.require(&[Role::Admin], "issuing tokens")?;
    let mut tx = state.db.pool.begin().await?;
    let exists = sqlx::query("SELECT id FROM people WHERE id = $1").bind(&id).fetch_optional(&mut *tx).await?;
    if exists.is_none() {
        return Err(ApiError::NotFound("person"));
    }
    let token = insert_token(&mut tx, "person", &id, &caller.actor(), state.clock.now_ms()).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(IssuedToken { subject: id, token })))
}

/// Why a token or person is switched off.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Why {
    pub reason: String,
}

/// How many tokens a revocation switched off.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Revoked {
    pub subject: String,
    pub tokens_revoked: u64,
}

/// Revoke every live token of a person or device inside `tx`, audited with the reason.
pub async fn revoke_tokens(
    tx: &mut AnyConnection,
    subject_kind: &str,
    subject_id: &str,
    actor: &str,
    at: i64,
    reason: &str,
) -> Result<u64, ApiError> {
    if reason.trim().is_empty() {
        return Err(ApiError::BadRequest("a revocation needs a reason".into()));
    }
    let n = sqlx::query(
        "UPDATE tokens SET revoked_at = $1 WHERE subject_kind = $2 AND subject_id = $3 AND revoked_at IS NULL",
    )
    .bind(at)
    .bind(subject_kind)
    .bind(subject_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    let detail = serde_json::json!({ "subject_kind": subject_kind, "tokens": n, "reason": reason.trim() });
    audit::append(tx, at, actor, "token.revoked", subject_id, &detail).await?;
    Ok(n)
}

#[utoipa::path(
    post,
    path = "/api/v1/people/{id}/tokens/revoke",
    tag = "people",
    summary = "Revoke every API token of a person (admin).",
    params(("id" = String, Path, description = "person id")),
    request_body = Why,
    responses((status = 200, body = Revoked))
)]
async fn revoke_person_tokens(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(why): JsonBody<Why>,
) -> Result<Json<Revoked>, ApiError> {
    caller.require(&[Role::Admin], "revoking tokens")?;
    let mut tx = state.db.pool.begin().await?;
    if sqlx::query("SELECT id FROM people WHERE id = $1").bind(&id).fetch_optional(&mut *tx).await?.is_none() {
        return Err(ApiError::NotFound("person"));
    }
    let n = revoke_tokens(&mut tx, "person", &id, &caller.actor(), state.clock.now_ms(), &why.reason).await?;
    tx.commit().await?;
    Ok(Json(Revoked { subject: id, tokens_revoked: n }))
}

#[utoipa::path(
    post,
    path = "/api/v1/people/{id}/disable",
    tag = "people",
    summary = "Disable a person: their tokens stop working and they are no longer identified (admin). The last admin cannot be disabled.",
    params(("id" = String, Path, description = "person id")),
    request_body = Why,
    responses((status = 200, body = Person))
)]
async fn disable(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(why): JsonBody<Why>,
) -> Result<Json<Person>, ApiError> {
    caller.require(&[Role::Admin], "disabling people")?;
    let at = state.clock.now_ms();
    let mut tx = state.db.pool.begin().await?;
    // Take the audit head's lock first: two admins disabling each other cannot both pass the check.
    sqlx::query("UPDATE audit_head SET seq = seq WHERE id = 1").execute(&mut *tx).await?;
    let row = sqlx::query("SELECT id, name, roles, org_unit, created_at, disabled FROM people WHERE id = $1")
        .bind(&id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(ApiError::NotFound("person"))?;
    let person = person_from_row(&row)?;
    if person.roles.contains(&Role::Admin) {
        let admins = sqlx::query("SELECT roles FROM people WHERE disabled = 0 AND id <> $1")
            .bind(&id)
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .filter(|r| r.try_get::<String, _>("roles").is_ok_and(|t| roles_from_text(&t).contains(&Role::Admin)))
            .count();
        if admins == 0 {
            return Err(ApiError::Conflict("the last admin cannot be disabled".into()));
        }
    }
    sqlx::query("UPDATE people SET disabled = 1 WHERE id = $1").bind(&id).execute(&mut *tx).await?;
    revoke_tokens(&mut tx, "person", &id, &caller.actor(), at, &why.reason).await?;
    audit::append(&mut tx, at, &caller.actor(), "person.disabled", &id, &serde_json::json!({ "reason": why.reason }))
        .await?;
    tx.commit().await?;
    Ok(Json(Person { disabled: true, ..person }))
}
