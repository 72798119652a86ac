//! A minimal PDF writer for tests: page images, optionally with an invisible text layer.
//!
//! [`image_pdf`] makes what a scanner with OCR (or a "print to PDF" of a scan) makes: one page per image,
//! the image embedded as JPEG (`DCTDecode`) filling the page, and when text is given an invisible text
//! layer (text render mode 3) with each line at its box. The text uses one Type0 font, `Identity-H`
//! encoding, not embedded, whose CIDs are numbered per document and mapped back to Unicode by a
//! `ToUnicode` CMap, so extractors (poppler's `pdftotext`) recover the exact strings, CJK included.
//! Widths are 1000 units for wide (CJK, fullwidth) characters and 500 for the rest, and each line is
//! stretched horizontally (`Tz`) to its box's width, so the extracted boxes match the given ones.
//!
//! [`many_pages_pdf`] makes a PDF of many tiny blank pages, for page-count limits.

use std::collections::BTreeMap;
use std::fmt::Write as _;

/// One line of a page's text layer: its text and its box `[x0, y0, x1, y1]` in pixels of the page image.
pub type TextLine = (String, [f32; 4]);

/// Font ascent and descent in thousandths of the font size; they add up to 1000 so that a line's font
/// size is its box's height.
const ASCENT: i32 = 880;
const DESCENT: i32 = -120;

/// A PDF with one page per image, each page `width x height` pixels at `dpi` (so 1240 x 1754 at 150 dpi
/// is A4), the image embedded as a JPEG (quality 92). When `text` is `Some`, `text[i]` is page `i`'s
/// invisible text layer (pages past its end get none); boxes are in the image's pixels, top-left origin.
///
/// Panics when a page has no pixels or `dpi` is not positive (test data: a programming error).
pub fn image_pdf(pages: &[image::RgbImage], text: Option<&[Vec<TextLine>]>, dpi: f32) -> Vec<u8> {
    assert!(dpi > 0.0, "dpi must be positive");
    let text = text.unwrap_or(&[]);
    let cids = CidMap::new(text.iter().flatten().map(|(s, _)| s.as_str()));
    let pt = 72.0 / dpi;

    let mut pdf = Writer::default();
    let catalog = pdf.reserve();
    let pages_id = pdf.reserve();
    let font = (!cids.is_empty()).then(|| write_font(&mut pdf, &cids));

    let mut kids = Vec::with_capacity(pages.len());
    for (i, img) in pages.iter().enumerate() {
        assert!(img.width() > 0 && img.height() > 0, "page {i} has no pixels");
        let (w_pt, h_pt) = (img.width() as f32 * pt, img.height() as f32 * pt);

        let mut jpeg = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 92)
            .encode_image(img)
            .expect("in-memory JPEG encoding cannot fail");
        let image_id = pdf.stream(
            &format!(
                "/Type /XObject /Subtype /Image /Width {} /Height {} /ColorSpace /DeviceRGB /BitsPerComponent 8 \
                 /Filter /DCTDecode",
                img.width(),
                img.height()
            ),
            &jpeg,
        );

        let mut content = format!("q {} 0 0 {} 0 0 cm /Im0 Do Q\n", num(w_pt), num(h_pt));
        let lines = text.get(i).map_or(&[][..], Vec::as_slice);
        if font.is_some() && !lines.is_empty() {
            content.push_str("BT\n3 Tr\n");
            for (s, [x0, y0, x1, y1]) in lines {
                let codes = cids.encode(s);
                let units: i32 = s.chars().map(char_width).sum();
                if codes.is_empty() || units == 0 || y1 <= y0 || x1 <= x0 {
                    continue;
                }
                let size = (y1 - y0) * pt;
                let natural = units as f32 / 1000.0 * size;
                let tz = 100.0 * (x1 - x0) * pt / natural;
                let baseline = h_pt - (y0 * pt + size * ASCENT as f32 / 1000.0);
                let _ = writeln!(
                    content,
                    "/F1 {} Tf {} Tz 1 0 0 1 {} {} Tm <{codes}> Tj",
                    num(size),
                    num(tz),
                    num(x0 * pt),
                    num(baseline)
                );
            }
            content.push_str("ET\n");
        }
        let content_id = pdf.stream("", content.as_bytes());

        let fonts = font.map_or(String::new(), |f| format!(" /Font << /F1 {f} 0 R >>"));
        kids.push(pdf.object(format!(
            "<< /Type /Page /Parent {pages_id} 0 R /MediaBox [0 0 {} {}] /Resources << /XObject << /Im0 {image_id} \
             0 R >>{fonts} >> /Contents {content_id} 0 R >>",
            num(w_pt),
            num(h_pt)
        )));
    }
    pdf.set(pages_id, pages_dict(&kids));
    pdf.set(catalog, format!("<< /Type /Catalog /Pages {pages_id} 0 R >>"));
    pdf.finish(catalog)
}

