//! Quality gates: is this face good enough to decide on? Each failed gate is a typed reason.

use serde::{Deserialize, Serialize};

use super::{Detection, FaceConfig};
use crate::image::{Rgb8, laplacian_variance, to_gray};

/// Why a face is not good enough.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QualityIssue {
    FaceTooSmall,
    TooBlurred,
    TooDark,
    OverExposed,
    PoseNotFrontal,
}

/// Measured quality of one face, with the gates it fails.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quality {
    /// Shorter side of the face box, source pixels.
    pub face_px: f32,
    /// Laplacian variance of the aligned face (grey).
    pub sharpness: f32,
    /// Mean luma of the aligned face, 0..255.
    pub brightness: f32,
    /// Nose offset from the eye midline over the eye distance (0 = frontal).
    pub yaw_offset: f32,
    /// Eye-line angle, degrees.
    pub roll_deg: f32,
    /// (nose - eyes) / (mouth - eyes), vertical, after removing roll (about 0.49 when frontal).
    pub pitch_ratio: f32,
    pub issues: Vec<QualityIssue>,
}

/// Measure `det` (landmarks in source pixels) and its aligned crop against the gates in `cfg`.
pub fn assess_quality(det: &Detection, aligned: &Rgb8, cfg: &FaceConfig) -> Quality {
    let face_px = det.bbox.w.min(det.bbox.h);
    let gray = to_gray(aligned);
    // Centre of the aligned face only: the corners hold background and warp padding.
    let (w, h) = (gray.width(), gray.height());
    let (x0, x1, y0, y1) = (w / 4, w * 3 / 4, h / 4, h * 7 / 8);
    let mut sum = 0u64;
    for y in y0..y1 {
        sum += gray.row(y)[x0..x1].iter().map(|&v| u64::from(v)).sum::<u64>();
    }
    let brightness = sum as f32 / ((x1 - x0) * (y1 - y0)).max(1) as f32;
    let sharpness = laplacian_variance(&gray);
    let (yaw_offset, roll_deg, pitch_ratio) = pose(&det.landmarks);

    let mut issues = Vec::new();
    if face_px < cfg.min_face_px {
        issues.push(QualityIssue::FaceTooSmall);
    }
    if sharpness < cfg.min_sharpness {
        issues.push(QualityIssue::TooBlurred);
    }
    if brightness < cfg.min_brightness {
        issues.push(QualityIssue::TooDark);
    }
    if brightness > cfg.max_brightness {
        issues.push(QualityIssue::OverExposed);
    }
    let [pmin, pmax] = cfg.pitch_ratio_range;
    if yaw_offset.abs() > cfg.max_yaw_offset
        || roll_deg.abs() > cfg.max_roll_deg
        || !(pmin..=pmax).contains(&pitch_ratio)
    {
        issues.push(QualityIssue::PoseNotFrontal);
    }
    Quality { face_px, sharpness, brightness, yaw_offset, roll_deg, pitch_ratio, issues }
}

/// (yaw offset, roll in degrees, pitch ratio) from the five landmarks.
fn pose(lm: &[[f32; 2]; 5]) -> (f32, f32, f32) {
    let [le, re, nose, lm_, rm] = *lm;
    let (ex, ey) = (re[0] - le[0], re[1] - le[1]);
    let eye_dist = (ex * ex + ey * ey).sqrt().max(1e-3);
    let roll = ey.atan2(ex);
    let (c, s) = (roll.cos(), roll.sin());
    let mid = [(le[0] + re[0]) / 2.0, (le[1] + re[1]) / 2.0];
    // Express a point in the eye-aligned frame centred on the eye midpoint.
    let local = |p: [f32; 2]| {
        let (dx, dy) = (p[0] - mid[0], p[1] - mid[1]);
        (dx * c + dy * s, -dx * s + dy * c)
    };
    let (nx, ny) = local(nose);
    let (_, my) = local([(lm_[0] + rm[0]) / 2.0, (lm_[1] + rm[1]) / 2.0]);
    let pitch = if my.abs() < 1e-3 { 0.0 } else { ny / my };
    (nx / eye_dist, roll.to_degrees(), pitch)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::face::TEMPLATE_112;

    #[test]
    fn template_is_frontal() {
        let (yaw, roll, pitch) = pose(&TEMPLATE_112);
        assert!(yaw.abs() < 0.05, "{yaw}");
        assert!(roll.abs() < 1.0, "{roll}");
        assert!((0.4..0.6).contains(&pitch), "{pitch}");
    }

    #[test]
    fn a_turned_head_has_a_large_yaw() {
        let mut lm = TEMPLATE_112;
        lm[2][0] += 25.0;
        assert!(pose(&lm).0 > 0.5);
    }
}
