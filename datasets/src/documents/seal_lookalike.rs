//! Look-alike wrong seals, for tests that a seal check tells the registered seal from a forgery or
//! another of the company's seals: the same outline, ink and layout, with one character of the name
//! changed (to a visually similar one where the table knows one: 海/梅, 东/车, 华/毕), the label
//! changed (合同专用章 for 财务专用章), the star a quarter larger or smaller, or another font.

use serde::{Deserialize, Serialize};

use super::error::DatasetError;
use super::fonts::{Face, FontChain};
use super::rng::Rng;
use super::seal::{SealParams, SealShape};

/// Pairs of visually similar characters (either may stand for the other), weighted towards those
/// common in company and personal names.
const SIMILAR_PAIRS: &str = "海梅 东车 华毕 科料 技枝 限很 司同 上土 士土 北比 天夫 大太 太犬 中申 申电 由甲 田由 国固 广厂 深探 市布 \
    博傅 远运 医区 疗疔 贸货 商啇 建健 设没 投没 金全 资姿 展屏 业亚 实买 达这 江汪 苏芬 浙淅 杭抗 西酉 安宋 成戍 \
    重垂 庆厌 武式 汉汊 沙抄 明朋 光先 宏宠 伟纬 佳桂 恒垣 瑞端 泰秦 源原 昌冒 隆降 通涌 联朕 合含 财材 务各 用甩 \
    章竟 之乏 人入 已己 未末 日曰 王玉 白自 木本 贝见 力刀 方万 千干 干于 宇字 永水 记纪 美姜 思恩 维推 能熊 码玛 \
    网冈 络洛 航舫 旅族 流琉 酒洒 茶荼 化代 传转 教救 育肓 管菅 理埋 询洵 团困 宝室 峰锋 晨晟 福褔 祥样 润涧 泽译 \
    龙尤 凤风 顺须 和知 平乎 康慷 健键 张弦 李季 刘浏 陈阵 杨扬 赵赶 周同 吴吕 孙逊 徐涂 林休 郑邦 朱未 高膏 何河 \
    郭廓 马乌 罗岁 梁粱 宋宗 谢榭 唐庸 冯冲 董堇 萧箫 程呈 袁哀 许浒 沈沉 曾增 彭膨 苏办 卢户 蒋将 蔡祭 丁了 魏巍 \
    阎闫 余佘 潘番 杜肚 戴载 夏复 钟钏 田甲 任仕 范苑 方放 石右 姚桃 谭潭 廖蓼 邹皱 陆陵 白百 崔催 康唐 毛手 邱丘 \
    史吏 顾领 侯候 邵绍 孟盂";

/// Characters for a replacement when no character of a name has a similar twin in the table.
const FALLBACK_CHARS: &str = "田由甲申中国王玉天夫东车华明光先金全安宋";

/// Generic endings of company names; a look-alike changes the distinctive part before them.
const GENERIC_SUFFIXES: [&str; 6] = ["股份有限公司", "有限责任公司", "集团有限公司", "有限公司", "集团", "公司"];

/// The purposes a seal's label may name.
const LABELS: [&str; 5] = ["合同专用章", "财务专用章", "发票专用章", "人事专用章", "业务专用章"];

/// Faces a seal may be engraved in.
const SEAL_FACES: [Face; 6] =
    [Face::NotoSerif, Face::NotoSansBold, Face::UMing, Face::NotoSans, Face::UKai, Face::ZenHei];

/// What to change in a look-alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LookAlikeKind {
    /// One character of the name (a similar-looking one when possible).
    NameCharacter,
    /// The label (合同专用章 instead of 财务专用章); round and oval seals.
    Label,
    /// The star 20% to 30% larger or smaller; seals with a star.
    StarSize,
    /// The typeface, from another style (宋, 黑, 楷).
    Font,
}

impl LookAlikeKind {
    pub const ALL: [LookAlikeKind; 4] =
        [LookAlikeKind::NameCharacter, LookAlikeKind::Label, LookAlikeKind::StarSize, LookAlikeKind::Font];
}

/// What a look-alike changed, for a manifest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LookAlikeChange {
    NameCharacter { index: usize, original: char, replacement: char, similar: bool },
    Label { original: String, replacement: String },
    StarSize { original: f32, replacement: f32 },
    Font { original: Face, replacement: Face },
}

