//! Coverage masks (one `f32` in `[0, 1]` per pixel) and the drawing on them that text, seals and
//! shadows need: glyphs, rotated blits with bilinear sampling, filled polygons, annuli, box blur.

use ab_glyph::{Font, FontVec, GlyphId, PxScale, point};

/// A single-channel coverage image.
#[derive(Debug, Clone, PartialEq)]
pub struct Mask {
    pub width: usize,
    pub height: usize,
    pub data: Vec<f32>,
}

impl Mask {
    pub fn new(width: usize, height: usize) -> Mask {
        Mask { width, height, data: vec![0.0; width * height] }
    }

    pub fn get(&self, x: isize, y: isize) -> f32 {
        if x < 0 || y < 0 || x as usize >= self.width || y as usize >= self.height {
            0.0
        } else {
            self.data[y as usize * self.width + x as usize]
        }
    }

    /// `max`-combine coverage `v` at `(x, y)` (ignored outside).
    pub fn put_max(&mut self, x: isize, y: isize, v: f32) {
        if x >= 0 && y >= 0 && (x as usize) < self.width && (y as usize) < self.height {
            let p = &mut self.data[y as usize * self.width + x as usize];
            *p = p.max(v.clamp(0.0, 1.0));
        }
    }

    /// Bilinear sample at pixel-centre coordinates (`(0.5, 0.5)` is the first pixel's centre).
    pub fn sample(&self, x: f32, y: f32) -> f32 {
        let (fx, fy) = (x - 0.5, y - 0.5);
        let (x0, y0) = (fx.floor(), fy.floor());
        let (wx, wy) = (fx - x0, fy - y0);
        let (x0, y0) = (x0 as isize, y0 as isize);
        let top = self.get(x0, y0) * (1.0 - wx) + self.get(x0 + 1, y0) * wx;
        let bottom = self.get(x0, y0 + 1) * (1.0 - wx) + self.get(x0 + 1, y0 + 1) * wx;
        top * (1.0 - wy) + bottom * wy
    }

    /// Draw `src` rotated by `angle` radians (clockwise on screen) about its centre, with its centre
    /// at `(cx, cy)`, `max`-combining coverage.
    pub fn blit_rotated(&mut self, src: &Mask, cx: f32, cy: f32, angle: f32) {
        let (s, c) = angle.sin_cos();
        let (hw, hh) = (src.width as f32 / 2.0, src.height as f32 / 2.0);
        let r = (hw * hw + hh * hh).sqrt() + 1.0;
        let (x0, x1) = ((cx - r).floor().max(0.0) as usize, ((cx + r).ceil().max(0.0) as usize).min(self.width));
        let (y0, y1) = ((cy - r).floor().max(0.0) as usize, ((cy + r).ceil().max(0.0) as usize).min(self.height));
        for y in y0..y1 {
            for x in x0..x1 {
                let (dx, dy) = (x as f32 + 0.5 - cx, y as f32 + 0.5 - cy);
                // Inverse rotation back into `src`.
                let (sx, sy) = (c * dx + s * dy + hw, -s * dx + c * dy + hh);
                if sx < -1.0 || sy < -1.0 || sx > src.width as f32 + 1.0 || sy > src.height as f32 + 1.0 {
                    continue;
                }
                let v = src.sample(sx, sy);
                if v > 0.0 {
                    self.put_max(x as isize, y as isize, v);
                }
            }
        }
    }

    /// Fill a polygon (any simple polygon) with 4x4 supersampled coverage.
    pub fn fill_polygon(&mut self, pts: &[[f32; 2]]) {
        if pts.len() < 3 {
            return;
        }
        let (mut minx, mut miny, mut maxx, mut maxy) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
        for p in pts {
            minx = minx.min(p[0]);
            miny = miny.min(p[1]);
            maxx = maxx.max(p[0]);
            maxy = maxy.max(p[1]);
        }
        let x0 = minx.floor().max(0.0) as usize;
        let y0 = miny.floor().max(0.0) as usize;
        let x1 = (maxx.ceil().max(0.0) as usize + 1).min(self.width);
        let y1 = (maxy.ceil().max(0.0) as usize + 1).min(self.height);
        for y in y0..y1 {
            for x in x0..x1 {
                let mut hits = 0;
                for sy in 0..4 {
                    for sx in 0..4 {
                        let px = x as f32 + (sx as f32 + 0.5) / 4.0;
                        let py = y as f32 + (sy as f32 + 0.5) / 4.0;
                        hits += usize::from(inside(pts, px, py));
                    }
                }
                if hits > 0 {
                    self.put_max(x as isize, y as isize, hits as f32 / 16.0);
                }
            }
        }
    }

