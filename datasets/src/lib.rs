//! Labelled data and generators for SealGate's tests, evaluation and benchmarks.
//!
//! - [`faces`]: the labelled face photo sets (`path,identity[,source]` CSVs and `a,b,same` pair lists),
//!   located in the `../shared/datasets/faces` mirror; the photos themselves never enter this repo.
//! - [`hostile`]: inputs built to break decoders: empty, truncated, mislabelled, decompression bombs.
//! - [`documents`]: deterministic synthetic Chinese business documents (contracts, leases, letters,
//!   payment requests, purchase orders, authorisations), their clean renders with line-level ground
//!   truth, red seal impressions, and phone-camera captures of them for OCR tests and evaluation.
//! - [`pdf`]: a minimal PDF writer: page images with an optional invisible (CJK) text layer, and PDFs
//!   of many blank pages.

pub mod documents;
pub mod faces;
pub mod hostile;
pub mod pdf;
