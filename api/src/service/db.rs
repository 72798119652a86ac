//! The database: one pool over SQLite (embedded default, WAL mode) or PostgreSQL (scale-out), and
//! the schema migrations, applied in order at start inside one transaction each.
//!
//! Queries are written once in the SQL both accept: `$1`-style parameters, `TEXT` and `BIGINT`
//! columns only (times are Unix milliseconds, binary data is hex), no dialect-specific functions.

use std::time::Duration;

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{AnyPool, Row};

use super::error::ApiError;

/// Which database is behind the pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone)]
pub struct Db {
    pub pool: AnyPool,
    pub backend: Backend,
}

/// The schema, one step per entry; a step never changes once released.
const MIGRATIONS: &[(i64, &str)] = &[
    (
        1,
    "CREATE TABLE people (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        roles TEXT NOT NULL,
        org_unit TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        disabled BIGINT NOT NULL
    );
    CREATE TABLE devices (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        name TEXT NOT NULL,
        org_unit TEXT NOT NULL,
        created_at BIGINT NOT NULL
    );
    CREATE TABLE tokens (
        hash TEXT PRIMARY KEY,
        subject_kind TEXT NOT NULL,
        subject_id TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        revoked_at BIGINT
    );
    CREATE TABLE audit_head (
        id BIGINT PRIMARY KEY,
        seq BIGINT NOT NULL,
        hash TEXT NOT NULL
    );
    INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
    CREATE TABLE audit_log (
        seq BIGINT PRIMARY KEY,
        at BIGINT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        subject TEXT NOT NULL,
        detail TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
    );
    CREATE TABLE audit_checkpoints (
        seq BIGINT PRIMARY KEY,
        hash TEXT NOT NULL,
        at BIGINT NOT NULL,
        public_key TEXT NOT NULL,
        signature TEXT NOT NULL
    )",
    ),
    (
        2,
        "ALTER TABLE devices ADD COLUMN location TEXT NOT NULL DEFAULT '';
    CREATE TABLE device_slots (
        device_id TEXT NOT NULL,
        slot BIGINT NOT NULL,
        seal_id TEXT,
        PRIMARY KEY (device_id, slot)
    );
    CREATE TABLE seals (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        org_unit TEXT NOT NULL,
        state TEXT NOT NULL,
        template TEXT,
        holder TEXT,
        since BIGINT NOT NULL,
        created_at BIGINT NOT NULL
    );
    CREATE TABLE face_templates (
        person_id TEXT NOT NULL,
        idx BIGINT NOT NULL,
        sealed TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        PRIMARY KEY (person_id, idx)
    );
    CREATE TABLE applications (
        id TEXT PRIMARY KEY,
        applicant_id TEXT NOT NULL,
        org_unit TEXT NOT NULL,
        seal_id TEXT NOT NULL,
        purpose TEXT NOT NULL,
        state TEXT NOT NULL,
        allowed_impressions BIGINT NOT NULL,
        used_impressions BIGINT NOT NULL,
        valid_from BIGINT NOT NULL,
        valid_until BIGINT NOT NULL,
        location TEXT,
        approvals_required BIGINT NOT NULL,
        original TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL
    );
    CREATE TABLE approvals (
        application_id TEXT NOT NULL,
        approver_id TEXT NOT NULL,
        at BIGINT NOT NULL,
        decision TEXT NOT NULL,
        comment TEXT NOT NULL,
        PRIMARY KEY (application_id, approver_id)
    );
    CREATE TABLE decisions (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        at BIGINT NOT NULL,
        device_id TEXT NOT NULL,
        application_id TEXT,
        person_id TEXT,
        seal_id TEXT,
        outcome TEXT NOT NULL,
        reasons TEXT NOT NULL,
        evidence TEXT NOT NULL,
        detail TEXT NOT NULL
    );
    CREATE TABLE anomalies (
        id TEXT PRIMARY KEY,
        decision_id TEXT NOT NULL,
        application_id TEXT NOT NULL,
        seal_id TEXT NOT NULL,
        person_id TEXT NOT NULL,
        org_unit TEXT NOT NULL,
        kind TEXT NOT NULL,
        state TEXT NOT NULL,
        reason TEXT NOT NULL,
        evidence TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        resolved_by TEXT,
        resolved_at BIGINT,
        comment TEXT
    );
    CREATE TABLE uses (
        id TEXT PRIMARY KEY,
        decision_id TEXT NOT NULL,
        application_id TEXT NOT NULL,
        person_id TEXT NOT NULL,
        seal_id TEXT NOT NULL,
        device_id TEXT NOT NULL,
        org_unit TEXT NOT NULL,
        at BIGINT NOT NULL,
        place TEXT NOT NULL,
        pages TEXT NOT NULL,
        impressions BIGINT NOT NULL,
        evidence TEXT NOT NULL,
        verdict TEXT NOT NULL
    )",
    ),
    (
        3,
        "CREATE TABLE inventory_checks (
        id TEXT PRIMARY KEY,
        at BIGINT NOT NULL,
        actor TEXT NOT NULL,
        location TEXT NOT NULL,
        confirmed TEXT NOT NULL,
        missing TEXT NOT NULL,
        unexpected TEXT NOT NULL,
        note TEXT NOT NULL
    )",
    ),
];

impl Db {
    /// Connect to `url` and bring the schema up to date. A SQLite file is created when missing and
    /// switched to WAL mode.
    pub async fn connect(url: &str) -> Result<Db, ApiError> {
        install_default_drivers();
        let backend = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else {
            return Err(ApiError::Internal(format!("unsupported database URL scheme: {url}")));
        };
        let pool = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 4 } else { 16 })
            .acquire_timeout(Duration::from_secs(10))
            .connect(url)
            .await
            .map_err(|e| ApiError::Internal(format!("cannot open the database: {e}")))?;
        if backend == Backend::Sqlite {
            let mode: String = sqlx::query_scalar("PRAGMA journal_mode=WAL").fetch_one(&pool).await?;
            if !mode.eq_ignore_ascii_case("wal") {
                return Err(ApiError::Internal(format!("SQLite refused WAL mode (journal_mode is {mode})")));
            }
        }
        let db = Db { pool, backend };
        db.migrate().await?;
        Ok(db)
    }

    async fn migrate(&self) -> Result<(), ApiError> {
        sqlx::query(
            "CREATE TABLE IF NOT EXISTS schema_version (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)",
        )
        .execute(&self.pool)
        .await?;
        for &(version, sql) in MIGRATIONS {
            let mut tx = self.pool.begin().await?;
            let done = sqlx::query("SELECT version FROM schema_version WHERE version = $1")
                .bind(version)
                .fetch_optional(&mut *tx)
                .await?
                .is_some();
            if done {
                continue;
            }
            for statement in sql.split(';').map(str::trim).filter(|s| !s.is_empty()) {
                sqlx::query(statement).execute(&mut *tx).await?;
            }
            sqlx::query("INSERT INTO schema_version (version, applied_at) VALUES ($1, $2)")
                .bind(version)
                .bind(super::clock::system_now_ms())
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            tracing::info!(version, "database migrated");
        }
        Ok(())
    }

    /// The newest schema version applied (for `/readyz`).
    pub async fn schema_version(&self) -> Result<i64, ApiError> {
        let row = sqlx::query("SELECT MAX(version) AS v FROM schema_version").fetch_one(&self.pool).await?;
        Ok(row.try_get::<Option<i64>, _>("v")?.unwrap_or(0))
    }

    /// The newest version this build knows.
    pub fn expected_schema_version() -> i64 {
        MIGRATIONS.last().map(|m| m.0).unwrap_or(0)
    }
}
