//! The `sealgate` binary's library: configuration, the command line, the evaluations, and the HTTP
//! service (`service`). Data flows api → pipeline → models.

pub mod cli;
pub mod compare;
pub mod compare_eval;
pub mod config;
pub mod doc;
pub mod face_eval;
pub mod inspect;
pub mod inspect_eval;
pub mod seal_eval;
pub mod service;
pub mod stats;
pub mod templates;

use std::sync::OnceLock;

use sealgate_models::Runtime;
use sealgate_pipeline::face::FacePipeline;

use crate::config::Config;

/// Load the face pipeline with `config`. Any failure (no runtime, missing or corrupt model) is an
/// error that names `sealgate models fetch`; callers deny.
pub fn face_pipeline(config: &Config) -> anyhow::Result<FacePipeline> {
    let runtime = Runtime::global()?;
    Ok(FacePipeline::new(runtime, config.face.clone(), config.decode_limits())?)
}

/// A process-wide pipeline on the shipped config, for tests and benches that share one.
pub fn shared_face_pipeline() -> anyhow::Result<&'static FacePipeline> {
    static SHARED: OnceLock<Result<FacePipeline, String>> = OnceLock::new();
    SHARED
        .get_or_init(|| face_pipeline(&Config::shipped()).map_err(|e| format!("{e:#}")))
        .as_ref()
        .map_err(|e| anyhow::anyhow!("{e}"))
}