/// A wrong seal that looks like the right one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LookAlike {
    pub params: SealParams,
    pub change: LookAlikeChange,
}

/// A look-alike of `p` with one change of `kind`: the same outline, ink, placement and ink texture.
/// A name character is changed in the name's distinctive part (before 有限公司 and the like): to a
/// similar character when that part has one in the table, to another common character otherwise.
/// Refuses invalid parameters and changes the seal cannot take (a label on a square seal, the star
/// of a seal without one).
pub fn look_alike(p: &SealParams, rng: &mut Rng, kind: LookAlikeKind) -> Result<LookAlike, DatasetError> {
    p.validate()?;
    match kind {
        LookAlikeKind::NameCharacter => change_name_character(p, rng),
        LookAlikeKind::Label => change_label(p, rng),
        LookAlikeKind::StarSize => change_star(p, rng),
        LookAlikeKind::Font => change_font(p, rng),
    }
}

fn inapplicable(what: &str) -> DatasetError {
    DatasetError::InvalidArgument(format!("look-alike: {what}"))
}

/// The characters the table says look like `c`.
pub fn similar_characters(c: char) -> Vec<char> {
    let mut twins: Vec<char> = SIMILAR_PAIRS
        .split_whitespace()
        .filter_map(|pair| {
            let mut it = pair.chars();
            match (it.next(), it.next()) {
                (Some(a), Some(b)) if a == c && b != c => Some(b),
                (Some(a), Some(b)) if b == c && a != c => Some(a),
                _ => None,
            }
        })
        .collect();
    twins.sort_unstable();
    twins.dedup();
    twins
}

/// How many leading characters of `name` are its distinctive part (before a generic suffix).
fn distinctive_len(name: &[char]) -> usize {
    let text: String = name.iter().collect();
    let suffix = GENERIC_SUFFIXES.iter().find(|s| text.ends_with(*s)).map_or(0, |s| s.chars().count());
    let rest = name.len().saturating_sub(suffix);
    if rest == 0 { name.len() } else { rest }
}

fn change_name_character(p: &SealParams, rng: &mut Rng) -> Result<LookAlike, DatasetError> {
    let chain = FontChain::new(p.face)?;
    let drawable = |c: char| chain.glyph(c).is_some();
    let name: Vec<char> = p.company.chars().collect();
    let usable = |i: &usize| name.get(*i).is_some_and(|c| !c.is_whitespace());
    let twins = |i: usize| -> Vec<char> {
        name.get(i).map(|&c| similar_characters(c).into_iter().filter(|&t| drawable(t)).collect()).unwrap_or_default()
    };
    let head = distinctive_len(&name);
    let with_twins: Vec<usize> = (0..head).filter(usable).filter(|&i| !twins(i).is_empty()).collect();
    let (index, replacement, similar) = if let Some(&i) = rng.choose(&with_twins) {
        let options = twins(i);
        let Some(&t) = rng.choose(&options) else { return Err(inapplicable("no similar character drawable")) };
        (i, t, true)
    } else {
        let positions: Vec<usize> = (0..head).filter(usable).collect();
        let Some(&i) = rng.choose(&positions) else { return Err(inapplicable("the seal has no lettering")) };
        let original = name.get(i).copied();
        let options: Vec<char> = FALLBACK_CHARS.chars().filter(|&c| Some(c) != original && drawable(c)).collect();
        let Some(&t) = rng.choose(&options) else { return Err(inapplicable("no replacement character drawable")) };
        (i, t, false)
    };
    let original = name.get(index).copied().ok_or_else(|| inapplicable("character index out of range"))?;
    let company: String = name.iter().enumerate().map(|(i, &c)| if i == index { replacement } else { c }).collect();
    Ok(LookAlike {
        params: SealParams { company, ..p.clone() },
        change: LookAlikeChange::NameCharacter { index, original, replacement, similar },
    })
}

