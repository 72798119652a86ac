//! Post-stamp inspection: the photos a lock or cabinet takes of every stamped page, checked for what a
//! reviewer must look at — a blank sheet, a page not in the approved set (inserted, swapped, a
//! near-copy), a page stamped more often than allowed, a wrong seal, an impression on a blank area or
//! outside the expected region, more impressions than authorised — each finding with its evidence.
//!
//! - [`session`]: page identity over a session (which approved page each photo shows, if any).

pub mod session;

pub use session::{PageIdentity, SessionPages, assign_pages};
