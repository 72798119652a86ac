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
//! - [`page`]: page capture normalisation: the sheet found in a photo, warped upright at a fixed
//!   resolution with its orientation decided per page, lighting evened out, red seal ink faded.
//! - [`blank`]: is a stamped page blank (空白文件)? Ink as thin dark valleys against the local paper,
//!   seal colours, specks, margins, punch holes and header/footer bands left out, weighted toward the
//!   page centre and combined with the OCR's character count.
//! - [`compare`]: is the photographed page the approved original? Page identification, character
//!   alignment, critical and uncertain differences, and a verdict; by reading the whole page or by
//!   registering it to the approved page image and reading only the regions that differ.
//! - [`inspect`]: post-stamp inspection of the photos of stamped pages: page identity over a
//!   session, and the findings a reviewer must see, with their evidence.
//! - [`seal`]: seal impressions on a page photo: red, blue or purple ink segmented against the local
//!   paper colour, impressions grouped and their outlines fitted (circle, ellipse, rectangle), flagged
//!   partial, double-struck or smudged, and compared with a registered seal at any rotation.
//! - [`text`]: text normalisation (NFKC, widths, punctuation) and edit distance.
//!
//! Models are loaded through `sealgate-models`; a missing or corrupt model is an error, which callers
//! turn into "deny".

pub mod blank;
pub mod compare;
pub mod error;
pub mod face;
pub mod image;
pub mod inspect;
pub mod ocr;
pub mod original;
pub mod page;
pub mod seal;
pub mod text;

pub use error::{ImageError, PipelineError};
pub use image::Image;