fn change_label(p: &SealParams, rng: &mut Rng) -> Result<LookAlike, DatasetError> {
    if p.shape == SealShape::Square {
        return Err(inapplicable("a square seal has no label"));
    }
    // The classic swap first; any other purpose otherwise.
    let replacement = match p.label.as_str() {
        "合同专用章" => "财务专用章".to_string(),
        "财务专用章" => "合同专用章".to_string(),
        current => {
            let others: Vec<&str> = LABELS.iter().copied().filter(|l| *l != current).collect();
            rng.choose(&others).map(|l| l.to_string()).ok_or_else(|| inapplicable("no other label"))?
        }
    };
    Ok(LookAlike {
        params: SealParams { label: replacement.clone(), ..p.clone() },
        change: LookAlikeChange::Label { original: p.label.clone(), replacement },
    })
}

fn change_star(p: &SealParams, rng: &mut Rng) -> Result<LookAlike, DatasetError> {
    if p.shape == SealShape::Square || p.star_scale <= 0.0 {
        return Err(inapplicable("the seal has no star"));
    }
    let factor = rng.range_f32(0.2, 0.3);
    let replacement = p.star_scale * if rng.chance(0.5) { 1.0 + factor } else { 1.0 - factor };
    Ok(LookAlike {
        params: SealParams { star_scale: replacement, ..p.clone() },
        change: LookAlikeChange::StarSize { original: p.star_scale, replacement },
    })
}

/// The style family of a face: 黑体 (sans), 宋体 (serif) or 楷体.
fn style_of(face: Face) -> u8 {
    match face {
        Face::NotoSans | Face::NotoSansBold | Face::ZenHei | Face::MicroHei => 0,
        Face::NotoSerif | Face::UMing => 1,
        Face::UKai => 2,
    }
}

