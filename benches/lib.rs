//! Shared set-up for SealGate's benchmarks.

use sealgate_api::config::Config;
use sealgate_pipeline::face::FacePipeline;

/// A face pipeline on the shipped config with `threads` intra-op threads per session.
pub fn face_pipeline(threads: usize) -> FacePipeline {
    let mut config = Config::shipped();
    config.face.intra_threads = threads;
    sealgate_api::face_pipeline(&config).expect("face models installed (run `sealgate models fetch`)")
}

/// The 640x480 cabinet-like frame used by the per-frame benchmarks.
pub fn sample_frame() -> Vec<u8> {
    let p = sealgate_datasets::faces::shared_faces_dir().join("silent_face_samples/image_T1.jpg");
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}
