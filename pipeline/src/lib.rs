//! SealGate's computer-vision stages: image in, typed evidence out.
//!
//! Pure and synchronous: no network, no database, no clock but the timings it reports. Each stage is a
//! small module that a reader can understand alone:
//!
//! - [`image`]: the [`Image`] type (shape in the type), decoding with a pixel limit checked before any
//!   pixel is allocated and EXIF orientation applied, and the pixel operations the stages use (resize,
//!   affine warp, grey, sharpness), one per file.
//! - [`face`]: detection (YuNet), quality gates, alignment, embedding (SFace), passive liveness
//!   (MiniFASNet), 1:1 verification and 1:N identification, and [`face::FacePipeline`] that runs them
//!   on a frame.
//! - [`ocr`]: reading the text of a page ([`ocr::OcrEngine`]); the default engine is PP-OCRv6 on ONNX
//!   Runtime ([`ocr::PpOcr`]): text boxes, upright crops, recognised lines with their confidences.
//!
//! Models are loaded through `sealgate-models`; a missing or corrupt model is an error, which callers
//! turn into "deny".

pub mod error;
pub mod face;
pub mod image;
pub mod ocr;

pub use error::{ImageError, PipelineError};
pub use image::Image;
