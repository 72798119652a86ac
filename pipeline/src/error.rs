//! Errors of the pipeline, one enum per concern.

use sealgate_models::ModelError;

/// Image-level errors: the input is not an image we accept, or a shape is impossible.
#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    #[error("empty input")]
    Empty,
    #[error("not a supported image (JPEG, PNG or WebP): {0}")]
    UnsupportedFormat(String),
    #[error("image is corrupt or truncated: {0}")]
    Corrupt(String),
    #[error("image of {width}x{height} pixels is over the limit of {limit} pixels; refused before decoding")]
    TooLarge { width: u64, height: u64, limit: u64 },
    #[error("image of {width}x{height} pixels is too small to analyse")]
    TooSmall { width: usize, height: usize },
    #[error("buffer of {len} values does not hold a {width}x{height}x{channels} image")]
    Shape { width: usize, height: usize, channels: usize, len: usize },
    #[error("image size {width}x{height}x{channels} overflows")]
    Overflow { width: usize, height: usize, channels: usize },
}

/// Any failure of a pipeline stage. Callers making a security decision treat every variant as "deny".
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    #[error(transparent)]
    Image(#[from] ImageError),
    #[error(transparent)]
    Model(#[from] ModelError),
    #[error("model `{model}` returned an unexpected output: {reason}")]
    ModelOutput { model: &'static str, reason: String },
    #[error("invalid configuration: {0}")]
    Config(String),
    #[error("OCR engine failed: {0}")]
    Ocr(String),
    #[error(transparent)]
    Pdf(#[from] crate::original::pdf::PdfError),
    #[error("comparison failed: {0}")]
    Compare(String),
    #[error("seal: {0}")]
    Seal(String),
}
