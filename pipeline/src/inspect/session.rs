//! Page identity for a stamping session: every photo taken while a seal was out is assigned to an
//! approved page or to none, from its comparison with the approved original (so a near-copy, an
//! approved page with one clause or amount changed, is never taken for the approved page), and the
//! session is summed up: pages not in the approved set (inserted or swapped), approved pages
//! photographed more often than allowed, approved pages never photographed, and order changes.

use serde::Serialize;

use crate::compare::{Comparison, Verdict};

/// What the comparison said about one photo, as far as identity goes.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PageIdentity {
    /// The approved page the photo shows (0-based), when it shows one unaltered.
    pub page: Option<usize>,
    /// The approved page it resembles when it is a near-copy: that page with a certain critical
    /// change (a clause, an amount, a party name).
    pub near_copy_of: Option<usize>,
    /// The comparison asked for a person to look (uncertain differences, low similarity).
    pub review: bool,
    pub similarity: f32,
}

impl PageIdentity {
    /// Identity from a comparison: `match` → its page; `review` → its page, to be reviewed;
    /// `mismatch` → none (a near-copy when a page was matched with a critical change).
    pub fn of(c: &Comparison) -> PageIdentity {
        match c.verdict {
            Verdict::Match => {
                PageIdentity { page: c.page, near_copy_of: None, review: false, similarity: c.similarity }
            }
            Verdict::Review => {
                PageIdentity { page: c.page, near_copy_of: None, review: true, similarity: c.similarity }
            }
            Verdict::Mismatch => {
                PageIdentity { page: None, near_copy_of: c.page, review: false, similarity: c.similarity }
            }
        }
    }

    /// A photo that cannot be identified at all (no page found, unreadable): not an approved page.
    pub fn unidentified() -> PageIdentity {
        PageIdentity { page: None, near_copy_of: None, review: false, similarity: 0.0 }
    }
}

/// The session's findings about page identity; photo and page numbers are 0-based indices.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SessionPages {
    /// Photo index → approved page (None: not an approved page).
    pub assigned: Vec<Option<usize>>,
    /// Photos showing no approved page: inserted or swapped pages (near-copies included).
    pub not_approved: Vec<usize>,
    /// Approved pages photographed more often than allowed, with every photo of them.
    pub over_stamped: Vec<(usize, Vec<usize>)>,
    /// Photos of an approved page already photographed as often as allowed (each one after the
    /// allowed ones).
    pub duplicates: Vec<usize>,
    /// Approved pages never photographed.
    pub missing: Vec<usize>,
    /// Photos showing an earlier approved page than the photo before them.
    pub out_of_order: Vec<usize>,
}

/// Sum up a session: `identities` in the order the photos were taken, `pages` approved pages, each
/// of which may be photographed (stamped) at most `allowed_per_page` times.
pub fn assign_pages(identities: &[PageIdentity], pages: usize, allowed_per_page: usize) -> SessionPages {
    let mut out = SessionPages {
        assigned: identities.iter().map(|i| i.page.filter(|&p| p < pages)).collect(),
        ..SessionPages::default()
    };
    let mut seen = vec![Vec::<usize>::new(); pages];
    let mut last: Option<usize> = None;
    for (photo, page) in out.assigned.iter().enumerate() {
        let Some(page) = *page else {
            out.not_approved.push(photo);
            continue;
        };
        seen[page].push(photo);
        if seen[page].len() > allowed_per_page {
            out.duplicates.push(photo);
        }
        if last.is_some_and(|l| page < l) {
            out.out_of_order.push(photo);
        }
        last = Some(page);
    }
    for (page, photos) in seen.into_iter().enumerate() {
        if photos.is_empty() {
            out.missing.push(page);
        } else if photos.len() > allowed_per_page {
            out.over_stamped.push((page, photos));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn on(page: usize) -> PageIdentity {
        PageIdentity { page: Some(page), near_copy_of: None, review: false, similarity: 1.0 }
    }

    fn near_copy(page: usize) -> PageIdentity {
        PageIdentity { page: None, near_copy_of: Some(page), review: false, similarity: 0.97 }
    }

    #[test]
    fn an_approved_stack_in_order_has_no_finding() {
        let s = assign_pages(&[on(0), on(1), on(2)], 3, 1);
        assert_eq!(s.assigned, vec![Some(0), Some(1), Some(2)]);
        assert!(s.not_approved.is_empty() && s.duplicates.is_empty() && s.missing.is_empty());
        assert!(s.out_of_order.is_empty() && s.over_stamped.is_empty());
    }

    #[test]
    fn inserted_near_copies_duplicates_missing_and_order() {
        // Page 1 swapped for a near-copy of it, page 0 stamped twice, then page 2, then page 0 again.
        let s = assign_pages(&[on(0), near_copy(1), on(0), on(2), PageIdentity::unidentified(), on(0)], 3, 1);
        assert_eq!(s.not_approved, vec![1, 4]);
        assert_eq!(s.duplicates, vec![2, 5]);
        assert_eq!(s.over_stamped, vec![(0, vec![0, 2, 5])]);
        assert_eq!(s.missing, vec![1]);
        assert_eq!(s.out_of_order, vec![5]);
    }

    #[test]
    fn allowance_and_edge_cases() {
        // Two stamps a page allowed (e.g. a page signed by both parties).
        let s = assign_pages(&[on(0), on(0)], 1, 2);
        assert!(s.duplicates.is_empty() && s.over_stamped.is_empty());
        // Nothing photographed: every page missing.
        let s = assign_pages(&[], 2, 1);
        assert_eq!(s.missing, vec![0, 1]);
        // A page index beyond the original (a bug upstream) is not an approved page.
        let s = assign_pages(&[on(7)], 2, 1);
        assert_eq!(s.not_approved, vec![0]);
        // No approved pages at all: everything is inserted.
        let s = assign_pages(&[on(0)], 0, 1);
        assert_eq!(s.not_approved, vec![0]);
        // Zero allowed: every photo of an approved page is one too many.
        let s = assign_pages(&[on(0)], 1, 0);
        assert_eq!(s.duplicates, vec![0]);
    }
}
