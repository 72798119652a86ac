//! PDF originals: page images and, where the PDF has one, the text layer with boxes.
//!
//! Poppler's command-line tools from Debian's `poppler-utils` do the PDF work, each run as a subprocess
//! under `prlimit --as` (an address-space cap) with a wall-clock deadline after which it is killed:
//!
//! 1. the bytes are checked here first: the `%PDF-` header ([`is_pdf`]), the size limit, and a `%%EOF`
//!    marker in the last KiB (a file cut short in transit is refused as [`PdfError::Damaged`] rather
//!    than rendered as whatever poppler can salvage);
//! 2. `pdfinfo` gives the page count, the encryption flag and each page's MediaBox, so a PDF with too
//!    many pages ([`PdfError::TooManyPages`]), an encrypted one ([`PdfError::Encrypted`]; no password is
//!    ever tried) or a page that would render too large ([`PdfError::PageTooLarge`]) is refused before
//!    anything is rendered. A structure poppler has to repair ("Syntax Error" from `pdfinfo`: broken
//!    cross-reference table or trailer) is refused as damaged: an approved original is a clean file;
//! 3. `pdftotext -bbox-layout` gives every page's words and lines with boxes in PDF points, parsed by a
//!    small reader of its XHTML (the only markup it writes; text and attribute values are escaped);
//! 4. `pdftoppm -png` renders each page (one process per page, so the deadline and the memory cap are
//!    per page) and the PNG is decoded with [`crate::image::decode`] under the page pixel limit.
//!
//! Poppler reads files, so the bytes go to a private directory (mode 0700, unique name, created
//! atomically under [`std::env::temp_dir`]) holding the input (0600, `create_new`) and the tools'
//! outputs; it is removed when reading ends, whatever the outcome. Poppler's stderr can be noisy (font
//! substitution, content-stream warnings); errors keep a short excerpt of it only.

use std::ffi::OsStr;
use std::fmt::Write as _;
use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::ImageError;
use crate::image::{DecodeLimits, Rgb8, decode};

/// Debian package of `pdfinfo`, `pdftotext` and `pdftoppm`.
pub const POPPLER_PACKAGE: &str = "poppler-utils";

/// Largest `pdftotext` output read (XHTML of all pages' words).
const MAX_TEXT_LAYER_BYTES: u64 = 64 << 20;
/// Largest `pdfinfo` output read.
const MAX_INFO_BYTES: u64 = 4 << 20;
/// How much of a tool's stderr is read, and how much of it an error keeps.
const MAX_STDERR_READ: u64 = 64 << 10;
const STDERR_EXCERPT_CHARS: usize = 600;

/// Limits on a PDF and on the poppler processes reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PdfLimits {
    /// Largest file accepted, in bytes.
    pub max_bytes: usize,
    /// Most pages accepted; checked with `pdfinfo` before anything is rendered.
    pub max_pages: usize,
    /// Rendering resolution, dots per inch (150: an A4 page is 1240 x 1754 pixels).
    pub dpi: u32,
    /// Address-space cap of each poppler process (`prlimit --as`), in bytes.
    pub memory_bytes: u64,
    /// Wall-clock limit of each poppler process; it is killed past it.
    pub timeout: Duration,
    /// Largest `width * height` of a rendered page; checked from the MediaBox before rendering.
    pub max_page_pixels: u64,
}

impl PdfLimits {
    /// 64 MiB, 50 pages, 150 dpi, 1 GiB and 30 s per process, 40 megapixels per page (A0 at 150 dpi
    /// is 35).
    pub const DEFAULT: PdfLimits = PdfLimits {
        max_bytes: 64 << 20,
        max_pages: 50,
        dpi: 150,
        memory_bytes: 1 << 30,
        timeout: Duration::from_secs(30),
        max_page_pixels: DecodeLimits::DEFAULT.max_pixels,
    };
}