/// A PDF of `pages` blank one-inch pages (a few dozen bytes each).
pub fn many_pages_pdf(pages: usize) -> Vec<u8> {
    let mut pdf = Writer::default();
    let catalog = pdf.reserve();
    let pages_id = pdf.reserve();
    let kids: Vec<usize> = (0..pages)
        .map(|_| pdf.object(format!("<< /Type /Page /Parent {pages_id} 0 R /MediaBox [0 0 72 72] /Resources << >> >>")))
        .collect();
    pdf.set(pages_id, pages_dict(&kids));
    pdf.set(catalog, format!("<< /Type /Catalog /Pages {pages_id} 0 R >>"));
    pdf.finish(catalog)
}

fn pages_dict(kids: &[usize]) -> String {
    let list: Vec<String> = kids.iter().map(|k| format!("{k} 0 R")).collect();
    format!("<< /Type /Pages /Kids [{}] /Count {} >>", list.join(" "), kids.len())
}

/// Width of a character in thousandths of the font size: 1000 for wide (CJK, fullwidth), else 500.
fn char_width(c: char) -> i32 {
    if is_wide(c) { 1000 } else { 500 }
}

fn is_wide(c: char) -> bool {
    matches!(u32::from(c),
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
}

/// The document's characters numbered from CID 1 (CID 0 is `.notdef`), in code point order.
struct CidMap(BTreeMap<char, u16>);

impl CidMap {
    fn new<'a>(strings: impl Iterator<Item = &'a str>) -> Self {
        let mut chars: BTreeMap<char, u16> = strings.flat_map(str::chars).map(|c| (c, 0)).collect();
        assert!(chars.len() < 0xFFFF, "more distinct characters than CIDs");
        for (cid, v) in (1u16..).zip(chars.values_mut()) {
            *v = cid;
        }
        CidMap(chars)
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `s` as hex of its two-byte CIDs (Identity-H).
    fn encode(&self, s: &str) -> String {
        s.chars().filter_map(|c| self.0.get(&c)).map(|cid| format!("{cid:04X}")).collect()
    }
}

/// Write the Type0 font (CIDFontType2 descendant, descriptor, ToUnicode) and return its object id.
fn write_font(pdf: &mut Writer, cids: &CidMap) -> usize {
    let name = "SealGateInvisibleText";
    let descriptor = pdf.object(format!(
        "<< /Type /FontDescriptor /FontName /{name} /Flags 4 /FontBBox [0 {DESCENT} 1000 {ASCENT}] /ItalicAngle 0 \
         /Ascent {ASCENT} /Descent {DESCENT} /CapHeight 700 /StemV 80 >>"
    ));
    let widths: Vec<String> = cids.0.iter().map(|(&c, cid)| format!("{cid} [{}]", char_width(c))).collect();
    let cid_font = pdf.object(format!(
        "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /{name} /CIDSystemInfo << /Registry (Adobe) /Ordering \
         (Identity) /Supplement 0 >> /FontDescriptor {descriptor} 0 R /DW 1000 /W [{}] /CIDToGIDMap /Identity >>",
        widths.join(" ")
    ));
    let to_unicode = pdf.stream("", to_unicode_cmap(cids).as_bytes());
    pdf.object(format!(
        "<< /Type /Font /Subtype /Type0 /BaseFont /{name} /Encoding /Identity-H /DescendantFonts [{cid_font} 0 R] \
         /ToUnicode {to_unicode} 0 R >>"
    ))
}

fn to_unicode_cmap(cids: &CidMap) -> String {
    let mut s = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo << /Registry (Adobe) \
         /Ordering (UCS) /Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    let entries: Vec<(&char, &u16)> = cids.0.iter().collect();
    for chunk in entries.chunks(100) {
        let _ = writeln!(s, "{} beginbfchar", chunk.len());
        for (c, cid) in chunk {
            let mut utf16 = [0u16; 2];
            let hex: String = c.encode_utf16(&mut utf16).iter().map(|u| format!("{u:04X}")).collect();
            let _ = writeln!(s, "<{cid:04X}> <{hex}>");
        }
        s.push_str("endbfchar\n");
    }
    s.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    s
}

/// A number as PDF writes it: up to four decimals, no exponent, no trailing zeros.
fn num(v: f32) -> String {
    let s = format!("{v:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}

/// Objects numbered from 1, written in order with a classic cross-reference table.
#[derive(Default)]
struct Writer {
    objects: Vec<Option<Vec<u8>>>,
}

impl Writer {
    fn reserve(&mut self) -> usize {
        self.objects.push(None);
        self.objects.len()
    }

    fn set(&mut self, id: usize, body: String) {
        self.objects[id - 1] = Some(body.into_bytes());
    }

    fn object(&mut self, body: String) -> usize {
        let id = self.reserve();
        self.set(id, body);
        id
    }

    /// A stream object with `dict_entries` (without `<<`, `>>` and `/Length`) and raw `data`.
    fn stream(&mut self, dict_entries: &str, data: &[u8]) -> usize {
        let mut body = format!("<< {dict_entries} /Length {} >>\nstream\n", data.len()).into_bytes();
        body.extend_from_slice(data);
        body.extend_from_slice(b"\nendstream");
        let id = self.reserve();
        self.objects[id - 1] = Some(body);
        id
    }

    fn finish(self, root: usize) -> Vec<u8> {
        let mut out = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n".to_vec();
        let mut offsets = Vec::with_capacity(self.objects.len());
        for (i, body) in self.objects.iter().enumerate() {
            offsets.push(out.len());
            out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
            out.extend_from_slice(body.as_deref().expect("every reserved object is set"));
            out.extend_from_slice(b"\nendobj\n");
        }
        let xref = out.len();
        let mut table = format!("xref\n0 {}\n0000000000 65535 f \n", self.objects.len() + 1);
        for off in offsets {
            let _ = writeln!(table, "{off:010} 00000 n ");
        }
        let _ = write!(
            table,
            "trailer\n<< /Size {} /Root {root} 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            self.objects.len() + 1
        );
        out.extend_from_slice(table.as_bytes());
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(hay: &[u8], needle: &[u8]) -> bool {
        hay.windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn image_pdf_has_header_pages_font_and_trailer() {
        let img = image::RgbImage::from_pixel(300, 200, image::Rgb([240, 240, 240]));
        let text = vec![vec![("甲方：A1".to_string(), [10.0, 20.0, 110.0, 40.0])]];
        let pdf = image_pdf(&[img.clone(), img], Some(&text), 150.0);
        assert!(pdf.starts_with(b"%PDF-1.7\n"));
        assert!(pdf.ends_with(b"%%EOF\n"));
        assert!(find(&pdf, b"/Count 2"));
        assert!(find(&pdf, b"/Filter /DCTDecode"));
        assert!(find(&pdf, b"/Encoding /Identity-H"));
        // 300 px at 150 dpi = 144 pt; 200 px = 96 pt.
        assert!(find(&pdf, b"/MediaBox [0 0 144 96]"));
        // CIDs in code point order: '1' 'A' '方' '甲' '：' -> 甲方：A1 = 4 3 5 2 1.
        assert!(find(&pdf, b"<00040003000500020001> Tj"));
        assert!(find(&pdf, b"<0004> <7532>"));
        assert!(find(&pdf, b"3 Tr"));
    }

    #[test]
    fn xref_offsets_point_at_objects() {
        let pdf = many_pages_pdf(3);
        let rfind = |needle: &[u8]| pdf.windows(needle.len()).rposition(|w| w == needle).expect("marker");
        let xref = rfind(b"\nxref\n") + 1;
        let tail = std::str::from_utf8(&pdf[xref..]).expect("ASCII tail");
        let start: usize = tail[tail.rfind("startxref\n").expect("startxref") + 10..]
            .lines()
            .next()
            .and_then(|l| l.parse().ok())
            .expect("offset");
        assert_eq!(start, xref);
        for (i, line) in tail.lines().skip(3).take(5).enumerate() {
            let off: usize = line[..10].parse().expect("offset");
            assert!(pdf[off..].starts_with(format!("{} 0 obj", i + 1).as_bytes()), "object {}", i + 1);
        }
        assert!(find(&pdf, b"/Count 3"));
    }

    #[test]
    fn numbers_are_plain_decimals() {
        assert_eq!(num(144.0), "144");
        assert_eq!(num(595.2), "595.2");
        assert_eq!(num(-0.00001), "0");
        assert_eq!(num(0.12345), "0.1235");
    }

    #[test]
    fn to_unicode_uses_surrogate_pairs_beyond_the_bmp() {
        let cids = CidMap::new(["𠀀a"].into_iter());
        let cmap = to_unicode_cmap(&cids);
        assert!(cmap.contains("<0001> <0061>"));
        assert!(cmap.contains("<0002> <D840DC00>"));
    }
}
