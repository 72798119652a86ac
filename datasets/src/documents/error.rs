//! Why generating, writing or reading a document set failed.

use std::path::PathBuf;

/// A font that cannot be used.
#[derive(Debug, Clone, thiserror::Error)]
pub enum FontError {
    #[error("font file {path} is missing: install the Debian package {package}")]
    Missing { path: PathBuf, package: &'static str },
    #[error("cannot read font file {path} (Debian package {package}): {reason}")]
    Read { path: PathBuf, package: &'static str, reason: String },
    #[error("font file {path} (Debian package {package}) has no usable face: {reason}")]
    Invalid { path: PathBuf, package: &'static str, reason: String },
}

/// A document set that cannot be generated, written or read.
#[derive(Debug, thiserror::Error)]
pub enum DatasetError {
    #[error(transparent)]
    Font(#[from] FontError),
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
    #[error("cannot write or read {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("cannot encode {what}: {source}")]
    Encode { what: &'static str, source: image::ImageError },
    #[error("manifest {path}: {source}")]
    Manifest { path: PathBuf, source: serde_json::Error },
}

impl DatasetError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        DatasetError::Io { path: path.into(), source }
    }
}