    /// An anti-aliased ring between radii `r_in` and `r_out` around `(cx, cy)`.
    pub fn ring(&mut self, cx: f32, cy: f32, r_in: f32, r_out: f32) {
        let x0 = (cx - r_out - 1.0).floor().max(0.0) as usize;
        let y0 = (cy - r_out - 1.0).floor().max(0.0) as usize;
        let x1 = ((cx + r_out + 2.0).max(0.0) as usize).min(self.width);
        let y1 = ((cy + r_out + 2.0).max(0.0) as usize).min(self.height);
        for y in y0..y1 {
            for x in x0..x1 {
                let d = ((x as f32 + 0.5 - cx).powi(2) + (y as f32 + 0.5 - cy).powi(2)).sqrt();
                let v = (r_out + 0.5 - d).clamp(0.0, 1.0) * (d - r_in + 0.5).clamp(0.0, 1.0);
                if v > 0.0 {
                    self.put_max(x as isize, y as isize, v);
                }
            }
        }
    }

    /// Embolden strokes by about `px` pixels: pad, blur, then boost coverage.
    pub fn thicken(&mut self, px: f32) {
        if px <= 0.0 {
            return;
        }
        let pad = px.ceil() as usize + 1;
        let mut big = Mask::new(self.width + 2 * pad, self.height + 2 * pad);
        for y in 0..self.height {
            let src = &self.data[y * self.width..(y + 1) * self.width];
            big.data[(y + pad) * big.width + pad..(y + pad) * big.width + pad + self.width].copy_from_slice(src);
        }
        big.box_blur(px.ceil() as usize);
        let gain = 1.0 + px;
        big.data.iter_mut().for_each(|v| *v = (*v * gain * 1.25).min(1.0));
        *self = big;
    }

    /// Box blur of radius `r` (horizontal then vertical), edges clamped.
    pub fn box_blur(&mut self, r: usize) {
        if r == 0 || self.width == 0 || self.height == 0 {
            return;
        }
        let (w, h) = (self.width, self.height);
        let n = (2 * r + 1) as f32;
        let mut tmp = vec![0.0f32; w * h];
        for y in 0..h {
            let row = &self.data[y * w..(y + 1) * w];
            for x in 0..w {
                let s: f32 = (0..=2 * r).map(|k| row[(x + k).saturating_sub(r).min(w - 1)]).sum();
                tmp[y * w + x] = s / n;
            }
        }
        for x in 0..w {
            for y in 0..h {
                let s: f32 = (0..=2 * r).map(|k| tmp[(y + k).saturating_sub(r).min(h - 1) * w + x]).sum();
                self.data[y * w + x] = s / n;
            }
        }
    }
}

/// Even-odd point-in-polygon test.
pub fn inside(pts: &[[f32; 2]], x: f32, y: f32) -> bool {
    let mut odd = false;
    let mut j = pts.len() - 1;
    for i in 0..pts.len() {
        let (a, b) = (pts[i], pts[j]);
        if (a[1] > y) != (b[1] > y) && x < (b[0] - a[0]) * (y - a[1]) / (b[1] - a[1]) + a[0] {
            odd = !odd;
        }
        j = i;
    }
    odd
}

/// Rasterise one glyph at `scale` into a tight mask; also returns the mask's top-left offset from the
/// glyph origin (pen position on the baseline). `None` for glyphs without an outline (spaces).
pub fn glyph_mask(font: &FontVec, id: GlyphId, scale: PxScale) -> Option<(Mask, [f32; 2])> {
    let glyph = id.with_scale_and_position(scale, point(0.0, 0.0));
    let outlined = font.outline_glyph(glyph)?;
    let b = outlined.px_bounds();
    let (w, h) = ((b.max.x - b.min.x).ceil() as usize, (b.max.y - b.min.y).ceil() as usize);
    if w == 0 || h == 0 {
        return None;
    }
    let mut mask = Mask::new(w, h);
    outlined.draw(|x, y, c| mask.put_max(x as isize, y as isize, c));
    Some((mask, [b.min.x, b.min.y]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polygon_ring_and_rotation_cover_what_they_should() {
        let mut m = Mask::new(40, 40);
        m.fill_polygon(&[[10.0, 10.0], [30.0, 10.0], [30.0, 30.0], [10.0, 30.0]]);
        let area: f32 = m.data.iter().sum();
        assert!((area - 400.0).abs() < 1.0, "{area}");
        let mut r = Mask::new(100, 100);
        r.ring(50.0, 50.0, 30.0, 40.0);
        let area: f32 = r.data.iter().sum();
        let want = std::f32::consts::PI * (40.0f32.powi(2) - 30.0f32.powi(2));
        assert!((area - want).abs() / want < 0.02, "{area} vs {want}");
        // A 90° rotation of a bar turns it from horizontal to vertical.
        let mut bar = Mask::new(20, 4);
        bar.data.iter_mut().for_each(|v| *v = 1.0);
        let mut out = Mask::new(40, 40);
        out.blit_rotated(&bar, 20.0, 20.0, std::f32::consts::FRAC_PI_2);
        assert!(out.get(20, 12) > 0.9 && out.get(12, 20) < 0.1);
        out.box_blur(1);
        assert!(out.data.iter().all(|v| (0.0..=1.0 + 1e-5).contains(v)));
    }
}
