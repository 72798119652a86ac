//! Helpers shared by SealGate's integration tests.

use std::path::PathBuf;

/// A photo of the shared face set, by its path relative to `../shared/datasets/faces`.
pub fn face_photo(rel: &str) -> PathBuf {
    sealgate_datasets::faces::shared_faces_dir().join(rel)
}

/// Read a shared photo; panics with a clear message when the mirror is absent.
pub fn read_face_photo(rel: &str) -> Vec<u8> {
    let p = face_photo(rel);
    std::fs::read(&p)
        .unwrap_or_else(|e| panic!("{} missing ({e}); the tests need ../shared/datasets/faces", p.display()))
}
