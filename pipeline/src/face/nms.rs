//! Greedy non-maximum suppression.

use super::detect::Detection;

/// Keep the highest-scoring detections, dropping any whose IoU with a kept one exceeds `iou`.
pub fn nms(mut dets: Vec<Detection>, iou: f32) -> Vec<Detection> {
    dets.sort_by(|a, b| b.score.total_cmp(&a.score));
    let mut kept: Vec<Detection> = Vec::with_capacity(dets.len());
    for d in dets {
        if kept.iter().all(|k| k.bbox.iou(&d.bbox) <= iou) {
            kept.push(d);
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::face::BBox;

    fn det(x: f32, score: f32) -> Detection {
        Detection { bbox: BBox { x, y: 0.0, w: 10.0, h: 10.0 }, score, landmarks: [[0.0; 2]; 5] }
    }

    #[test]
    fn overlapping_boxes_collapse_to_the_best() {
        let kept = nms(vec![det(0.0, 0.8), det(1.0, 0.9), det(50.0, 0.85)], 0.3);
        assert_eq!(kept.len(), 2);
        assert_eq!(kept[0].score, 0.9);
        assert_eq!(kept[1].bbox.x, 50.0);
        assert!(nms(vec![], 0.3).is_empty());
    }
}
