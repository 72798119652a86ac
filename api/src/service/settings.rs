//! `[service]`: where `sealgate serve` listens and keeps its data. The file sets the defaults;
//! `SEALGATE_LISTEN`, `SEALGATE_DATABASE_URL`, `SEALGATE_EVIDENCE` and `SEALGATE_DATA_DIR` override
//! them, and the command line overrides both.

use std::path::{Path, PathBuf};

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServiceConfig {
    /// Address to listen on.
    pub listen: String,
    /// Folder of the embedded defaults: the SQLite database, local evidence and the service key.
    /// Relative paths are relative to the working directory.
    pub data_dir: PathBuf,
    /// `sqlite://...` or `postgres://...`; empty: `<data_dir>/sealgate.db`.
    pub database_url: String,
    /// A folder, or `s3://bucket/prefix`; empty: `<data_dir>/evidence`.
    pub evidence: String,
    /// Largest request body accepted, in bytes (a page photo and its JSON envelope).
    pub max_body_bytes: usize,
    /// Seconds between signed checkpoints of the audit log's head (0: only on request).
    pub checkpoint_every_s: u64,
    /// Seconds in-flight requests get to finish after a shutdown signal.
    pub shutdown_grace_s: u64,
    /// Seconds a grant stays valid (never past the application's window).
    pub grant_ttl_s: i64,
    /// Seconds a decision's vision work may take before it denies with `timeout`.
    pub decision_timeout_s: u64,
    /// Keep enrolment photos as evidence (biometric data: off unless a site decides otherwise).
    pub keep_enrolment_photos: bool,
}

impl Default for ServiceConfig {
    fn default() -> Self {
        ServiceConfig {
            listen: "127.0.0.1:8080".into(),
            data_dir: PathBuf::from(".data/service"),
            database_url: String::new(),
            evidence: String::new(),
            max_body_bytes: 25 << 20,
            checkpoint_every_s: 3600,
            shutdown_grace_s: 20,
            grant_ttl_s: 300,
            decision_timeout_s: 60,
            keep_enrolment_photos: false,
        }
    }
}

impl ServiceConfig {
    /// Apply the `SEALGATE_*` environment overrides.
    pub fn with_env(mut self) -> Self {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        if let Some(v) = var("SEALGATE_LISTEN") {
            self.listen = v;
        }
        if let Some(v) = var("SEALGATE_DATA_DIR") {
            self.data_dir = PathBuf::from(v);
        }
        if let Some(v) = var("SEALGATE_DATABASE_URL") {
            self.database_url = v;
        }
        if let Some(v) = var("SEALGATE_EVIDENCE") {
            self.evidence = v;
        }
        self
    }

    /// The database URL, defaulting to SQLite in the data folder.
    pub fn database_url(&self) -> String {
        if self.database_url.is_empty() {
            format!("sqlite://{}?mode=rwc", self.data_dir.join("sealgate.db").display())
        } else {
            self.database_url.clone()
        }
    }

    /// The evidence location, defaulting to a folder in the data folder.
    pub fn evidence(&self) -> String {
        if self.evidence.is_empty() {
            self.data_dir.join("evidence").display().to_string()
        } else {
            self.evidence.clone()
        }
    }

    /// The file holding the service's signing key (audit checkpoints; grants later).
    pub fn key_file(&self) -> PathBuf {
        self.data_dir.join("service.key")
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    pub fn validate(&self) -> Result<(), String> {
        if self.max_body_bytes < 1024 {
            return Err(format!("service.max_body_bytes must be at least 1024, not {}", self.max_body_bytes));
        }
        let url = &self.database_url;
        if !(url.is_empty()
            || url.starts_with("sqlite:")
            || url.starts_with("postgres://")
            || url.starts_with("postgresql://"))
        {
            return Err("service.database_url must start with sqlite: or postgres://".into());
        }
        if !(10..=86_400).contains(&self.grant_ttl_s) {
            return Err(format!("service.grant_ttl_s must be 10 to 86400, not {}", self.grant_ttl_s));
        }
        if self.decision_timeout_s == 0 {
            return Err("service.decision_timeout_s must be positive".into());
        }
        Ok(())
    }
}
