//! Approved originals: the documents a seal request is checked against, as page images with, where the
//! file has one, their text layer.
//!
//! - [`pdf`]: PDF originals read with Debian's poppler-utils (`pdfinfo`, `pdftotext`, `pdftoppm`) run as
//!   capped subprocesses: page images, and text lines with boxes in the images' pixels.

pub mod pdf;
