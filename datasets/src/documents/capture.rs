//! A phone photo of a page: the page (optionally sealed) placed on a surface under a tilted camera
//! (a homography from the page corners to the projected quadrilateral, inverse-mapped with bilinear
//! sampling), turned by 0/90/180/270 degrees plus a little, lit unevenly, shadowed, blurred, noisy
//! and JPEG-encoded. Every choice is in [`CaptureParams`], so a capture is a pure function of the
//! page and its parameters.

use image::codecs::jpeg::JpegEncoder;
use image::{ExtendedColorType, RgbImage};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::background::{BackgroundKind, paint};
use super::effects::{Canvas, lighting, shadow};
use super::error::DatasetError;
use super::homography::Homography;
use super::rng::Rng;
use super::seal::{SealParams, stamp_seal};

/// Photo size in portrait orientation (rotations of 90 and 270 swap it).
pub const PHOTO_SHORT: u32 = 1500;
pub const PHOTO_LONG: u32 = 2000;
/// The largest photo side [`capture`] accepts.
pub const MAX_PHOTO_SIDE: u32 = 8192;

/// A soft-edged shadow over part of the photo.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShadowParams {
    /// Brightness factor inside the shadow.
    pub factor: f32,
    /// Width of the soft edge, photo pixels.
    pub softness: f32,
    /// Convex polygon, photo pixels.
    pub polygon: Vec<[f32; 2]>,
}

/// Everything that determines a capture.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaptureParams {
    pub width: u32,
    pub height: u32,
    /// Degrees the page content is turned clockwise in the photo: 0, 90, 180 or 270.
    pub rotation: u16,
    /// Extra clockwise in-plane rotation, degrees (within ±4).
    pub extra_rotation_deg: f32,
    /// Angle between the page plane and the image plane, degrees (0 to 25).
    pub tilt_deg: f32,
    /// Direction of the tilt axis in the page plane, degrees.
    pub tilt_axis_deg: f32,
    /// Camera distance in page heights (smaller: stronger perspective for the same tilt).
    pub camera_distance: f32,
    /// Share of the limiting photo dimension the page's bounding box fills.
    pub fill: f32,
    /// Where the page's bounding box sits in the free space, `[0, 1]` each way.
    pub offset: [f32; 2],
    pub background: BackgroundKind,
    pub background_seed: u64,
    /// Brightness ramp from `light_lo` to `light_hi` along `light_angle_deg`.
    pub light_lo: f32,
    pub light_hi: f32,
    pub light_angle_deg: f32,
    pub vignette: f32,
    pub white_balance: [f32; 3],
    pub shadow: Option<ShadowParams>,
    pub blur_sigma: f32,
    pub noise_sigma: f32,
    pub noise_seed: u64,
    pub jpeg_quality: u8,
    /// The seal stamped on the page before the photo, if any.
    pub seal: Option<SealParams>,
}

impl CaptureParams {
    /// Random capture conditions within the stated ranges, for a page turned by `rotation`.
    pub fn random(rng: &mut Rng, rotation: u16, seal: Option<SealParams>) -> CaptureParams {
        let rotation = (rotation / 90 % 4) * 90;
        let (width, height) = if rotation % 180 == 90 { (PHOTO_LONG, PHOTO_SHORT) } else { (PHOTO_SHORT, PHOTO_LONG) };
        let background = BackgroundKind::ALL[rng.weighted(&[0.3, 0.25, 0.2, 0.15, 0.1])];
        let light_lo = rng.range_f32(0.7, 0.95);
        let light_hi = rng.range_f32(light_lo.max(0.9), 1.1);
        let shadow = rng.chance(0.5).then(|| random_shadow(rng, width as f32, height as f32));
        CaptureParams {
            width,
            height,
            rotation,
            extra_rotation_deg: rng.range_f32(-4.0, 4.0),
            tilt_deg: rng.range_f32(0.0, 25.0),
            tilt_axis_deg: rng.range_f32(0.0, 360.0),
            camera_distance: rng.range_f32(1.3, 2.4),
            fill: rng.range_f32(0.74, 0.94),
            offset: [rng.range_f32(0.1, 0.9), rng.range_f32(0.1, 0.9)],
            background,
            background_seed: rng.next_u64(),
            light_lo,
            light_hi,
            light_angle_deg: rng.range_f32(0.0, 360.0),
            vignette: rng.range_f32(0.0, 0.15),
            white_balance: [rng.range_f32(0.96, 1.05), 1.0, rng.range_f32(0.93, 1.04)],
            shadow,
            blur_sigma: rng.range_f32(0.0, 1.5),
            // Some noise always: real sensors have it, and it dithers smooth gradients against banding.
            noise_sigma: rng.range_f32(0.6, 6.0),
            noise_seed: rng.next_u64(),
            jpeg_quality: rng.range_u64(45, 95) as u8,
            seal,
        }
    }
}

