//! Interleaved u8 pixels to planar f32 tensors, in the channel order a model wants.

use crate::image::Rgb8;

/// Channel order of a model input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChannelOrder {
    Rgb,
    Bgr,
}

/// Write `img` into `out` (length `3 * out_h * out_w`) as planar `[3, out_h, out_w]` values 0..255,
/// top-left aligned; the area beyond the image stays as it was (callers zero it for padding).
pub fn write_planar(img: &Rgb8, order: ChannelOrder, out_w: usize, out_h: usize, out: &mut [f32]) {
    debug_assert!(img.width() <= out_w && img.height() <= out_h && out.len() == 3 * out_w * out_h);
    let plane = out_w * out_h;
    let map = match order {
        ChannelOrder::Rgb => [0, 1, 2],
        ChannelOrder::Bgr => [2, 1, 0],
    };
    for y in 0..img.height() {
        let row = img.row(y);
        for (x, p) in row.chunks_exact(3).enumerate() {
            let i = y * out_w + x;
            for (c, &src_c) in map.iter().enumerate() {
                out[c * plane + i] = f32::from(p[src_c]);
            }
        }
    }
}