impl Default for PdfLimits {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// One word of a text layer; `bbox` is `[x0, y0, x1, y1]` in the rendered page image's pixels.
#[derive(Debug, Clone, PartialEq)]
pub struct PdfWord {
    pub text: String,
    pub bbox: [f32; 4],
}

/// One line of a text layer (poppler's grouping): its words joined (no space between two CJK words, a
/// space between others), its box in the rendered page image's pixels, and its words.
#[derive(Debug, Clone, PartialEq)]
pub struct PdfTextLine {
    pub text: String,
    pub bbox: [f32; 4],
    pub words: Vec<PdfWord>,
}

/// A rendered page and its text layer.
#[derive(Debug, Clone, PartialEq)]
pub struct PdfPage {
    pub image: Rgb8,
    /// `None` when the page has no text layer (a scan): no word at all on it.
    pub text_lines: Option<Vec<PdfTextLine>>,
}

/// Why a PDF could not be read. Callers making a security decision treat every variant as "deny".
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("not a PDF: no `%PDF-` header at the start of the file")]
    NotPdf,
    #[error("PDF of {bytes} bytes is over the limit of {max} bytes")]
    TooLarge { bytes: usize, max: usize },
    #[error("PDF is encrypted or password-protected; protected PDFs are not opened: submit an unprotected copy")]
    Encrypted,
    #[error("PDF has {pages} pages, over the limit of {max}; refused before rendering")]
    TooManyPages { pages: usize, max: usize },
    #[error("PDF is damaged or truncated: {0}")]
    Damaged(String),
    #[error("`{tool}` is not installed: install the Debian package `{package}`")]
    ToolMissing { tool: &'static str, package: &'static str },
    #[error("`{tool}` did not finish within {seconds:.1} s and was stopped")]
    Timeout { tool: &'static str, seconds: f64 },
    #[error("`{tool}` ran out of memory under its cap of {limit_bytes} bytes")]
    OutOfMemory { tool: &'static str, limit_bytes: u64 },
    #[error("`{tool}` failed ({status}): {stderr}")]
    Failed { tool: &'static str, status: String, stderr: String },
    #[error(
        "page {page} would render at {width}x{height} pixels, over the limit of {max} pixels; refused before rendering"
    )]
    PageTooLarge { page: usize, width: u64, height: u64, max: u64 },
    #[error("page {page}: rendered image unreadable: {source}")]
    PageImage { page: usize, source: ImageError },
    #[error("invalid PDF limits: {0}")]
    InvalidLimits(&'static str),
    #[error("temporary files for the PDF tools: {0}")]
    Io(#[from] io::Error),
}

/// True when `bytes` start with `%PDF-` and a version digit, after at most 1 KiB of whitespace, NULs or
/// a UTF-8 byte-order mark (what readers tolerate in front of the header; other junk is refused).
pub fn is_pdf(bytes: &[u8]) -> bool {
    let mut i = if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) { 3 } else { 0 };
    while i < bytes.len() && i < 1024 && matches!(bytes[i], b' ' | b'\t' | b'\r' | b'\n' | 0x0C | 0) {
        i += 1;
    }
    i < 1024 && bytes[i..].starts_with(b"%PDF-") && bytes.get(i + 5).is_some_and(u8::is_ascii_digit)
}

/// Render every page of the PDF in `bytes` at `limits.dpi` and read its text layer.
///
/// Nothing is rendered unless the whole file passes the checks of the module documentation.
pub fn read_pdf(bytes: &[u8], limits: &PdfLimits) -> Result<Vec<PdfPage>, PdfError> {
    if limits.dpi == 0 || limits.max_pages == 0 {
        return Err(PdfError::InvalidLimits("dpi and max_pages must be positive"));
    }
    if !is_pdf(bytes) {
        return Err(PdfError::NotPdf);
    }
    if bytes.len() > limits.max_bytes {
        return Err(PdfError::TooLarge { bytes: bytes.len(), max: limits.max_bytes });
    }
    let tail = &bytes[bytes.len().saturating_sub(1024)..];
    if !tail.windows(5).any(|w| w == b"%%EOF") {
        return Err(PdfError::Damaged("no `%%EOF` marker in the last KiB: the file is truncated".into()));
    }

    let work = WorkDir::new()?;
    let input = work.write_private("input.pdf", bytes)?;
    let tools = Tools::find()?;

    let info = pdf_info(&tools, &work, &input, limits)?;
    let text = text_layer(&tools, &work, &input, info.pages, limits)?;

    let mut pages = Vec::with_capacity(info.pages);
    for (i, page_text) in text.into_iter().enumerate() {
        let image = render_page(&tools, &work, &input, i + 1, limits)?;
        let text_lines = page_text.to_pixels(image.width(), image.height(), limits.dpi);
        pages.push(PdfPage { image, text_lines });
    }
    Ok(pages)
}

// ---------------------------------------------------------------------------------------------------
// pdfinfo

#[derive(Debug)]
struct PdfInfo {
    pages: usize,
}

fn pdf_info(tools: &Tools, work: &WorkDir, input: &Path, limits: &PdfLimits) -> Result<PdfInfo, PdfError> {
    let last = limits.max_pages.to_string();
    let args = [OsStr::new("-box"), "-f".as_ref(), "1".as_ref(), "-l".as_ref(), last.as_ref(), input.as_os_str()];
    let run = tools.run(Tool::Info, &args, work, limits)?;
    if !run.status.success() {
        let reason = if run.stderr.trim().is_empty() { "`pdfinfo` could not open it".into() } else { run.excerpt() };
        return Err(PdfError::Damaged(reason));
    }
    if run.stderr.contains("Syntax Error") {
        return Err(PdfError::Damaged(run.excerpt()));
    }
    let out = work.read_capped(&run.stdout, MAX_INFO_BYTES, Tool::Info)?;
    let out = String::from_utf8_lossy(&out);
    parse_info(&out, limits)
}

/// Read `pdfinfo -box -f 1 -l max_pages` output and apply the page-count, encryption and page-size checks.
///
/// `pdfinfo` prints the document's own strings (title, author...) first and unescaped, line breaks
/// included, so a title can hold a forged `Pages: 1` line; every field is therefore taken from its last
/// occurrence: what follows the metadata is poppler's own output (numbers and flags).
fn parse_info(out: &str, limits: &PdfLimits) -> Result<PdfInfo, PdfError> {
    let field = |name: &str| out.lines().filter_map(|l| l.strip_prefix(name)).map(str::trim).next_back();
    if field("Encrypted:").is_some_and(|v| v.starts_with("yes")) {
        return Err(PdfError::Encrypted);
    }
    let pages: usize = field("Pages:")
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| PdfError::Damaged("`pdfinfo` reported no page count".into()))?;
    if pages == 0 {
        return Err(PdfError::Damaged("the PDF has no pages".into()));
    }
    if pages > limits.max_pages {
        return Err(PdfError::TooManyPages { pages, max: limits.max_pages });
    }
    for page in 1..=pages {
        let prefix = |key: &str| {
            out.lines()
                .filter_map(|l| {
                    let rest = l.strip_prefix("Page")?.trim_start();
                    let (n, rest) = rest.split_once(char::is_whitespace)?;
                    (n.parse::<usize>().ok()? == page).then_some(())?;
                    rest.trim_start().strip_prefix(key).map(str::trim)
                })
                .next_back()
        };
        let media: Vec<f64> = prefix("MediaBox:")
            .map(|v| v.split_whitespace().filter_map(|x| x.parse().ok()).collect())
            .unwrap_or_default();
        let [x0, y0, x1, y1] = media[..] else {
            return Err(PdfError::Damaged(format!("`pdfinfo` gave no MediaBox for page {page}")));
        };
        let rotated = prefix("rot:").and_then(|v| v.parse::<i64>().ok()).is_some_and(|r| r.rem_euclid(180) == 90);
        let scale = f64::from(limits.dpi) / 72.0;
        let (mut w, mut h) = (px((x1 - x0).abs() * scale), px((y1 - y0).abs() * scale));
        if rotated {
            std::mem::swap(&mut w, &mut h);
        }
        if w.saturating_mul(h) > limits.max_page_pixels {
            return Err(PdfError::PageTooLarge { page, width: w, height: h, max: limits.max_page_pixels });
        }
    }
    Ok(PdfInfo { pages })
}