/// A rotated rectangle (convex) over part of the frame, as a hand or phone would cast.
fn random_shadow(rng: &mut Rng, w: f32, h: f32) -> ShadowParams {
    let (sw, sh) = (w * rng.range_f32(0.5, 1.2), h * rng.range_f32(0.3, 0.7));
    // Centre near one of the frame's edges, so the shadow covers a part, not the whole page.
    let side = rng.below(4);
    let t = rng.range_f32(0.15, 0.85);
    let (cx, cy) = match side {
        0 => (t * w, 0.0),
        1 => (w, t * h),
        2 => (t * w, h),
        _ => (0.0, t * h),
    };
    let angle = rng.range_f32(0.0, std::f32::consts::PI);
    let (s, c) = angle.sin_cos();
    let polygon = [[-0.5, -0.5], [0.5, -0.5], [0.5, 0.5], [-0.5, 0.5]]
        .iter()
        .map(|[u, v]| {
            let (x, y) = (u * sw, v * sh);
            [cx + x * c - y * s, cy + x * s + y * c]
        })
        .collect();
    ShadowParams { factor: rng.range_f32(0.55, 0.85), softness: rng.range_f32(12.0, 70.0), polygon }
}

/// A photo of a page.
#[derive(Debug, Clone)]
pub struct Capture {
    pub jpeg: Vec<u8>,
    /// Degrees the page content is turned clockwise in the photo: 0, 90, 180 or 270.
    pub rotation: u16,
    /// TL, TR, BR, BL corners of the page (in page orientation), photo pixels.
    pub page_corners: [[f32; 2]; 4],
    /// Page pixels to photo pixels.
    pub homography: Homography,
    pub sealed: bool,
    pub params: CaptureParams,
}

/// Where the page's corners land in the photo under `p`, for a `page_w` x `page_h` page.
pub fn place(p: &CaptureParams, page_w: f32, page_h: f32) -> [[f64; 2]; 4] {
    let (t, phi) = (f64::from(p.tilt_deg).to_radians(), f64::from(p.tilt_axis_deg).to_radians());
    let (ax, ay) = (phi.cos(), phi.sin());
    let dist = f64::from(p.camera_distance.max(0.5)) * f64::from(page_h);
    let theta = (f64::from(p.rotation) + f64::from(p.extra_rotation_deg)).to_radians();
    let (st, ct) = theta.sin_cos();
    let corners = [[0.0, 0.0], [page_w, 0.0], [page_w, page_h], [0.0, page_h]];
    let projected: Vec<[f64; 2]> = corners
        .iter()
        .map(|&[x, y]| {
            let (px, py) = (f64::from(x) - f64::from(page_w) / 2.0, f64::from(y) - f64::from(page_h) / 2.0);
            // Rodrigues rotation of (px, py, 0) about the in-plane axis (ax, ay, 0) by t.
            let dot = ax * px + ay * py;
            let (c, s) = (t.cos(), t.sin());
            let rx = px * c + ax * dot * (1.0 - c);
            let ry = py * c + ay * dot * (1.0 - c);
            let rz = (ax * py - ay * px) * s;
            let z = dist + rz;
            let (ix, iy) = (dist * rx / z, dist * ry / z);
            // Clockwise on screen (y down).
            [ix * ct - iy * st, ix * st + iy * ct]
        })
        .collect();
    let (mut minx, mut miny, mut maxx, mut maxy) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for q in &projected {
        minx = minx.min(q[0]);
        miny = miny.min(q[1]);
        maxx = maxx.max(q[0]);
        maxy = maxy.max(q[1]);
    }
    let (w, h) = (f64::from(p.width), f64::from(p.height));
    let scale = f64::from(p.fill.clamp(0.1, 0.99)) * (w / (maxx - minx).max(1.0)).min(h / (maxy - miny).max(1.0));
    let (bw, bh) = ((maxx - minx) * scale, (maxy - miny) * scale);
    let ox = (w - bw) * f64::from(p.offset[0].clamp(0.0, 1.0)) - minx * scale;
    let oy = (h - bh) * f64::from(p.offset[1].clamp(0.0, 1.0)) - miny * scale;
    let mut out = [[0.0; 2]; 4];
    for (o, q) in out.iter_mut().zip(&projected) {
        *o = [q[0] * scale + ox, q[1] * scale + oy];
    }
    out
}

