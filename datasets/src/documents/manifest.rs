//! The manifest of a generated set (`manifest.json`): per photo, the document it shows, the clean
//! render and the photo files, the ground-truth text and lines, and every capture parameter.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::capture::CaptureParams;
use super::content::DocKind;
use super::error::DatasetError;
use super::homography::Homography;
use super::render::{PageStyle, TruthLine};

/// Version of the manifest layout.
pub const MANIFEST_VERSION: u32 = 1;

/// One photo of a set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManifestEntry {
    /// `NNNN`, also the file stem of `render` and `photo`.
    pub id: String,
    /// Index of the document in the set; consecutive photos of one document are its pages in order.
    pub doc_id: usize,
    pub doc_kind: DocKind,
    pub doc_title: String,
    pub page_index: usize,
    pub page_count: usize,
    /// Clean render, relative to the set folder (`pages/NNNN.png`).
    pub render: String,
    /// Photo, relative to the set folder (`photos/NNNN.jpg`).
    pub photo: String,
    /// Ground-truth text: the printed lines joined by `\n`, top to bottom (a seal's lettering is not
    /// part of it).
    pub text: String,
    /// Ground-truth lines with ink boxes in render pixels.
    pub lines: Vec<TruthLine>,
    /// Degrees the page content is turned clockwise in the photo.
    pub rotation: u16,
    /// TL, TR, BR, BL page corners in photo pixels.
    pub page_corners: [[f32; 2]; 4],
    /// Render pixels to photo pixels (maps a line box into the photo).
    pub homography: Homography,
    pub sealed: bool,
    pub style: PageStyle,
    pub params: CaptureParams,
}

/// A generated set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SetManifest {
    pub version: u32,
    pub seed: u64,
    pub rotated_share: f32,
    pub sealed_share: f32,
    pub render_width: u32,
    pub render_height: u32,
    pub photos: Vec<ManifestEntry>,
}

/// Read `dir/manifest.json`.
pub fn load_manifest(dir: &Path) -> Result<SetManifest, DatasetError> {
    let path = dir.join("manifest.json");
    let bytes = std::fs::read(&path).map_err(|e| DatasetError::io(&path, e))?;
    let manifest: SetManifest =
        serde_json::from_slice(&bytes).map_err(|source| DatasetError::Manifest { path: path.clone(), source })?;
    if manifest.version != MANIFEST_VERSION {
        return Err(DatasetError::InvalidArgument(format!(
            "{} has manifest version {}, expected {MANIFEST_VERSION}",
            path.display(),
            manifest.version
        )));
    }
    Ok(manifest)
}

/// Write `dir/manifest.json` (pretty-printed, stable field order).
pub fn write_manifest(dir: &Path, manifest: &SetManifest) -> Result<(), DatasetError> {
    let path = dir.join("manifest.json");
    let mut bytes =
        serde_json::to_vec_pretty(manifest).map_err(|source| DatasetError::Manifest { path: path.clone(), source })?;
    bytes.push(b'\n');
    std::fs::write(&path, bytes).map_err(|e| DatasetError::io(&path, e))
}