/// Pixels from a rendered length: rounded up as `pdftoppm` does, with a little slack for the decimals
/// `pdfinfo` prints (595.20 pt at 150 dpi is 1240 pixels, not 1241); saturating for absurd boxes.
fn px(v: f64) -> u64 {
    if v.is_finite() && v > 0.0 { (v - 0.01).ceil().clamp(0.0, u64::MAX as f64) as u64 } else { 0 }
}

// ---------------------------------------------------------------------------------------------------
// pdftotext

fn text_layer(
    tools: &Tools,
    work: &WorkDir,
    input: &Path,
    pages: usize,
    limits: &PdfLimits,
) -> Result<Vec<TextPage>, PdfError> {
    let last = pages.to_string();
    let out_path = work.path.join("text.xhtml");
    let args = [
        OsStr::new("-bbox-layout"),
        "-enc".as_ref(),
        "UTF-8".as_ref(),
        "-f".as_ref(),
        "1".as_ref(),
        "-l".as_ref(),
        last.as_ref(),
        input.as_os_str(),
        out_path.as_os_str(),
    ];
    let run = tools.run(Tool::Text, &args, work, limits)?;
    run.check()?;
    let xhtml = work.read_capped(&out_path, MAX_TEXT_LAYER_BYTES, Tool::Text)?;
    let parsed = parse_bbox_layout(&String::from_utf8_lossy(&xhtml)).map_err(|reason| PdfError::Failed {
        tool: Tool::Text.name(),
        status: "unreadable output".into(),
        stderr: reason,
    })?;
    if parsed.len() != pages {
        return Err(PdfError::Failed {
            tool: Tool::Text.name(),
            status: "unexpected output".into(),
            stderr: format!("{} pages of text for a PDF of {pages} pages", parsed.len()),
        });
    }
    Ok(parsed)
}

/// One page of `pdftotext -bbox-layout` output, in PDF points (origin top-left).
#[derive(Debug, Clone, PartialEq)]
struct TextPage {
    width: f32,
    height: f32,
    lines: Vec<PdfTextLine>,
}

impl TextPage {
    /// The lines in pixels of the page rendered at `image_w x image_h` (`None` when there are none).
    fn to_pixels(&self, image_w: usize, image_h: usize, dpi: u32) -> Option<Vec<PdfTextLine>> {
        if self.lines.is_empty() {
            return None;
        }
        let fallback = dpi as f32 / 72.0;
        let sx = if self.width > 0.0 { image_w as f32 / self.width } else { fallback };
        let sy = if self.height > 0.0 { image_h as f32 / self.height } else { fallback };
        let scale = |b: [f32; 4]| [b[0] * sx, b[1] * sy, b[2] * sx, b[3] * sy];
        Some(
            self.lines
                .iter()
                .map(|l| PdfTextLine {
                    text: l.text.clone(),
                    bbox: scale(l.bbox),
                    words: l.words.iter().map(|w| PdfWord { text: w.text.clone(), bbox: scale(w.bbox) }).collect(),
                })
                .collect(),
        )
    }
}

/// Parse the `<doc>` of `pdftotext -bbox-layout` XHTML: `<page width height>` holding `<flow>`,
/// `<block>`, `<line xMin yMin xMax yMax>` and `<word xMin yMin xMax yMax>text</word>`.
///
/// Reading starts at the last `<doc>`: poppler escapes word text and metadata, so markup inside the
/// document's strings cannot open a page or a word.
fn parse_bbox_layout(xml: &str) -> Result<Vec<TextPage>, String> {
    let start = xml.rfind("<doc>").ok_or("no <doc> element")?;
    let mut pages: Vec<TextPage> = Vec::new();
    let mut line: Option<([f32; 4], Vec<PdfWord>)> = None;
    let mut word: Option<([f32; 4], String)> = None;
    let mut pos = start;
    while let Some(lt) = xml[pos..].find('<').map(|i| pos + i) {
        if let Some((_, text)) = word.as_mut() {
            text.push_str(&unescape(&xml[pos..lt]));
        }
        let gt = xml[lt..].find('>').map(|i| lt + i).ok_or("unterminated tag")?;
        let tag = &xml[lt + 1..gt];
        pos = gt + 1;
        let name = tag.split(|c: char| c.is_whitespace() || c == '/').find(|s| !s.is_empty()).unwrap_or("");
        let closing = tag.starts_with('/');
        match (name, closing) {
            ("page", false) => {
                if line.is_some() || word.is_some() {
                    return Err("<page> inside a line".into());
                }
                let width = attr_f32(tag, "width")?;
                let height = attr_f32(tag, "height")?;
                pages.push(TextPage { width, height, lines: Vec::new() });
            }
            ("line", false) => {
                if pages.is_empty() || line.is_some() {
                    return Err("<line> outside a page or inside a line".into());
                }
                line = Some((bbox(tag)?, Vec::new()));
            }
            ("word", false) => {
                if line.is_none() || word.is_some() {
                    return Err("<word> outside a line or inside a word".into());
                }
                word = Some((bbox(tag)?, String::new()));
            }
            ("word", true) => {
                let (b, text) = word.take().ok_or("</word> without <word>")?;
                let words = &mut line.as_mut().ok_or("</word> outside a line")?.1;
                if !text.trim().is_empty() {
                    words.push(PdfWord { text: text.trim().to_string(), bbox: b });
                }
            }
            ("line", true) => {
                let (b, words) = line.take().ok_or("</line> without <line>")?;
                let page = pages.last_mut().ok_or("</line> outside a page")?;
                if !words.is_empty() {
                    page.lines.push(PdfTextLine { text: join_words(&words), bbox: b, words });
                }
            }
            ("doc", true) => return Ok(pages),
            _ => {}
        }
    }
    Err("no </doc>: output cut short".into())
}