/// Photograph `page` under `params`.
pub fn capture(page: &RgbImage, params: &CaptureParams) -> Result<Capture, DatasetError> {
    let mut page = page.clone();
    if let Some(seal) = &params.seal {
        stamp_seal(&mut page, seal)?;
    }
    let (pw, ph) = (page.width() as f32, page.height() as f32);
    if page.width() == 0 || page.height() == 0 || params.width == 0 || params.height == 0 {
        return Err(DatasetError::InvalidArgument("empty page or photo".into()));
    }
    if params.width > MAX_PHOTO_SIDE || params.height > MAX_PHOTO_SIDE {
        return Err(DatasetError::InvalidArgument(format!(
            "photo {}x{} exceeds {MAX_PHOTO_SIDE} pixels a side",
            params.width, params.height
        )));
    }
    let corners = place(params, pw, ph);
    let src = [[0.0, 0.0], [f64::from(pw), 0.0], [f64::from(pw), f64::from(ph)], [0.0, f64::from(ph)]];
    let h = Homography::from_points(&src, &corners)
        .ok_or_else(|| DatasetError::InvalidArgument("degenerate page placement".into()))?;

    // Shrink the page first when the photo shows it smaller, so the bilinear warp does not alias.
    let scale = ((corners[1][0] - corners[0][0]).hypot(corners[1][1] - corners[0][1]) / f64::from(pw))
        .min((corners[3][0] - corners[0][0]).hypot(corners[3][1] - corners[0][1]) / f64::from(ph));
    let (src_img, to_src) = if scale < 0.9 {
        let k = (scale * 1.1).clamp(0.2, 1.0);
        let (sw, sh) = (((f64::from(pw) * k).round() as u32).max(1), ((f64::from(ph) * k).round() as u32).max(1));
        let small = image::imageops::resize(&page, sw, sh, image::imageops::FilterType::Triangle);
        let s = Homography([
            [f64::from(sw) / f64::from(pw), 0.0, 0.0],
            [0.0, f64::from(sh) / f64::from(ph), 0.0],
            [0.0, 0.0, 1.0],
        ]);
        (small, s)
    } else {
        (page, Homography::IDENTITY)
    };
    let photo_to_src =
        to_src.after(&h.inverse().ok_or_else(|| DatasetError::InvalidArgument("singular page placement".into()))?);
    let page_px_per_src = f64::from(pw) / f64::from(src_img.width());

    let (w, hgt) = (params.width as usize, params.height as usize);
    let mut canvas = paint(params.background, w, hgt, params.background_seed);
    warp_onto(&mut canvas, &src_img, &photo_to_src, scale * page_px_per_src);

    let (fw, fh) = (w as f32, hgt as f32);
    canvas.modulate(lighting(
        fw,
        fh,
        params.light_lo,
        params.light_hi,
        params.light_angle_deg.to_radians(),
        params.vignette,
    ));
    if let Some(s) = &params.shadow {
        canvas.modulate(shadow(s.polygon.clone(), s.factor, s.softness));
    }
    canvas.white_balance(params.white_balance);
    // Bounded (and NaN mapped to a bound) so parameters read from a manifest cannot stall the blur.
    let bounded = |v: f32, hi: f32| if v.is_nan() { 0.0 } else { v.clamp(0.0, hi) };
    canvas.gaussian_blur(bounded(params.blur_sigma, 10.0));
    canvas.add_noise(bounded(params.noise_sigma, 64.0), params.noise_seed);
    let rgb = canvas.to_rgb8();
    let mut jpeg = Vec::new();
    JpegEncoder::new_with_quality(&mut jpeg, params.jpeg_quality.clamp(1, 100))
        .encode(rgb.as_raw(), rgb.width(), rgb.height(), ExtendedColorType::Rgb8)
        .map_err(|source| DatasetError::Encode { what: "photo JPEG", source })?;
    Ok(Capture {
        jpeg,
        rotation: params.rotation,
        page_corners: corners.map(|c| c.map(|v| v as f32)),
        homography: h,
        sealed: params.seal.is_some(),
        params: params.clone(),
    })
}

