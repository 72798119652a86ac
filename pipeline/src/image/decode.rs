//! Decode JPEG, PNG or WebP bytes into an upright RGB image.
//!
//! The header is read first and the pixel count checked against [`DecodeLimits`] before a single
//! pixel buffer is allocated, so a decompression bomb (a small file whose header claims a huge image)
//! costs nothing. EXIF orientation is applied, so a phone photo taken sideways comes out upright.

use std::io::Cursor;

use image::{ImageDecoder, ImageFormat, ImageReader};

use super::Rgb8;
use crate::ImageError;

/// Limits applied before decoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecodeLimits {
    /// Largest `width * height` accepted.
    pub max_pixels: u64,
}

impl DecodeLimits {
    /// 40 megapixels: above any phone or cabinet camera, far below what would exhaust memory.
    pub const DEFAULT: DecodeLimits = DecodeLimits { max_pixels: 40_000_000 };
}

impl Default for DecodeLimits {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// Decode `bytes` (JPEG, PNG or WebP) into RGB, upright per its EXIF orientation.
///
/// A panic inside a third-party codec on hostile input becomes [`ImageError::Corrupt`].
pub fn decode(bytes: &[u8], limits: DecodeLimits) -> Result<Rgb8, ImageError> {
    std::panic::catch_unwind(|| decode_unguarded(bytes, limits))
        .unwrap_or_else(|_| Err(ImageError::Corrupt("the image decoder failed on this input".into())))
}

fn decode_unguarded(bytes: &[u8], limits: DecodeLimits) -> Result<Rgb8, ImageError> {
    if bytes.is_empty() {
        return Err(ImageError::Empty);
    }
    let format =
        image::guess_format(bytes).map_err(|_| ImageError::UnsupportedFormat("unrecognised content".into()))?;
    if !matches!(format, ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP) {
        return Err(ImageError::UnsupportedFormat(format!("{format:?}")));
    }
    if format == ImageFormat::Jpeg && !ends_with_eoi(bytes) {
        // The JPEG decoder fills a cut-off scan with grey and reports success; an upload cut short
        // must not be analysed as if it were whole.
        return Err(ImageError::Corrupt("JPEG has no end-of-image marker (truncated)".into()));
    }
    let reader = || ImageReader::with_format(Cursor::new(bytes), format);

    // Header only: no pixel buffer yet.
    let (width, height) = reader().into_dimensions().map_err(map_err)?;
    let pixels = u64::from(width) * u64::from(height);
    if pixels > limits.max_pixels {
        return Err(ImageError::TooLarge { width: width.into(), height: height.into(), limit: limits.max_pixels });
    }
    if pixels == 0 {
        return Err(ImageError::TooSmall { width: width as usize, height: height as usize });
    }

    let mut r = reader();
    let mut codec_limits = image::Limits::default();
    codec_limits.max_image_width = Some(width);
    codec_limits.max_image_height = Some(height);
    // RGBA16 of the checked size, plus room for the codec's own buffers.
    codec_limits.max_alloc = Some(pixels * 8 + (64 << 20));
    r.limits(codec_limits);
    let mut decoder = r.into_decoder().map_err(map_err)?;
    let orientation = decoder.orientation().map_err(map_err)?;
    let mut img = image::DynamicImage::from_decoder(decoder).map_err(map_err)?;
    img.apply_orientation(orientation);
    let rgb = img.into_rgb8();
    let (w, h) = (rgb.width() as usize, rgb.height() as usize);
    Rgb8::new(w, h, rgb.into_raw())
}

/// True when the JPEG ends with its EOI marker (`FF D9`), ignoring trailing zero padding.
fn ends_with_eoi(bytes: &[u8]) -> bool {
    let end = bytes.iter().rposition(|&b| b != 0).map_or(0, |i| i + 1);
    end >= 2 && bytes[end - 2..end] == [0xFF, 0xD9]
}

fn map_err(e: image::ImageError) -> ImageError {
    match e {
        image::ImageError::Unsupported(u) => ImageError::UnsupportedFormat(u.to_string()),
        image::ImageError::Limits(l) => ImageError::Corrupt(format!("codec limit: {l}")),
        other => ImageError::Corrupt(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let img = image::RgbImage::from_pixel(width, height, image::Rgb([10, 200, 30]));
        let mut out = Vec::new();
        img.write_to(&mut Cursor::new(&mut out), ImageFormat::Png).expect("encode");
        out
    }

    #[test]
    fn decodes_a_png() {
        let img = decode(&png(3, 2), DecodeLimits::DEFAULT).expect("decode");
        assert_eq!((img.width(), img.height()), (3, 2));
        assert_eq!(img.pixel(2, 1), &[10, 200, 30]);
    }

    #[test]
    fn empty_text_and_truncated_inputs_are_typed_errors() {
        assert!(matches!(decode(&[], DecodeLimits::DEFAULT), Err(ImageError::Empty)));
        assert!(matches!(decode(b"hello, I am text", DecodeLimits::DEFAULT), Err(ImageError::UnsupportedFormat(_))));
        let p = png(64, 64);
        assert!(decode(&p[..p.len() / 2], DecodeLimits::DEFAULT).is_err());
        assert!(decode(&p[..20], DecodeLimits::DEFAULT).is_err());
        let mut jpeg = Vec::new();
        image::RgbImage::from_pixel(64, 64, image::Rgb([1, 2, 3]))
            .write_to(&mut Cursor::new(&mut jpeg), ImageFormat::Jpeg)
            .expect("jpeg");
        assert!(decode(&jpeg, DecodeLimits::DEFAULT).is_ok());
        assert!(matches!(decode(&jpeg[..jpeg.len() - 10], DecodeLimits::DEFAULT), Err(ImageError::Corrupt(_))));
    }

    /// A JPEG with an EXIF APP1 segment holding only the orientation tag.
    fn jpeg_with_orientation(width: u32, height: u32, orientation: u16) -> Vec<u8> {
        let img = image::RgbImage::from_fn(width, height, |x, _| image::Rgb([if x == 0 { 255 } else { 0 }, 0, 0]));
        let mut jpeg = Vec::new();
        img.write_to(&mut Cursor::new(&mut jpeg), ImageFormat::Jpeg).expect("jpeg");
        let mut tiff = b"II*\0\x08\0\0\0".to_vec();
        tiff.extend_from_slice(&1u16.to_le_bytes()); // one IFD entry
        tiff.extend_from_slice(&0x0112u16.to_le_bytes()); // Orientation
        tiff.extend_from_slice(&3u16.to_le_bytes()); // SHORT
        tiff.extend_from_slice(&1u32.to_le_bytes());
        tiff.extend_from_slice(&orientation.to_le_bytes());
        tiff.extend_from_slice(&[0, 0, 0, 0, 0, 0]); // padding of the value, next IFD = 0
        let mut app1 = b"Exif\0\0".to_vec();
        app1.extend_from_slice(&tiff);
        let mut out = jpeg[..2].to_vec();
        out.extend_from_slice(&[0xFF, 0xE1]);
        out.extend_from_slice(&((app1.len() + 2) as u16).to_be_bytes());
        out.extend_from_slice(&app1);
        out.extend_from_slice(&jpeg[2..]);
        out
    }

    #[test]
    fn exif_orientation_is_applied() {
        let upright = decode(&jpeg_with_orientation(40, 20, 1), DecodeLimits::DEFAULT).expect("decode");
        assert_eq!((upright.width(), upright.height()), (40, 20));
        // 6 = the camera was turned: rotate 90 degrees clockwise to view.
        let turned = decode(&jpeg_with_orientation(40, 20, 6), DecodeLimits::DEFAULT).expect("decode");
        assert_eq!((turned.width(), turned.height()), (20, 40));
        // The red first column ends up as the first row.
        assert!(turned.pixel(10, 0)[0] > 150 && turned.pixel(10, 39)[0] < 100);
    }

    #[test]
    fn pixel_limit_is_checked_from_the_header() {
        let p = png(100, 100);
        let limits = DecodeLimits { max_pixels: 9_999 };
        assert!(matches!(decode(&p, limits), Err(ImageError::TooLarge { width: 100, height: 100, .. })));
    }
}
