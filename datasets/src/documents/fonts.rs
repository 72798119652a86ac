//! The CJK fonts documents and seals are set in, from Debian packages: each file is read once per
//! process, the Simplified Chinese face of a collection is chosen by its family name, and a
//! character a face lacks is taken from the next face in a fallback chain.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use ab_glyph::{Font, FontVec, GlyphId, PxScale};
use serde::{Deserialize, Serialize};

use super::error::FontError;

/// A font face used for documents or seals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Face {
    /// Noto Sans CJK SC Regular (黑体).
    NotoSans,
    /// Noto Sans CJK SC Bold.
    NotoSansBold,
    /// Noto Serif CJK SC Regular (宋体).
    NotoSerif,
    /// WenQuanYi Zen Hei.
    ZenHei,
    /// WenQuanYi Micro Hei.
    MicroHei,
    /// AR PL UMing CN (明体, close to 宋体).
    UMing,
    /// AR PL UKai CN (楷体).
    UKai,
}

struct Spec {
    path: &'static str,
    package: &'static str,
    family: &'static str,
    fallback_index: u32,
}

impl Face {
    pub const ALL: [Face; 7] =
        [Face::NotoSans, Face::NotoSansBold, Face::NotoSerif, Face::ZenHei, Face::MicroHei, Face::UMing, Face::UKai];

    fn spec(self) -> Spec {
        let (path, package, family, fallback_index) = match self {
            Face::NotoSans => {
                ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "fonts-noto-cjk", "Noto Sans CJK SC", 2)
            }
            Face::NotoSansBold => {
                ("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", "fonts-noto-cjk", "Noto Sans CJK SC", 2)
            }
            Face::NotoSerif => {
                ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", "fonts-noto-cjk", "Noto Serif CJK SC", 2)
            }
            Face::ZenHei => {
                ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", "fonts-wqy-zenhei", "WenQuanYi Zen Hei", 0)
            }
            Face::MicroHei => {
                ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", "fonts-wqy-microhei", "WenQuanYi Micro Hei", 0)
            }
            Face::UMing => ("/usr/share/fonts/truetype/arphic/uming.ttc", "fonts-arphic-uming", "AR PL UMing CN", 0),
            Face::UKai => ("/usr/share/fonts/truetype/arphic/ukai.ttc", "fonts-arphic-ukai", "AR PL UKai CN", 0),
        };
        Spec { path, package, family, fallback_index }
    }

    /// The Debian package that provides this face.
    pub fn package(self) -> &'static str {
        self.spec().package
    }

    /// The loaded face (read from disk on first use, then shared).
    pub fn font(self) -> Result<&'static FontVec, FontError> {
        self.loaded().map(|l| &l.font)
    }

    /// The family name of the face actually loaded (from the font's `name` table).
    pub fn family(self) -> Result<Option<&'static str>, FontError> {
        self.loaded().map(|l| l.family.as_deref())
    }

    fn loaded(self) -> Result<&'static Loaded, FontError> {
        static CACHE: [OnceLock<Result<Loaded, FontError>>; 7] = [const { OnceLock::new() }; 7];
        let slot = &CACHE[Face::ALL.iter().position(|&f| f == self).unwrap_or(0)];
        slot.get_or_init(|| load(&self.spec())).as_ref().map_err(Clone::clone)
    }
}

/// A face read from its file: the font and the family name of the face chosen in the collection.
struct Loaded {
    font: FontVec,
    family: Option<String>,
}

fn load(spec: &Spec) -> Result<Loaded, FontError> {
    let path = PathBuf::from(spec.path);
    let bytes = std::fs::read(&path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => FontError::Missing { path: path.clone(), package: spec.package },
        _ => FontError::Read { path: path.clone(), package: spec.package, reason: e.to_string() },
    })?;
    let offsets = face_offsets(&bytes).unwrap_or_default();
    let names: Vec<Vec<String>> = offsets.iter().map(|&off| family_names(&bytes, off)).collect();
    let index = names.iter().position(|n| n.iter().any(|n| n == spec.family)).map_or(spec.fallback_index, |i| i as u32);
    let family = names.get(index as usize).and_then(|n| n.first().cloned());
    let invalid = |reason: String| FontError::Invalid { path: path.clone(), package: spec.package, reason };
    let font = FontVec::try_from_vec_and_index(bytes, index).map_err(|e| invalid(format!("face {index}: {e}")))?;
    if font.glyph_id('合').0 == 0 {
        return Err(invalid(format!("face {index} has no glyph for 合")));
    }
    Ok(Loaded { font, family })
}

fn be16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*b.get(at)?, *b.get(at + 1)?]))
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes([*b.get(at)?, *b.get(at + 1)?, *b.get(at + 2)?, *b.get(at + 3)?]))
}

/// Offsets of each face's table directory: one for a plain font, `numFonts` for a `ttcf` collection.
fn face_offsets(bytes: &[u8]) -> Option<Vec<usize>> {
    if bytes.get(0..4)? != b"ttcf" {
        return Some(vec![0]);
    }
    let n = be32(bytes, 8)? as usize;
    (0..n.min(64)).map(|i| be32(bytes, 12 + 4 * i).map(|o| o as usize)).collect()
}

