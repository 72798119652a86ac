//! Text normalisation and comparison shared by OCR evaluation and document comparison.

mod common_run;
mod edit_distance;
mod normalize;

pub use common_run::longest_common_run;
pub use edit_distance::{char_error_rate, levenshtein};
pub use normalize::{normalize_for_comparison, normalize_with_sources};