/// Composite `src` (through `photo_to_src`) over the background in `canvas`, with a soft contact
/// shadow around the sheet; `photo_per_src` is photo pixels per source pixel (for the shadow width).
fn warp_onto(canvas: &mut Canvas, src: &RgbImage, photo_to_src: &Homography, photo_per_src: f64) {
    let (sw, sh) = (src.width() as i64, src.height() as i64);
    let raw = src.as_raw();
    let w = canvas.width;
    let spread = 14.0 / photo_per_src.max(0.05);
    canvas.data.par_chunks_mut(w * 3).enumerate().for_each(|(y, row)| {
        for x in 0..w {
            let Some([u, v]) = photo_to_src.apply(x as f64 + 0.5, y as f64 + 0.5) else {
                continue;
            };
            let bg = [row[x * 3], row[x * 3 + 1], row[x * 3 + 2]];
            let (fx, fy) = (u - 0.5, v - 0.5);
            if fx < -1.0 || fy < -1.0 || fx > sw as f64 || fy > sh as f64 {
                // Outside the sheet: darken the surface close to it.
                let dx = (-u).max(u - sw as f64).max(0.0);
                let dy = (-v).max(v - sh as f64).max(0.0);
                let d = dx.hypot(dy);
                let k = 1.0 - 0.3 * (-d / spread).exp() as f32;
                for c in 0..3 {
                    row[x * 3 + c] = bg[c] * k;
                }
                continue;
            }
            let (x0, y0) = (fx.floor() as i64, fy.floor() as i64);
            let (wx, wy) = ((fx - x0 as f64) as f32, (fy - y0 as f64) as f32);
            let px = |xi: i64, yi: i64, c: usize| -> f32 {
                if xi < 0 || yi < 0 || xi >= sw || yi >= sh {
                    bg[c] * 0.75
                } else {
                    f32::from(raw[((yi * sw + xi) * 3) as usize + c])
                }
            };
            for c in 0..3 {
                let top = px(x0, y0, c) * (1.0 - wx) + px(x0 + 1, y0, c) * wx;
                let bottom = px(x0, y0 + 1, c) * (1.0 - wx) + px(x0 + 1, y0 + 1, c) * wx;
                row[x * 3 + c] = top * (1.0 - wy) + bottom * wy;
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page() -> RgbImage {
        // A white page with a black square in its top-left quarter, to find orientation by.
        let mut p = RgbImage::from_pixel(620, 877, image::Rgb([250, 250, 250]));
        for y in 100..300 {
            for x in 100..300 {
                p.put_pixel(x, y, image::Rgb([0, 0, 0]));
            }
        }
        p
    }

    #[test]
    fn page_corners_lie_inside_the_photo_and_follow_the_rotation() {
        for (i, rotation) in [0u16, 90, 180, 270].into_iter().enumerate() {
            let mut rng = Rng::new(40 + i as u64);
            let mut params = CaptureParams::random(&mut rng, rotation, None);
            params.extra_rotation_deg = 0.0;
            let cap = capture(&page(), &params).expect("capture");
            let img = image::load_from_memory(&cap.jpeg).expect("decodes").to_rgb8();
            assert_eq!(img.dimensions(), (params.width, params.height));
            assert_eq!(params.width > params.height, rotation % 180 == 90);
            for c in cap.page_corners {
                assert!(c[0] >= 0.0 && c[1] >= 0.0 && c[0] <= params.width as f32 && c[1] <= params.height as f32);
            }
            // The corners go round clockwise on screen (positive shoelace area with y down).
            let pc = cap.page_corners;
            let area: f32 = (0..4).map(|k| pc[k][0] * pc[(k + 1) % 4][1] - pc[(k + 1) % 4][0] * pc[k][1]).sum();
            assert!(area > 0.0);
            // The top-left corner moves round with the content.
            let centre = [pc.iter().map(|c| c[0]).sum::<f32>() / 4.0, pc.iter().map(|c| c[1]).sum::<f32>() / 4.0];
            let tl = pc[0];
            let quadrant = match (tl[0] < centre[0], tl[1] < centre[1]) {
                (true, true) => 0,
                (false, true) => 90,
                (false, false) => 180,
                (true, false) => 270,
            };
            assert_eq!(quadrant, rotation, "{pc:?}");
            // The black square of the page shows up where the homography says.
            let q = cap.homography.apply(200.0, 200.0).expect("finite");
            let px = img.get_pixel(q[0] as u32, q[1] as u32);
            assert!(px.0.iter().all(|&v| v < 90), "{rotation}: {px:?} at {q:?}");
            let white = cap.homography.apply(450.0, 700.0).expect("finite");
            let px = img.get_pixel(white[0] as u32, white[1] as u32);
            assert!(px.0.iter().any(|&v| v > 110), "{rotation}: {px:?}");
        }
    }

    #[test]
    fn absurd_parameters_are_refused_not_panicked_on() {
        let mut rng = Rng::new(2);
        let base = CaptureParams::random(&mut rng, 0, None);
        let small = RgbImage::from_pixel(62, 88, image::Rgb([250, 250, 250]));
        let huge = CaptureParams { width: 100_000, ..base.clone() };
        assert!(matches!(capture(&small, &huge), Err(DatasetError::InvalidArgument(_))));
        let nan = CaptureParams { tilt_deg: f32::NAN, width: 60, height: 80, ..base.clone() };
        assert!(matches!(capture(&small, &nan), Err(DatasetError::InvalidArgument(_))));
        let mut seal = SealParams::random(&mut rng, "上海华信科技有限公司", "", [30.0, 40.0]);
        seal.diameter = 1e12;
        seal.span_deg = f32::NAN;
        let wild = CaptureParams {
            width: 60,
            height: 80,
            blur_sigma: 1e9,
            noise_sigma: f32::INFINITY,
            seal: Some(seal),
            ..base
        };
        assert!(capture(&small, &wild).is_ok());
    }

    #[test]
    fn capture_is_deterministic_and_seals_show_red() {
        let mut rng = Rng::new(8);
        let seal = SealParams::random(&mut rng, "上海华信科技有限公司", "合同专用章", [310.0, 430.0]);
        let mut params = CaptureParams::random(&mut rng, 0, Some(seal));
        params.shadow = None;
        params.light_lo = 1.0;
        params.light_hi = 1.0;
        params.white_balance = [1.0; 3];
        let a = capture(&page(), &params).expect("capture");
        let b = capture(&page(), &params).expect("capture");
        assert_eq!(a.jpeg, b.jpeg);
        assert!(a.sealed);
        let img = image::load_from_memory(&a.jpeg).expect("decodes").to_rgb8();
        let ring =
            a.homography.apply(310.0, 430.0 - f64::from(params.seal.as_ref().map_or(0.0, |s| s.diameter)) / 2.0 + 5.0);
        let q = ring.expect("finite");
        let (mut red, mut n) = (0, 0);
        for dy in -6i64..=6 {
            for dx in -6i64..=6 {
                let p = img.get_pixel((q[0] as i64 + dx) as u32, (q[1] as i64 + dy) as u32);
                n += 1;
                red += usize::from(i32::from(p.0[0]) - i32::from(p.0[1]) > 40);
            }
        }
        assert!(red * 4 > n, "{red}/{n} reddish pixels at the ring");
    }
}
