//! The worst compared window against the rest of the impression: is the difference confined to one
//! character?
//!
//! What spoils an impression of the right seal (pale or unevenly inked areas, a smudge, text or a
//! fold crossing it, the photo out of focus) spreads over several characters: its worst window comes
//! with others nearly as bad. A character engraved differently (a one-character look-alike, another
//! label) is confined to about one window (a window is about a character, see `canvas.rs`), while
//! every window that shares no cell with it matches the registered seal closely. The caller compares
//! the worst window with the worst of those others.

use super::canvas::{WINDOW, WindowScore};

/// The lowest-scoring window of `scores`; `None` when there is none.
pub(crate) fn worst_window(scores: &[WindowScore]) -> Option<&WindowScore> {
    scores.iter().min_by(|a, b| a.score.total_cmp(&b.score))
}

/// The lowest score among the windows of `scores` that share no cell with `worst` (whose top-left
/// cells lie at least a window's side apart along some axis); `None` when there is no such window.
pub(crate) fn worst_elsewhere(scores: &[WindowScore], worst: &WindowScore) -> Option<f64> {
    scores
        .iter()
        .filter(|w| w.at.0.abs_diff(worst.at.0) >= WINDOW || w.at.1.abs_diff(worst.at.1) >= WINDOW)
        .map(|w| w.score)
        .min_by(f64::total_cmp)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(x: usize, y: usize, score: f64) -> WindowScore {
        WindowScore { at: (x, y), score }
    }

    /// The worst window and the worst elsewhere, as the caller takes them.
    fn elsewhere(scores: &[WindowScore]) -> Option<f64> {
        worst_elsewhere(scores, worst_window(scores)?)
    }

    #[test]
    fn nothing_or_one_window_has_nothing_elsewhere() {
        assert_eq!(worst_window(&[]), None);
        assert_eq!(elsewhere(&[]), None);
        assert_eq!(elsewhere(&[w(0, 0, 0.5)]), None);
        // Overlapping windows (half a window apart) are the same place.
        assert_eq!(elsewhere(&[w(24, 24, 0.5), w(36, 24, 0.9), w(12, 12, 0.8)]), None);
    }

    #[test]
    fn the_worst_window_elsewhere_skips_the_worst_ones_neighbours() {
        let scores = [w(48, 48, 0.4), w(60, 48, 0.6), w(48, 36, 0.7), w(72, 48, 0.95), w(48, 96, 0.9), w(0, 0, 0.97)];
        // (60, 48) and (48, 36) overlap the worst; (72, 48) is a whole window to its right.
        assert_eq!(worst_window(&scores), Some(&scores[0]));
        assert_eq!(elsewhere(&scores), Some(0.9));
        // Two equally bad places far apart: the difference is not confined.
        let two = [w(0, 0, 0.5), w(120, 120, 0.5), w(60, 0, 0.95)];
        assert_eq!(elsewhere(&two), Some(0.5));
    }
}
