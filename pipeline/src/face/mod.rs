//! Face verification at the cabinet: detect → quality → align → embed → liveness → match.

mod align;
mod config;
mod detect;
mod embed;
mod liveness;
mod matching;
mod nms;
mod pipeline;
mod quality;
mod tensor;

pub use align::{ALIGNED_SIZE, TEMPLATE_112, align_face, similarity_transform};
pub use config::{FaceConfig, MultiFacePolicy};
pub use detect::{BBox, Detection, FaceDetector};
pub use embed::{EMBEDDING_DIM, Embedding, FaceEmbedder};
pub use liveness::{LivenessModel, LivenessScore};
pub use matching::{Gallery, Identification, Verification, cosine, identify, verify};
pub use nms::nms;
pub use pipeline::{FaceEvidence, FacePipeline, FrameReport, Rejection, StageTimings};
pub use quality::{Quality, QualityIssue, assess_quality};