/// Family names (name IDs 16 and 1, Windows Unicode or Mac Roman) of the face at `offset`.
fn family_names(bytes: &[u8], offset: usize) -> Vec<String> {
    family_names_inner(bytes, offset).unwrap_or_default()
}

fn family_names_inner(bytes: &[u8], offset: usize) -> Option<Vec<String>> {
    let tables = be16(bytes, offset + 4)? as usize;
    let name = (0..tables).find_map(|i| {
        let rec = offset + 12 + 16 * i;
        (bytes.get(rec..rec + 4)? == b"name").then(|| be32(bytes, rec + 8))?
    })? as usize;
    let count = be16(bytes, name + 2)? as usize;
    let strings = name + be16(bytes, name + 4)? as usize;
    let mut out = Vec::new();
    for i in 0..count {
        let rec = name + 6 + 12 * i;
        let (platform, name_id) = (be16(bytes, rec)?, be16(bytes, rec + 6)?);
        if name_id != 1 && name_id != 16 {
            continue;
        }
        let (len, off) = (be16(bytes, rec + 8)? as usize, be16(bytes, rec + 10)? as usize);
        let raw = bytes.get(strings + off..strings + off + len)?;
        let text = match platform {
            0 | 3 => {
                let units: Vec<u16> = raw.chunks_exact(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect();
                String::from_utf16_lossy(&units)
            }
            1 => raw.iter().map(|&b| char::from(b)).collect(),
            _ => continue,
        };
        if !out.contains(&text) {
            out.push(text);
        }
    }
    Some(out)
}

/// The `PxScale` at which one em of `font` is `em_px` pixels wide (ab_glyph scales by the font's
/// ascent-to-descent height, which differs between faces).
pub fn em_scale(font: &FontVec, em_px: f32) -> PxScale {
    let upm = font.units_per_em().unwrap_or(1000.0).max(1.0);
    let height = font.height_unscaled();
    let k = if height > 0.0 { height / upm } else { 1.0 };
    PxScale::from(em_px * k)
}

/// A primary face and the faces tried, in order, for characters it lacks.
#[derive(Debug, Clone)]
pub struct FontChain {
    faces: Vec<(Face, &'static FontVec)>,
}

impl FontChain {
    /// `primary` first, then Noto Sans, Noto Serif and WenQuanYi Zen Hei as fallbacks. The primary face
    /// must load; a fallback that is missing is skipped.
    pub fn new(primary: Face) -> Result<FontChain, FontError> {
        let mut faces = vec![(primary, primary.font()?)];
        for f in [Face::NotoSans, Face::NotoSerif, Face::ZenHei] {
            if f != primary
                && let Ok(font) = f.font()
            {
                faces.push((f, font));
            }
        }
        Ok(FontChain { faces })
    }

    pub fn primary(&self) -> Face {
        self.faces[0].0
    }

    /// The first face of the chain that has a glyph for `c`, with that glyph; `None` when no face has
    /// one (the character is then skipped).
    pub fn glyph(&self, c: char) -> Option<(&'static FontVec, GlyphId)> {
        self.faces.iter().find_map(|&(_, f)| {
            let id = f.glyph_id(c);
            (id.0 != 0).then_some((f, id))
        })
    }
}

/// The font files that are absent, with the Debian package of each.
pub fn missing_fonts() -> Vec<(&'static Path, &'static str)> {
    Face::ALL
        .iter()
        .map(|f| f.spec())
        .filter(|s| !Path::new(s.path).is_file())
        .map(|s| (Path::new(s.path), s.package))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simplified_chinese_faces_are_chosen_by_family_name() {
        assert_eq!(Face::NotoSans.family().expect("fonts-noto-cjk"), Some("Noto Sans CJK SC"));
        assert_eq!(Face::NotoSerif.family().expect("fonts-noto-cjk"), Some("Noto Serif CJK SC"));
        assert_eq!(Face::NotoSansBold.family().expect("fonts-noto-cjk"), Some("Noto Sans CJK SC"));
        for face in Face::ALL {
            let font = face.font().unwrap_or_else(|e| panic!("{e}"));
            assert_ne!(font.glyph_id('章').0, 0, "{face:?}");
        }
        assert!(missing_fonts().is_empty());
    }

    #[test]
    fn fallback_supplies_missing_characters_and_garbage_is_not_a_font() {
        let chain = FontChain::new(Face::UKai).expect("fonts-arphic-ukai");
        for c in "合同¥（）：、，。0123456789".chars() {
            assert!(chain.glyph(c).is_some(), "{c}");
        }
        assert!(chain.glyph('\u{10FFFD}').is_none());
        assert_eq!(face_offsets(b"ttcf\0\0\0\0"), None);
        assert!(family_names(b"\0\x01\0\0\0\x05", 0).is_empty());
        assert!(face_offsets(&[]).is_none());
    }
}