fn bbox(tag: &str) -> Result<[f32; 4], String> {
    Ok([attr_f32(tag, "xMin")?, attr_f32(tag, "yMin")?, attr_f32(tag, "xMax")?, attr_f32(tag, "yMax")?])
}

fn attr_f32(tag: &str, name: &str) -> Result<f32, String> {
    let raw = attr(tag, name).ok_or_else(|| format!("attribute {name} missing"))?;
    raw.trim()
        .parse::<f32>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| format!("attribute {name}=\"{raw}\" is not a number"))
}

/// The value of attribute `name` in a tag's text (`word xMin="1.0" ...`), unescaped.
fn attr(tag: &str, name: &str) -> Option<String> {
    let mut rest = tag;
    while let Some(eq) = rest.find('=') {
        let key = rest[..eq].trim_end().rsplit(|c: char| c.is_whitespace()).next().unwrap_or("");
        let after = rest[eq + 1..].trim_start();
        let quote = after.chars().next().filter(|&q| q == '"' || q == '\'')?;
        let end = after[1..].find(quote)? + 1;
        if key == name {
            return Some(unescape(&after[1..end]));
        }
        rest = &after[end + 1..];
    }
    None
}

/// Replace XML character references and the five predefined entities; anything else is kept as is.
fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let decoded = rest.find(';').filter(|&semi| semi <= 10).and_then(|semi| {
            let c = match &rest[1..semi] {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                ent => {
                    let num = ent.strip_prefix('#')?;
                    let code = match num.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok(),
                        None => num.parse().ok(),
                    };
                    code.and_then(char::from_u32)
                }
            };
            c.map(|c| (c, semi))
        });
        match decoded {
            Some((c, semi)) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// A line's text from its words: no space between two CJK words; between a CJK word and a letter or
/// digit a space only where the words stand apart (a gap of a quarter of the line height), none
/// between a CJK word and punctuation (`甲方:`); between two non-CJK words a space (poppler splits
/// those at spaces).
fn join_words(words: &[PdfWord]) -> String {
    let mut text = String::new();
    let mut prev: Option<&PdfWord> = None;
    for w in words {
        if let (Some(p), Some(a), Some(b)) =
            (prev, prev.and_then(|p| p.text.chars().next_back()), w.text.chars().next())
        {
            let height = (p.bbox[3] - p.bbox[1]).max(w.bbox[3] - w.bbox[1]);
            let gap = w.bbox[0] - p.bbox[2];
            let space = match (is_cjk(a), is_cjk(b)) {
                (true, true) => false,
                (false, false) => true,
                (true, false) => b.is_alphanumeric() && gap >= 0.25 * height,
                (false, true) => a.is_alphanumeric() && gap >= 0.25 * height,
            };
            if space {
                text.push(' ');
            }
        }
        text.push_str(&w.text);
        prev = Some(w);
    }
    text
}

/// Characters written without spaces between words: Han, kana, CJK and fullwidth punctuation.
fn is_cjk(c: char) -> bool {
    matches!(u32::from(c),
        0x2E80..=0x2FDF | 0x3000..=0x30FF | 0x3100..=0x31FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
}

// ---------------------------------------------------------------------------------------------------
// pdftoppm

fn render_page(tools: &Tools, work: &WorkDir, input: &Path, page: usize, limits: &PdfLimits) -> Result<Rgb8, PdfError> {
    let n = page.to_string();
    let dpi = limits.dpi.to_string();
    let prefix = work.path.join("page");
    let args = [
        OsStr::new("-r"),
        dpi.as_ref(),
        "-png".as_ref(),
        "-f".as_ref(),
        n.as_ref(),
        "-l".as_ref(),
        n.as_ref(),
        "-singlefile".as_ref(),
        input.as_os_str(),
        prefix.as_os_str(),
    ];
    let run = tools.run(Tool::Render, &args, work, limits)?;
    run.check()?;
    let png_path = work.path.join("page.png");
    let png = fs::read(&png_path).map_err(|e| PdfError::Failed {
        tool: Tool::Render.name(),
        status: format!("no image for page {page} ({e})"),
        stderr: run.excerpt(),
    })?;
    // Best effort: the whole directory goes at the end anyway.
    let _ = fs::remove_file(&png_path);
    decode(&png, DecodeLimits { max_pixels: limits.max_page_pixels })
        .map_err(|source| PdfError::PageImage { page, source })
}

// ---------------------------------------------------------------------------------------------------
// Running the tools

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tool {
    Info,
    Text,
    Render,
}

impl Tool {
    fn name(self) -> &'static str {
        match self {
            Tool::Info => "pdfinfo",
            Tool::Text => "pdftotext",
            Tool::Render => "pdftoppm",
        }
    }
}

/// Absolute paths of `prlimit` and the poppler tools, found on `PATH` before anything runs.
struct Tools {
    prlimit: PathBuf,
    poppler: [PathBuf; 3],
}

impl Tools {
    fn find() -> Result<Self, PdfError> {
        let path = std::env::var_os("PATH");
        let find = |tool: &'static str, package: &'static str| {
            find_in_path(tool, path.as_deref()).ok_or(PdfError::ToolMissing { tool, package })
        };
        Ok(Tools {
            prlimit: find("prlimit", "util-linux")?,
            poppler: [
                find(Tool::Info.name(), POPPLER_PACKAGE)?,
                find(Tool::Text.name(), POPPLER_PACKAGE)?,
                find(Tool::Render.name(), POPPLER_PACKAGE)?,
            ],
        })
    }

    /// Run `tool args` under the memory cap and deadline, stdout and stderr to files in `work`.
    fn run(&self, tool: Tool, args: &[&OsStr], work: &WorkDir, limits: &PdfLimits) -> Result<Run, PdfError> {
        let stdout_path = work.next_path(tool.name(), "out");
        let stderr_path = work.next_path(tool.name(), "err");
        let stdout = File::options().write(true).create_new(true).mode(0o600).open(&stdout_path)?;
        let stderr = File::options().write(true).create_new(true).mode(0o600).open(&stderr_path)?;
        let mut child = Command::new(&self.prlimit)
            .arg(format!("--as={}", limits.memory_bytes))
            .arg("--")
            .arg(&self.poppler[tool as usize])
            .args(args)
            .current_dir(&work.path)
            .env("LC_ALL", "C")
            .stdin(Stdio::null())
            .stdout(stdout)
            .stderr(stderr)
            .spawn()
            .map_err(|e| match e.kind() {
                io::ErrorKind::NotFound => PdfError::ToolMissing { tool: "prlimit", package: "util-linux" },
                _ => PdfError::Io(e),
            })?;

        // `prlimit` execs the tool in place, so `child` is the tool itself and killing it stops it.
        let start = Instant::now();
        let mut pause = Duration::from_millis(1);
        let status = loop {
            if let Some(status) = child.try_wait()? {
                break status;
            }
            let elapsed = start.elapsed();
            if elapsed >= limits.timeout {
                let _ = child.kill();
                let _ = child.wait();
                return Err(PdfError::Timeout { tool: tool.name(), seconds: limits.timeout.as_secs_f64() });
            }
            std::thread::sleep(pause.min(limits.timeout - elapsed));
            pause = (pause * 2).min(Duration::from_millis(20));
        };

        let mut raw = Vec::new();
        File::open(&stderr_path)?.take(MAX_STDERR_READ).read_to_end(&mut raw)?;
        let stderr = String::from_utf8_lossy(&raw).into_owned();
        let run = Run { tool, status, stdout: stdout_path, stderr };
        if status.code() == Some(127) && run.stderr.contains("failed to execute") {
            return Err(PdfError::ToolMissing { tool: tool.name(), package: POPPLER_PACKAGE });
        }
        // Poppler reports allocation failures as "Out of memory" and may still exit 0 (with a 1x1 image).
        if ["Out of memory", "bad_alloc", "Cannot allocate memory"].iter().any(|m| run.stderr.contains(m)) {
            return Err(PdfError::OutOfMemory { tool: tool.name(), limit_bytes: limits.memory_bytes });
        }
        if run.stderr.contains("Incorrect password") {
            return Err(PdfError::Encrypted);
        }
        Ok(run)
    }
}

/// `tool` in the directories of `path` (a `PATH` value), if there as a file.
fn find_in_path(tool: &str, path: Option<&OsStr>) -> Option<PathBuf> {
    std::env::split_paths(path?).map(|dir| dir.join(tool)).find(|p| p.is_file())
}

/// A finished tool run.
struct Run {
    tool: Tool,
    status: ExitStatus,
    stdout: PathBuf,
    stderr: String,
}

impl Run {
    /// `Ok` when the tool exited with status 0.
    fn check(&self) -> Result<(), PdfError> {
        if self.status.success() {
            return Ok(());
        }
        if self.status.code() == Some(3) {
            // Poppler's "permission error": the document's permissions forbid this use.
            return Err(PdfError::Encrypted);
        }
        Err(PdfError::Failed { tool: self.tool.name(), status: describe(self.status), stderr: self.excerpt() })
    }

    fn excerpt(&self) -> String {
        stderr_excerpt(&self.stderr)
    }
}

fn describe(status: ExitStatus) -> String {
    match (status.code(), status.signal()) {
        (Some(code), _) => format!("exit status {code}"),
        (None, Some(sig)) => format!("killed by signal {sig}"),
        _ => status.to_string(),
    }
}

/// The first distinct lines of a tool's stderr, repeated lines counted, at most a few hundred characters.
fn stderr_excerpt(stderr: &str) -> String {
    let mut lines: Vec<(&str, usize)> = Vec::new();
    for line in stderr.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if let Some((_, n)) = lines.iter_mut().find(|(l, _)| *l == line) {
            *n += 1;
        } else if lines.len() < 8 {
            lines.push((line, 1));
        }
    }
    if lines.is_empty() {
        return "no message".into();
    }
    let mut out = String::new();
    for (line, n) in lines {
        if !out.is_empty() {
            out.push_str("; ");
        }
        out.push_str(line);
        if n > 1 {
            let _ = write!(out, " (x{n})");
        }
    }
    if out.chars().count() > STDERR_EXCERPT_CHARS {
        out = out.chars().take(STDERR_EXCERPT_CHARS).collect::<String>() + "...";
    }
    out
}

