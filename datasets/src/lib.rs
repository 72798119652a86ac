//! Labelled data and generators for SealGate's tests, evaluation and benchmarks.
//!
//! - [`faces`]: the labelled face photo sets (`path,identity[,source]` CSVs and `a,b,same` pair lists),
//!   located in the `../shared/datasets/faces` mirror; the photos themselves never enter this repo.
//! - [`hostile`]: inputs built to break decoders: empty, truncated, mislabelled, decompression bombs.

pub mod faces;
pub mod hostile;
