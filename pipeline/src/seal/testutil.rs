//! Test pages: generated seals (`sealgate_datasets::documents::seal`) stamped on white or rendered
//! pages, simple drawn outlines in other shapes and colours, and local blur.

use image::RgbImage;
use sealgate_datasets::documents::rng::Rng;
use sealgate_datasets::documents::seal::{SealParams, stamp_seal};
use sealgate_datasets::documents::{planned_doc, render_page};

use super::geometry::Frame;
use super::segment::{InkClass, InkLayers};
use super::{SealShape, TemplateMatch};
use crate::image::Rgb8;

pub fn blank_page(w: u32, h: u32) -> RgbImage {
    RgbImage::from_pixel(w, h, image::Rgb([250, 250, 247]))
}

/// A rendered document page (1240 x 1754) and its text line boxes.
pub fn rendered_page(seed: u64) -> (RgbImage, Vec<[f32; 4]>) {
    let d = planned_doc(seed, 0);
    let r = render_page(&d.doc.pages[0], &d.style).expect("fonts installed");
    (r.image, r.lines.iter().map(|l| l.bbox).collect())
}

/// A random seal of `company` with its centre and clockwise rotation set.
pub fn seal_params(seed: u64, company: &str, label: &str, centre: [f32; 2], angle_deg: f32) -> SealParams {
    let mut rng = Rng::new(seed);
    let mut p = SealParams::random(&mut rng, company, label, centre);
    p.center = centre;
    p.angle_deg = angle_deg;
    p
}

pub fn stamp_on(page: &mut RgbImage, p: &SealParams) {
    stamp_seal(page, p).expect("fonts installed");
}

pub fn to_rgb8(img: &RgbImage) -> Rgb8 {
    Rgb8::new(img.width() as usize, img.height() as usize, img.as_raw().clone()).expect("same size")
}

/// Darken (multiply) `colour` into the pixels within `width` inside `shape`'s outline, anti-aliased.
pub fn draw_ring(page: &mut RgbImage, shape: &SealShape, width: f64, colour: [u8; 3]) {
    let f = Frame::of(shape).expect("frame");
    let b = f.bbox(1.0);
    for y in (b[1].floor() as i64 - 2).max(0)..(b[3].ceil() as i64 + 3).min(i64::from(page.height())) {
        for x in (b[0].floor() as i64 - 2).max(0)..(b[2].ceil() as i64 + 3).min(i64::from(page.width())) {
            let e = f.residual(x as f64, y as f64);
            let cover = ((0.5 - e).clamp(0.0, 1.0) * (e + width + 0.5).clamp(0.0, 1.0)) as f32;
            blend(page, x as u32, y as u32, colour, 0.8 * cover);
        }
    }
}

/// Darken `colour` into the parts of `shape`'s frame inside any of `marks`, boxes
/// `[x0, y0, x1, y1]` in normalised coordinates (the outline through `(1, 0)` and `(0, 1)`): content
/// that turns and scales with the outline.
pub fn draw_marks(page: &mut RgbImage, shape: &SealShape, marks: &[[f64; 4]], colour: [u8; 3]) {
    let f = Frame::of(shape).expect("frame");
    let b = f.bbox(1.0);
    for y in (b[1].floor() as i64).max(0)..(b[3].ceil() as i64 + 1).min(i64::from(page.height())) {
        for x in (b[0].floor() as i64).max(0)..(b[2].ceil() as i64 + 1).min(i64::from(page.width())) {
            // Anti-aliased: the share of 4x4 sub-pixel samples inside a mark.
            let inside = (0..16)
                .filter(|k| {
                    let (sx, sy) = ((k % 4) as f64 / 4.0 - 0.375, (k / 4) as f64 / 4.0 - 0.375);
                    let (nx, ny) = f.normalised(x as f64 + sx, y as f64 + sy);
                    marks.iter().any(|m| nx >= m[0] && nx <= m[2] && ny >= m[1] && ny <= m[3])
                })
                .count();
            blend(page, x as u32, y as u32, colour, 0.8 * inside as f32 / 16.0);
        }
    }
}

fn blend(page: &mut RgbImage, x: u32, y: u32, colour: [u8; 3], a: f32) {
    if a <= 0.0 {
        return;
    }
    let p = page.get_pixel_mut(x, y);
    for (v, c) in p.0.iter_mut().zip(colour) {
        *v = (f32::from(*v) * (1.0 - a + a * f32::from(c) / 255.0)).round() as u8;
    }
}

/// Box blur of radius `r` over `[x0, y0, x1, y1)`, twice (close to a Gaussian).
pub fn box_blur_region(page: &mut RgbImage, rect: [u32; 4], r: u32) {
    for _ in 0..2 {
        let src = page.clone();
        for y in rect[1]..rect[3] {
            for x in rect[0]..rect[2] {
                let mut acc = [0u32; 3];
                let mut n = 0u32;
                for yy in y.saturating_sub(r)..=(y + r).min(page.height() - 1) {
                    for xx in x.saturating_sub(r)..=(x + r).min(page.width() - 1) {
                        let p = src.get_pixel(xx, yy);
                        for (a, v) in acc.iter_mut().zip(p.0) {
                            *a += u32::from(v);
                        }
                        n += 1;
                    }
                }
                page.put_pixel(x, y, image::Rgb(acc.map(|v| (v / n) as u8)));
            }
        }
    }
}

/// The ink classes of a red seal (see `impressions.rs`).
pub const RED: [bool; 6] = [false, true, false, true, false, false];

/// Ink layers `w` x `h` at the origin whose class at `(x, y)` is `f(x, y)`.
pub fn layers_with(w: usize, h: usize, f: impl Fn(usize, usize) -> InkClass) -> InkLayers {
    let class = (0..w * h).map(|i| f(i % w, i / w) as u8).collect();
    InkLayers { origin: [0, 0], width: w, height: h, class, strength: vec![0; w * h] }
}

/// For each column of a strip drawn for a recogniser (dark ink on white), whether any pixel in it
/// is inked (darker than mid-grey).
pub fn dark_columns(strip: &Rgb8) -> Vec<bool> {
    let w = strip.width();
    (0..w).map(|u| (0..strip.height()).any(|v| strip.data().get((v * w + u) * 3).is_some_and(|&p| p < 128))).collect()
}

/// How an impression of the granted seal compares: every score in the granted zone. Tests of a
/// rule change the scores it reads.
pub const GRANTED_MATCH: TemplateMatch = TemplateMatch {
    similarity: 0.91,
    rotation_deg: 10.0,
    scale: 1.0,
    visible_share: 0.95,
    extra_strokes: 0.05,
    missing_strokes: 0.05,
    outline_differs: false,
    typical_similarity: 0.96,
    star_scale: Some(1.0),
    star_match: Some(0.95),
    lettering_weight: Some(1.0),
    similarity_elsewhere: 0.92,
    worst_window: Some([0.0, -0.7]),
    worst_across_label: None,
};
