//! Page capture normalisation: from a camera photo of a sheet to an upright page at a fixed
//! resolution, and reading it.
//!
//! - [`find_sheet`] (`sheet.rs`): the sheet's four corners in the photo, or why there is no page;
//! - [`upright_page`] (`upright.rs`): perspective warp to the page rectangle, lighting evened out
//!   (`illumination.rs`), red seal ink faded (`red_ink.rs`), and the 0/90/180/270 orientation decided
//!   for the page as a whole from its text lines; the page-to-photo homography is kept so every result
//!   can be drawn back on the photo;
//! - [`read_photo`] (`read.rs`): the above, then an [`crate::ocr::OcrEngine`] on the upright page, with
//!   each line's polygon also given in photo pixels.

mod edges;
mod illumination;
mod read;
mod red_ink;
mod sheet;
mod upright;

pub use illumination::even_out_lighting;
pub use read::{PageReading, read_photo, read_upright};
pub use red_ink::{RedInkMap, SealInks, suppress_red_ink, suppress_seal_ink};
pub use sheet::{NoSheet, Sheet, find_sheet, find_sheet_on_light_desk, order_corners};
pub(crate) use upright::rotate_ccw;
pub use upright::{FlatPage, PageConfig, PageOutcome, PageTimings, UprightPage, flatten_page, upright_page};