fn change_font(p: &SealParams, rng: &mut Rng) -> Result<LookAlike, DatasetError> {
    let others: Vec<Face> = SEAL_FACES.iter().copied().filter(|&f| style_of(f) != style_of(p.face)).collect();
    let replacement = *rng.choose(&others).ok_or_else(|| inapplicable("no face of another style"))?;
    FontChain::new(replacement)?;
    Ok(LookAlike {
        params: SealParams { face: replacement, ..p.clone() },
        change: LookAlikeChange::Font { original: p.face, replacement },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::documents::raster::Mask;
    use crate::documents::seal::Ink;
    use crate::documents::seal_shapes::SealGeometry;
    use crate::documents::seal_template::{render_template, template_mask};

    fn seal(shape: SealShape, seed: u64) -> SealParams {
        let mut rng = Rng::new(seed);
        let text = if shape == SealShape::Square { "王建国" } else { "上海华信科技有限公司" };
        let mut p = SealParams::random_shaped(&mut rng, shape, Ink::Red, text, "合同专用章", [300.0, 300.0]);
        if shape == SealShape::Oval {
            p.star_scale = 0.55;
        }
        p
    }

    /// Pixels of the outline's ring or border (between its inner edge and the outer edge).
    fn outline_pixels(m: &Mask, g: &SealGeometry) -> Vec<f32> {
        (0..m.width * m.height)
            .filter(|i| {
                let x = (i % m.width) as f32 + 0.5 - m.width as f32 / 2.0;
                let y = (i / m.width) as f32 + 0.5 - m.height as f32 / 2.0;
                g.contains(x, y, 1.0) && !g.contains(x, y, -g.ring + 1.5)
            })
            .filter_map(|i| m.data.get(i).copied())
            .collect()
    }

    #[test]
    fn look_alikes_differ_from_the_template_but_keep_its_outline() {
        for shape in SealShape::ALL {
            let p = seal(shape, 12);
            let original = template_mask(&p).expect("fonts installed");
            let g = SealGeometry::of(&p);
            for kind in LookAlikeKind::ALL {
                let mut rng = Rng::new(5);
                let fake = match look_alike(&p, &mut rng, kind) {
                    Ok(fake) => fake,
                    Err(_) if shape == SealShape::Square && kind != LookAlikeKind::NameCharacter => continue,
                    Err(e) => panic!("{shape:?} {kind:?}: {e}"),
                };
                let m = template_mask(&fake.params).expect("renders");
                assert_eq!((m.width, m.height), (original.width, original.height));
                let changed = m.data.iter().zip(&original.data).filter(|(a, b)| (*a - *b).abs() > 0.5).count();
                // Similar characters (技/枝) differ in a stroke or two: a few dozen pixels at least.
                assert!(changed > 25, "{shape:?} {:?}: {changed} pixels changed", fake.change);
                assert_eq!(outline_pixels(&m, &g), outline_pixels(&original, &g), "{shape:?} {kind:?}");
                assert_eq!(SealGeometry::of(&fake.params), g);
                assert!(fake.params.color == p.color && fake.params.ink_seed == p.ink_seed);
                assert_ne!(render_template(&fake.params).expect("renders"), render_template(&p).expect("renders"));
            }
        }
    }

    #[test]
    fn name_changes_use_a_similar_character_in_the_distinctive_part() {
        let p = seal(SealShape::Round, 1);
        let mut seen = std::collections::BTreeSet::new();
        for seed in 0..40 {
            let fake = look_alike(&p, &mut Rng::new(seed), LookAlikeKind::NameCharacter).expect("a look-alike");
            let LookAlikeChange::NameCharacter { index, original, replacement, similar } = fake.change else {
                panic!("{:?}", fake.change);
            };
            assert!(similar && similar_characters(original).contains(&replacement), "{original}->{replacement}");
            assert!(index < 6, "changed {original} of the generic 有限公司");
            assert_eq!(fake.params.company.chars().count(), p.company.chars().count());
            assert_eq!(fake.params.company.chars().filter(|&c| c == replacement).count(), 1);
            seen.insert((original, replacement));
        }
        assert!(seen.len() >= 4, "{seen:?}");
        assert!(similar_characters('海').contains(&'梅') && similar_characters('车').contains(&'东'));
        // A name with no known twin gets another character all the same.
        let odd = SealParams { company: "鑫淼焱垚有限公司".into(), ..p };
        let fake = look_alike(&odd, &mut Rng::new(3), LookAlikeKind::NameCharacter).expect("a look-alike");
        assert!(matches!(fake.change, LookAlikeChange::NameCharacter { similar: false, index, .. } if index < 4));
        assert_ne!(fake.params.company, odd.company);
    }

    #[test]
    fn label_star_and_font_changes_are_what_they_say() {
        let p = seal(SealShape::Round, 2);
        let fake = look_alike(&p, &mut Rng::new(1), LookAlikeKind::Label).expect("a look-alike");
        assert_eq!(fake.params.label, "财务专用章");
        for seed in 0..20 {
            let fake = look_alike(&p, &mut Rng::new(seed), LookAlikeKind::StarSize).expect("a look-alike");
            let ratio = fake.params.star_scale / p.star_scale;
            assert!((0.7..=0.8).contains(&ratio) || (1.2..=1.3).contains(&ratio), "{ratio}");
            let font = look_alike(&p, &mut Rng::new(seed), LookAlikeKind::Font).expect("a look-alike");
            assert_ne!(style_of(font.params.face), style_of(p.face));
        }
        let json = serde_json::to_string(&fake).expect("serialises");
        assert_eq!(serde_json::from_str::<LookAlike>(&json).expect("loads"), fake);
    }

    #[test]
    fn look_alikes_are_deterministic_and_inapplicable_ones_are_errors() {
        let p = seal(SealShape::Oval, 3);
        for kind in LookAlikeKind::ALL {
            let a = look_alike(&p, &mut Rng::new(9), kind).expect("a look-alike");
            assert_eq!(a, look_alike(&p, &mut Rng::new(9), kind).expect("again"));
        }
        let square = seal(SealShape::Square, 3);
        let no_star = SealParams { star_scale: 0.0, ..p.clone() };
        let empty = SealParams { company: String::new(), ..p.clone() };
        let huge = SealParams { diameter: 1e7, ..p };
        for (params, kind) in [
            (&square, LookAlikeKind::Label),
            (&square, LookAlikeKind::StarSize),
            (&no_star, LookAlikeKind::StarSize),
            (&empty, LookAlikeKind::NameCharacter),
            (&huge, LookAlikeKind::Font),
        ] {
            let got = look_alike(params, &mut Rng::new(1), kind);
            assert!(matches!(got, Err(DatasetError::InvalidArgument(_))), "{kind:?}: {got:?}");
        }
    }
}
