//! Images with their channel count in the type, and the pixel operations the stages use.

mod closing;
mod decode;
mod gray;
mod homography;
mod quad;
mod resize;
mod rotate90;
mod sharpness;
mod warp_affine;
mod warp_perspective;

pub use closing::closing;
pub use decode::{DecodeLimits, decode};
pub use gray::to_gray;
pub use homography::Homography;
pub use quad::quad_bounds;
pub use resize::resize_bilinear;
pub use rotate90::rotate90_ccw;
pub use sharpness::laplacian_variance;
pub use warp_affine::{Affine, warp_affine};
pub use warp_perspective::warp_perspective;

use crate::ImageError;

/// An interleaved image of `C` channels of `T`, row-major, no padding between rows.
///
/// ```
/// use sealgate_pipeline::Image;
/// let img = Image::<u8, 3>::new(2, 1, vec![255, 0, 0, 0, 0, 255]).unwrap();
/// assert_eq!(img.pixel(1, 0), &[0, 0, 255]);
/// assert!(Image::<u8, 3>::new(2, 2, vec![0; 3]).is_err());
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Image<T, const C: usize> {
    width: usize,
    height: usize,
    data: Vec<T>,
}

/// 8-bit RGB, the pipeline's decoded frame.
pub type Rgb8 = Image<u8, 3>;
/// 8-bit grey.
pub type Gray8 = Image<u8, 1>;

/// `width * height * channels`, or a typed error when it overflows.
pub fn checked_len(width: usize, height: usize, channels: usize) -> Result<usize, ImageError> {
    width.checked_mul(height).and_then(|n| n.checked_mul(channels)).ok_or(ImageError::Overflow {
        width,
        height,
        channels,
    })
}

impl<T: Copy + Default, const C: usize> Image<T, C> {
    /// Wrap `data`; its length must be `width * height * C`.
    pub fn new(width: usize, height: usize, data: Vec<T>) -> Result<Self, ImageError> {
        if checked_len(width, height, C)? != data.len() {
            return Err(ImageError::Shape { width, height, channels: C, len: data.len() });
        }
        Ok(Image { width, height, data })
    }

    /// An image filled with `T::default()`.
    pub fn zeros(width: usize, height: usize) -> Result<Self, ImageError> {
        Ok(Image { width, height, data: vec![T::default(); checked_len(width, height, C)?] })
    }

    pub fn width(&self) -> usize {
        self.width
    }

    pub fn height(&self) -> usize {
        self.height
    }

    pub fn data(&self) -> &[T] {
        &self.data
    }

    pub fn data_mut(&mut self) -> &mut [T] {
        &mut self.data
    }

    pub fn into_data(self) -> Vec<T> {
        self.data
    }

    /// The pixel at `(x, y)`. Panics when out of bounds, like slice indexing.
    pub fn pixel(&self, x: usize, y: usize) -> &[T] {
        let i = (y * self.width + x) * C;
        &self.data[i..i + C]
    }

    /// One row of pixels.
    pub fn row(&self, y: usize) -> &[T] {
        &self.data[y * self.width * C..(y + 1) * self.width * C]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shape_is_checked() {
        assert!(Image::<u8, 1>::new(0, 0, vec![]).is_ok());
        assert!(matches!(Image::<u8, 3>::new(2, 2, vec![0; 11]), Err(ImageError::Shape { .. })));
        assert!(matches!(Image::<u8, 3>::zeros(usize::MAX, 2), Err(ImageError::Overflow { .. })));
    }
}
