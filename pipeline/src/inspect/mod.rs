//! Post-stamp inspection: the photos a lock or cabinet takes of every stamped page, checked for what a
//! reviewer must look at — a blank sheet, a page not in the approved set (inserted, swapped, a
//! near-copy), a page stamped more often than allowed, a wrong seal, a partial impression, an
//! impression on an empty area or outside the expected region, more impressions than authorised —
//! each finding with its evidence.
//!
//! - [`photo`]: what one photo shows (blank, which approved page, impressions and their match with
//!   the granted seal);
//! - [`seal_name`]: the seal's name read on the template and on an impression, characters read
//!   differently;
//! - [`name_at_worst`], [`label_at_worst`]: a name character, or a label character of another
//!   purpose, read differently where the template comparison finds its worst window, or the granted
//!   purpose not read where it lies on the label: two witnesses to one changed place, another seal;
//! - [`session`]: page identity over a session (which approved page each photo shows, if any);
//! - [`report`](mod@report): flags with reasons and boxes, each photo's verdict, and the session summed up.

pub mod config;
pub mod label_at_worst;
pub mod name_at_worst;
pub mod photo;
pub mod report;
pub mod seal_name;
pub mod session;

pub use config::InspectConfig;
pub use photo::{CheckTimings, Checker, ImpressionCheck, PhotoChecks, StampFindings, check_photo, stamp_checks};
pub use report::{Flag, FlagKind, PhotoReport, PhotoVerdict, SessionSummary, report, template_differs};
pub use session::{PageIdentity, SessionPages, assign_pages};
