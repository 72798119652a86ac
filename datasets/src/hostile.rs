//! Hostile inputs: what a forged or broken device might upload in place of a photo.

use std::io::Cursor;

/// A named hostile input.
#[derive(Debug, Clone)]
pub struct Hostile {
    pub name: &'static str,
    pub bytes: Vec<u8>,
}

/// A plain JPEG of a smooth gradient (no face), `width` x `height`.
pub fn gradient_jpeg(width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x * 255 / width.max(1)) as u8, (y * 255 / height.max(1)) as u8, 128])
    });
    let mut out = Vec::new();
    img.write_to(&mut Cursor::new(&mut out), image::ImageFormat::Jpeg).expect("in-memory JPEG encoding cannot fail");
    out
}

/// A 1x1 PNG.
pub fn one_pixel_png() -> Vec<u8> {
    let mut out = Vec::new();
    image::RgbImage::from_pixel(1, 1, image::Rgb([200, 180, 160]))
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .expect("in-memory PNG encoding cannot fail");
    out
}

/// A well-formed PNG header claiming `width` x `height` RGB pixels, followed by a tiny IDAT and IEND:
/// a decompression bomb as far as any decoder that trusts the header is concerned.
pub fn png_bomb_header(width: u32, height: u32) -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]); // 8-bit RGB, deflate, no filter, no interlace
    chunk(&mut out, b"IHDR", &ihdr);
    // zlib stream of a few zero bytes (stored block).
    chunk(&mut out, b"IDAT", &[0x78, 0x01, 0x01, 0x04, 0x00, 0xfb, 0xff, 0, 0, 0, 0, 0x00, 0x00, 0x00, 0x01]);
    chunk(&mut out, b"IEND", &[]);
    out
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let start = out.len();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crc32(&out[start..]);
    out.extend_from_slice(&crc.to_be_bytes());
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 { (crc >> 1) ^ 0xedb8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

/// Every hostile input of the face issue: empty, truncated JPEG, text named .jpg, a PNG whose header
/// claims 100000x100000 pixels, a 1x1 image, and an image with no face.
pub fn all() -> Vec<Hostile> {
    let jpeg = gradient_jpeg(640, 480);
    vec![
        Hostile { name: "empty", bytes: Vec::new() },
        Hostile { name: "truncated_jpeg", bytes: jpeg[..jpeg.len() / 3].to_vec() },
        Hostile { name: "text_named_jpg", bytes: b"this is not an image, despite its .jpg name\n".to_vec() },
        Hostile { name: "png_bomb_100000x100000", bytes: png_bomb_header(100_000, 100_000) },
        Hostile { name: "one_pixel", bytes: one_pixel_png() },
        Hostile { name: "no_face", bytes: jpeg },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc_matches_the_png_reference_value() {
        // CRC of "IEND" is fixed by the PNG spec.
        assert_eq!(crc32(b"IEND"), 0xae42_6082);
    }

    #[test]
    fn bomb_header_parses_as_the_claimed_size() {
        let bytes = png_bomb_header(100_000, 100_000);
        let dims = image::ImageReader::with_format(Cursor::new(&bytes), image::ImageFormat::Png)
            .into_dimensions()
            .expect("header");
        assert_eq!(dims, (100_000, 100_000));
    }
}