/// A private directory for one PDF: mode 0700, a unique name created atomically, removed on drop.
struct WorkDir {
    path: PathBuf,
}

static WORK_COUNTER: AtomicU64 = AtomicU64::new(0);

impl WorkDir {
    fn new() -> io::Result<Self> {
        let base = std::env::temp_dir();
        let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        let mut last_err = None;
        for _ in 0..16 {
            let n = WORK_COUNTER.fetch_add(1, Ordering::Relaxed);
            let path = base.join(format!("sealgate-pdf-{}-{nanos:x}-{n}", std::process::id()));
            // mkdir fails on any existing entry (a symlink included): nobody else's directory is used.
            match fs::DirBuilder::new().mode(0o700).create(&path) {
                Ok(()) => return Ok(WorkDir { path }),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last_err = Some(e),
                Err(e) => return Err(e),
            }
        }
        Err(last_err.unwrap_or_else(|| io::Error::other("no unique temporary directory name")))
    }

    /// Write `bytes` to a new file (0600) in the directory.
    fn write_private(&self, name: &str, bytes: &[u8]) -> io::Result<PathBuf> {
        let path = self.path.join(name);
        let mut file = File::options().write(true).create_new(true).mode(0o600).open(&path)?;
        file.write_all(bytes)?;
        Ok(path)
    }

    fn next_path(&self, stem: &str, ext: &str) -> PathBuf {
        let n = WORK_COUNTER.fetch_add(1, Ordering::Relaxed);
        self.path.join(format!("{stem}-{n}.{ext}"))
    }

