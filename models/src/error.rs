//! Errors of the model layer.

use std::path::PathBuf;

/// Everything that can go wrong while finding, verifying, installing or running a model.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("model `{name}` is not installed at {path}: run `{cmd}`", cmd = crate::FETCH_COMMAND)]
    Missing { name: String, path: PathBuf },
    #[error(
        "model `{name}` at {path} is corrupt (sha256 {actual}, expected {expected}): run `{cmd}`",
        cmd = crate::FETCH_COMMAND
    )]
    Corrupt { name: String, path: PathBuf, expected: String, actual: String },
    #[error("ONNX Runtime library not found (looked at {looked}): run `{cmd}` or set ORT_DYLIB_PATH", cmd = crate::FETCH_COMMAND)]
    RuntimeMissing { looked: String },
    #[error("ONNX Runtime library at {path} could not be loaded: {reason}")]
    RuntimeLoad { path: PathBuf, reason: String },
    #[error("model `{0}` is not in the manifest")]
    Unknown(String),
    #[error("model manifest is invalid: {0}")]
    Manifest(String),
    #[error("inference with `{model}` failed: {reason}")]
    Inference { model: String, reason: String },
    #[error("provisioning `{name}` failed: {reason}")]
    Provision { name: String, reason: String },
    #[error("i/o error on {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
}

impl ModelError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        ModelError::Io { path: path.into(), source }
    }
}
