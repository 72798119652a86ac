//! Where SealGate keeps its installed files.
//!
//! The project root is `$SEALGATE_HOME` when set, else the nearest ancestor of the current directory
//! (then of the executable) that holds `models/manifest.toml`, else the current directory. Under it:
//! `.ort/` (the ONNX Runtime wheel), `.models/` (model files), `.cache/` (downloaded wheels). The mirror
//! of model files is `$SEALGATE_MODEL_MIRROR`, else `<root>/../shared/models`.

use std::path::{Path, PathBuf};

/// Resolved locations of everything provisioning installs.
#[derive(Debug, Clone)]
pub struct Paths {
    pub root: PathBuf,
    pub models: PathBuf,
    pub ort: PathBuf,
    pub cache: PathBuf,
    pub mirror: PathBuf,
}

impl Paths {
    /// Resolve from the environment (see the module doc).
    pub fn discover() -> Paths {
        let root = std::env::var_os("SEALGATE_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::current_dir().ok().and_then(|d| find_root(&d)))
            .or_else(|| std::env::current_exe().ok().and_then(|e| e.parent().and_then(find_root)))
            .unwrap_or_else(|| PathBuf::from("."));
        Paths::under(root)
    }

    /// Locations under an explicit root (tests, tools).
    pub fn under(root: PathBuf) -> Paths {
        let env_or = |key: &str, default: PathBuf| std::env::var_os(key).map(PathBuf::from).unwrap_or(default);
        Paths {
            models: env_or("SEALGATE_MODELS_DIR", root.join(".models")),
            ort: env_or("SEALGATE_ORT_DIR", root.join(".ort")),
            cache: root.join(".cache"),
            mirror: env_or("SEALGATE_MODEL_MIRROR", root.join("..").join("shared").join("models")),
            root,
        }
    }
}

fn find_root(start: &Path) -> Option<PathBuf> {
    start.ancestors().find(|d| d.join("models").join("manifest.toml").is_file()).map(Path::to_path_buf)
}