    /// A tool's output file, refused when over `max` bytes.
    fn read_capped(&self, path: &Path, max: u64, tool: Tool) -> Result<Vec<u8>, PdfError> {
        let len = fs::metadata(path)?.len();
        if len > max {
            return Err(PdfError::Failed {
                tool: tool.name(),
                status: "output too large".into(),
                stderr: format!("{len} bytes of output, over the limit of {max}"),
            });
        }
        Ok(fs::read(path)?)
    }
}

impl Drop for WorkDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sealgate_datasets::pdf::{image_pdf, many_pages_pdf};

    const CJK_LINES: [(&str, [f32; 4]); 3] = [
        ("甲方：上海华信科技有限公司", [120.0, 200.0, 720.0, 240.0]),
        ("合同金额：人民币壹拾贰万元整（¥120,000.00）", [120.0, 300.0, 1080.0, 336.0]),
        ("Party B: Hello World & <Co>", [120.0, 400.0, 620.0, 430.0]),
    ];

    /// An A4 page at 150 dpi: light paper with a dark bar under each line's box.
    fn page_image() -> image::RgbImage {
        let mut img = image::RgbImage::from_pixel(1240, 1754, image::Rgb([246, 244, 240]));
        for (_, [x0, y0, x1, y1]) in CJK_LINES {
            for y in y0 as u32..y1 as u32 {
                for x in x0 as u32..x1 as u32 {
                    img.put_pixel(x, y, image::Rgb([30, 30, 40]));
                }
            }
        }
        img
    }

    fn text_pdf() -> Vec<u8> {
        let lines: Vec<(String, [f32; 4])> = CJK_LINES.iter().map(|(s, b)| (s.to_string(), *b)).collect();
        image_pdf(&[page_image()], Some(&[lines]), 150.0)
    }

    /// The error of a read that must fail (without printing the pages of one that did not).
    fn err(r: Result<Vec<PdfPage>, PdfError>) -> PdfError {
        match r {
            Ok(pages) => panic!("read {} pages where an error was expected", pages.len()),
            Err(e) => e,
        }
    }

    fn near(a: [f32; 4], b: [f32; 4], tol: f32) -> bool {
        a.iter().zip(b).all(|(x, y)| (x - y).abs() <= tol)
    }

    #[test]
    fn text_layer_comes_back_exact_with_boxes_in_pixels() {
        let pdf = text_pdf();
        let start = Instant::now();
        let pages = read_pdf(&pdf, &PdfLimits::DEFAULT).expect("read");
        // Measured: 0.24-0.33 s for this one-page A4 PDF at 150 dpi (pdfinfo, pdftotext, pdftoppm, PNG decode;
        // 2-core Debian 12 VM, poppler 22.12, test profile).
        eprintln!("one-page text PDF read in {:?}", start.elapsed());
        assert_eq!(pages.len(), 1);
        let page = &pages[0];
        assert_eq!((page.image.width(), page.image.height()), (1240, 1754));
        // The bar under the first line is dark, the margin light (JPEG round trip).
        assert!(page.image.pixel(400, 220).iter().all(|&v| v < 80));
        assert!(page.image.pixel(20, 20).iter().all(|&v| v > 200));
        let lines = page.text_lines.as_ref().expect("text layer");
        assert_eq!(lines.len(), CJK_LINES.len());
        for (line, (text, b)) in lines.iter().zip(CJK_LINES) {
            assert_eq!(line.text, text);
            assert!(near(line.bbox, b, 15.0), "{text}: {:?} vs {b:?}", line.bbox);
            for w in &line.words {
                assert!(w.bbox[0] >= b[0] - 15.0 && w.bbox[2] <= b[2] + 15.0, "{w:?}");
            }
        }
        let latin: Vec<&str> = lines[2].words.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(latin, ["Party", "B:", "Hello", "World", "&", "<Co>"]);
    }

    #[test]
    fn scanned_pages_have_no_text_layer() {
        let lines: Vec<(String, [f32; 4])> = CJK_LINES.iter().map(|(s, b)| (s.to_string(), *b)).collect();
        let small = image::RgbImage::from_pixel(300, 200, image::Rgb([200, 30, 30]));
        // Page 1 with text, page 2 a scan of another size.
        let pdf = image_pdf(&[page_image(), small], Some(&[lines]), 150.0);
        let pages = read_pdf(&pdf, &PdfLimits::DEFAULT).expect("read");
        assert_eq!(pages.len(), 2);
        assert!(pages[0].text_lines.is_some());
        assert!(pages[1].text_lines.is_none());
        assert_eq!((pages[1].image.width(), pages[1].image.height()), (300, 200));
        let px = pages[1].image.pixel(150, 100);
        assert!(px[0] > 170 && px[1] < 70 && px[2] < 70, "{px:?}");

        let scan = image_pdf(&[page_image()], None, 150.0);
        let pages = read_pdf(&scan, &PdfLimits::DEFAULT).expect("read");
        assert!(pages[0].text_lines.is_none());
        assert_eq!((pages[0].image.width(), pages[0].image.height()), (1240, 1754));
    }

    #[test]
    fn dpi_scales_the_image_and_the_boxes() {
        let limits = PdfLimits { dpi: 75, ..PdfLimits::DEFAULT };
        let pages = read_pdf(&text_pdf(), &limits).expect("read");
        assert_eq!((pages[0].image.width(), pages[0].image.height()), (620, 877));
        let lines = pages[0].text_lines.as_ref().expect("text layer");
        let [x0, y0, x1, y1] = CJK_LINES[0].1;
        assert!(near(lines[0].bbox, [x0 / 2.0, y0 / 2.0, x1 / 2.0, y1 / 2.0], 8.0), "{:?}", lines[0].bbox);
    }

    #[test]
    fn non_pdf_inputs_are_refused() {
        let limits = PdfLimits::DEFAULT;
        for bytes in [sealgate_datasets::hostile::one_pixel_png(), b"hello, I am text\n%PDF-1.7".to_vec(), Vec::new()] {
            assert!(matches!(read_pdf(&bytes, &limits), Err(PdfError::NotPdf)));
        }
        assert!(is_pdf(b"%PDF-1.7\n"));
        assert!(is_pdf(b"\xEF\xBB\xBF \r\n%PDF-2.0\n"));
        assert!(!is_pdf(b"%PDF-"));
        assert!(!is_pdf(b"junk%PDF-1.4"));
        let mut late = vec![b' '; 1100];
        late.extend_from_slice(b"%PDF-1.4");
        assert!(!is_pdf(&late));
    }

    #[test]
    fn damaged_pdfs_are_refused_with_a_reason() {
        let pdf = text_pdf();
        for cut in [pdf.len() / 2, pdf.len() - 20, 40] {
            let e = err(read_pdf(&pdf[..cut], &PdfLimits::DEFAULT));
            assert!(matches!(e, PdfError::Damaged(_)), "cut at {cut}: {e}");
            assert!(e.to_string().contains("truncated"), "{e}");
        }
        // Cut short, with an end marker put back: poppler finds no trailer.
        let mut patched = pdf[..pdf.len() / 2].to_vec();
        patched.extend_from_slice(b"\n%%EOF\n");
        let e = err(read_pdf(&patched, &PdfLimits::DEFAULT));
        assert!(matches!(&e, PdfError::Damaged(m) if m.contains("trailer")), "{e}");
        // The catalog points at an object that is not there.
        let root = b"/Root 1 0 R";
        let at = pdf.windows(root.len()).rposition(|w| w == root).expect("root");
        let mut broken = pdf.clone();
        broken[at..at + root.len()].copy_from_slice(b"/Root 9 0 R");
        let e = err(read_pdf(&broken, &PdfLimits::DEFAULT));
        assert!(matches!(e, PdfError::Damaged(_)), "{e}");
        // A header and an end marker with nothing readable between.
        let e = err(read_pdf(b"%PDF-1.7\nthis is not a PDF body\n%%EOF\n", &PdfLimits::DEFAULT));
        assert!(matches!(e, PdfError::Damaged(_)), "{e}");
    }

    fn qpdf_encrypt(pdf: &[u8], user: &str) -> Vec<u8> {
        let work = WorkDir::new().expect("work dir");
        let input = work.write_private("plain.pdf", pdf).expect("write");
        let output = work.path.join("encrypted.pdf");
        let status = Command::new("qpdf")
            .args(["--encrypt", user, "owner-secret", "256", "--"])
            .arg(&input)
            .arg(&output)
            .status()
            .expect("qpdf is installed (Debian package qpdf; scripts/common.sh installs it)");
        assert!(status.success(), "qpdf failed: {status}");
        fs::read(output).expect("encrypted PDF")
    }

    #[test]
    fn encrypted_pdfs_are_refused() {
        let pdf = text_pdf();
        // Opening needs a password: poppler asks for it, none is tried.
        let e = err(read_pdf(&qpdf_encrypt(&pdf, "user-secret"), &PdfLimits::DEFAULT));
        assert!(matches!(e, PdfError::Encrypted), "{e}");
        // Opens without one but is encrypted (owner password only): refused too.
        let e = err(read_pdf(&qpdf_encrypt(&pdf, ""), &PdfLimits::DEFAULT));
        assert!(matches!(e, PdfError::Encrypted), "{e}");
    }

    #[test]
    fn too_many_pages_are_refused_before_rendering() {
        let pdf = many_pages_pdf(500);
        let start = Instant::now();
        let e = err(read_pdf(&pdf, &PdfLimits::DEFAULT));
        let took = start.elapsed();
        // Measured: 18-33 ms (one `pdfinfo` run, nothing rendered; same machine).
        eprintln!("500-page PDF refused in {took:?}");
        assert!(matches!(e, PdfError::TooManyPages { pages: 500, max: 50 }), "{e}");
        assert!(took < Duration::from_secs(5), "{took:?}");
        // At the limit it is read.
        let pages = read_pdf(&many_pages_pdf(3), &PdfLimits { max_pages: 3, ..PdfLimits::DEFAULT }).expect("3 pages");
        assert_eq!(pages.len(), 3);
        assert!(pages.iter().all(|p| p.text_lines.is_none() && p.image.width() == 150));
    }

    #[test]
    fn size_and_page_pixel_limits_hold() {
        let pdf = text_pdf();
        let e = err(read_pdf(&pdf, &PdfLimits { max_bytes: 1000, ..PdfLimits::DEFAULT }));
        assert!(matches!(e, PdfError::TooLarge { max: 1000, .. }), "{e}");
        let limits = PdfLimits { max_page_pixels: 1_000_000, ..PdfLimits::DEFAULT };
        let e = err(read_pdf(&pdf, &limits));
        assert!(matches!(e, PdfError::PageTooLarge { page: 1, width: 1240, height: 1754, .. }), "{e}");
    }

    #[test]
    fn memory_cap_and_deadline_stop_the_tools() {
        let pdf = text_pdf();
        // A4 at 1200 dpi is 139 megapixels (417 MB of RGB): pdftoppm cannot allocate it under 200 MB.
        let limits = PdfLimits { dpi: 1200, memory_bytes: 200 << 20, max_page_pixels: u64::MAX, ..PdfLimits::DEFAULT };
        let e = err(read_pdf(&pdf, &limits));
        assert!(matches!(e, PdfError::OutOfMemory { tool: "pdftoppm", .. }), "{e}");
        let limits = PdfLimits { timeout: Duration::from_millis(1), ..PdfLimits::DEFAULT };
        let e = err(read_pdf(&pdf, &limits));
        assert!(matches!(e, PdfError::Timeout { tool: "pdfinfo", .. }), "{e}");
    }

    #[test]
    fn missing_tools_are_named_with_their_package() {
        assert!(find_in_path("sealgate-no-such-tool", std::env::var_os("PATH").as_deref()).is_none());
        assert!(find_in_path("pdfinfo", None).is_none());
        let err = PdfError::ToolMissing { tool: "pdftoppm", package: POPPLER_PACKAGE };
        assert_eq!(err.to_string(), "`pdftoppm` is not installed: install the Debian package `poppler-utils`");
    }

    #[test]
    fn work_dir_is_private_and_removed() {
        use std::os::unix::fs::PermissionsExt;
        let work = WorkDir::new().expect("work dir");
        let path = work.path.clone();
        let file = work.write_private("input.pdf", b"%PDF-1.7").expect("write");
        assert_eq!(fs::metadata(&path).expect("dir").permissions().mode() & 0o777, 0o700);
        assert_eq!(fs::metadata(&file).expect("file").permissions().mode() & 0o777, 0o600);
        assert!(work.write_private("input.pdf", b"again").is_err(), "create_new");
        drop(work);
        assert!(!path.exists());
    }

    fn word(text: &str, x0: f32, x1: f32) -> PdfWord {
        PdfWord { text: text.into(), bbox: [x0, 0.0, x1, 10.0] }
    }

    #[test]
    fn words_join_without_spaces_between_cjk() {
        assert_eq!(join_words(&[word("甲方：", 0.0, 30.0), word("上海", 31.0, 50.0)]), "甲方：上海");
        assert_eq!(join_words(&[word("Hello", 0.0, 30.0), word("World", 33.0, 60.0)]), "Hello World");
        assert_eq!(join_words(&[word("人民币", 0.0, 30.0), word("120", 30.5, 45.0)]), "人民币120");
        assert_eq!(join_words(&[word("人民币", 0.0, 30.0), word("120", 34.0, 45.0)]), "人民币 120");
        assert_eq!(
            join_words(&[word("甲方", 0.0, 20.0), word(":", 30.0, 31.0), word("上海", 40.0, 60.0)]),
            "甲方:上海"
        );
        assert_eq!(join_words(&[]), "");
    }

    #[test]
    fn entities_are_unescaped() {
        assert_eq!(
            unescape("a &amp; b &lt;c&gt; &quot;d&quot; &#39;e&apos; &#x4E2D;&#25991;"),
            "a & b <c> \"d\" 'e' 中文"
        );
        assert_eq!(unescape("AT&T &bogus; &#xZZ; &"), "AT&T &bogus; &#xZZ; &");
    }

    #[test]
    fn bbox_layout_parsing_ignores_metadata_and_rejects_cut_output() {
        let xhtml = r#"<html><head>
<title>&lt;doc&gt;&lt;page width=&quot;1&quot; height=&quot;1&quot;&gt;&lt;word&gt;FAKE&lt;/word&gt;</title>
<meta name="Subject" content="a&quot;b&lt;c&gt;"/>
</head><body>
<doc>
  <page width="595.200000" height="841.920000">
    <flow><block xMin="1" yMin="2" xMax="3" yMax="4">
      <line xMin="48.0" yMin="96.0" xMax="120.0" yMax="115.2">
        <word xMin="48.0" yMin="96.0" xMax="80.0" yMax="115.2">A&amp;B</word>
        <word xMin="85.0" yMin="96.0" xMax="120.0" yMax="115.2">&lt;x&gt;</word>
      </line>
    </block></flow>
  </page>
  <page width="72" height="72">
  </page>
</doc>
</body></html>"#;
        let pages = parse_bbox_layout(xhtml).expect("parse");
        assert_eq!(pages.len(), 2);
        assert_eq!(pages[0].lines.len(), 1);
        assert_eq!(pages[0].lines[0].text, "A&B <x>");
        assert_eq!(pages[0].lines[0].bbox, [48.0, 96.0, 120.0, 115.2]);
        assert!(pages[1].lines.is_empty());
        let px = pages[0].to_pixels(1240, 1754, 150).expect("lines");
        assert!(near(px[0].bbox, [100.0, 200.0, 250.0, 240.0], 0.01), "{:?}", px[0].bbox);
        assert_eq!(pages[1].to_pixels(150, 150, 150), None);

        assert!(parse_bbox_layout(&xhtml[..xhtml.find("</line>").expect("line")]).is_err());
        assert!(parse_bbox_layout("<html></html>").is_err());
        assert!(parse_bbox_layout(r#"<doc><page width="x" height="1"></page></doc>"#).is_err());
    }

    #[test]
    fn pdfinfo_fields_forged_in_the_title_are_ignored() {
        let out = "Title:           x\nPages: 1\nEncrypted: no\nPage    1 MediaBox: 0 0 1 1\nCustom Metadata: no\n\
                   Pages:           500\nEncrypted:       no\nPage    1 size:  72 x 72 pts\nFile size:       9 bytes\n";
        let e = parse_info(out, &PdfLimits::DEFAULT).map(|i| i.pages).expect_err("500 pages");
        assert!(matches!(e, PdfError::TooManyPages { pages: 500, .. }), "{e}");

        let out = "Title:           x\nEncrypted: no\nPage    1 MediaBox: 0 0 1 1\nPages:           1\n\
                   Encrypted:       yes (print:yes copy:no change:no addNotes:no algorithm:AES-256)\n";
        assert!(matches!(parse_info(out, &PdfLimits::DEFAULT), Err(PdfError::Encrypted)));

        let out = "Title: x\nPage    1 MediaBox: 0 0 1 1\nPages:           1\nEncrypted:       no\n\
                   Page    1 rot:   90\nPage    1 MediaBox:      0.00     0.00  5000.00   8000.00\n";
        let e = parse_info(out, &PdfLimits::DEFAULT).map(|i| i.pages).expect_err("page too large");
        assert!(matches!(e, PdfError::PageTooLarge { page: 1, width: 16667, height: 10417, .. }), "{e}");
    }

    #[test]
    fn stderr_excerpts_are_short() {
        let noisy = "Syntax Error: a\n".repeat(1000) + "Syntax Error: b\n";
        assert_eq!(stderr_excerpt(&noisy), "Syntax Error: a (x1000); Syntax Error: b");
        assert!(stderr_excerpt(&"x".repeat(5000)).chars().count() <= STDERR_EXCERPT_CHARS + 3);
        assert_eq!(stderr_excerpt("\n\n"), "no message");
    }
}
