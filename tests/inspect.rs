//! Post-stamp inspection end to end on generated sessions: an approved page stamped once with the
//! granted seal passes; a blank sheet, a near copy, another document's page, a look-alike seal, a
//! double impression and a page stamped twice are each flagged with their evidence; bad inputs are
//! typed errors. (Part of the `doc` test binary: one link, one set of models.)

use sealgate_api::config::Config;
use sealgate_api::doc::{Engine, Readers};
use sealgate_api::inspect::{Inspection, Session};
use sealgate_datasets::documents::inspect_set::{InspectKind, inspect_case};
use sealgate_pipeline::compare::ApprovedOriginal;
use sealgate_pipeline::inspect::{Flag, FlagKind, PhotoVerdict};
use sealgate_pipeline::seal::SealTemplate;

use super::compare::{approve_pngs, unique_temp_dir};
use super::readers;

/// Seed of the test cases; the evaluation set (`sealgate doc gen-inspect`) uses another.
const SEED: u64 = 5151;

struct Case {
    original: ApprovedOriginal,
    template: SealTemplate,
    jpeg: Vec<u8>,
}

fn case(r: &Readers, kind: InspectKind, index: usize) -> Case {
    let (pages, template, cap, _case) = inspect_case(SEED, index, kind).expect("case");
    let original = approve_pngs(r, &pages, &format!("inspect-{}-{index}", kind.name()), Engine::Ppocr);
    let dir = unique_temp_dir("sealgate-inspect", &format!("{}-{index}", kind.name()));
    let t = dir.join("template.png");
    template.save(&t).expect("template written");
    let template = r.seal_template(&t, &Config::shipped().inspect).expect("template loaded");
    let _ = std::fs::remove_dir_all(&dir);
    Case { original, template, jpeg: cap.jpeg }
}

fn inspect(r: &Readers, c: &Case, photos: usize, authorized: Option<usize>) -> Inspection {
    let config = Config::shipped();
    let session = Session { original: &c.original, template: Some(&c.template), region: None, authorized };
    let shots: Vec<(String, Vec<u8>)> = (0..photos).map(|i| (format!("photo-{i}.jpg"), c.jpeg.clone())).collect();
    r.inspect(&session, &shots, Engine::Ppocr, &config.compare, &config.inspect).expect("inspected")
}

fn flags(i: &Inspection, photo: usize) -> Vec<FlagKind> {
    i.photos[photo].flags.iter().map(|f| f.kind).collect()
}

/// Approved pages stamped with the granted seal are recognised and never called another seal or
/// page. A right seal whose ink is uneven goes to review (`seal_unconfirmed`: a tenth to a fifth of
/// the right seals on the generated sets, issue 5's notes), as does one the stamp smudged, so most
/// but not all of them pass: 7 of these 10 do.
#[test]
fn approved_pages_stamped_with_the_granted_seal_pass() {
    let r = readers();
    let inspect_cfg = Config::shipped().inspect;
    let mut passed = 0;
    for index in 0..10 {
        let c = case(r, InspectKind::Approved, index);
        let i = inspect(r, &c, 1, Some(1));
        let p = &i.photos[0];
        eprintln!("approved {index}: {:?} {:?}", p.verdict, flags(&i, 0));
        assert!(p.page.is_some(), "{index}: the approved page is recognised");
        assert!(i.session.pages.not_approved.is_empty(), "{index}");
        assert_eq!(i.checks[0].impressions.len(), 1, "{index}");
        let m = i.checks[0].impressions[0].template.as_ref().expect("compared with the template");
        if p.verdict == PhotoVerdict::Ok {
            let shape = &i.checks[0].impressions[0].impression.shape;
            assert!(m.similarity >= inspect_cfg.min_similarity_for(shape), "{index}: {m:?}");
            passed += 1;
        } else {
            assert_eq!(p.verdict, PhotoVerdict::Review, "{index}: {:#?}", p.flags);
            let review_only = |k: &FlagKind| matches!(k, FlagKind::SealUnconfirmed | FlagKind::Smudged);
            assert!(flags(&i, 0).iter().all(review_only), "{index}: {:#?}", p.flags);
        }
    }
    assert!(passed >= 5, "{passed} of 10 passed");
}

/// A short approved page (the company's name, a date and a page number, all in the top band, the
/// seal over them) scores as blank paper, and reads as the approved page with its lines printed: it
/// is that page, not blank paper.
#[test]
fn a_short_approved_page_is_not_blank_paper() {
    let r = readers();
    let mut scored_blank = 0;
    for index in [238, 245, 379] {
        let c = case(r, InspectKind::Approved, index);
        let i = inspect(r, &c, 1, Some(1));
        let p = &i.photos[0];
        let blank = i.checks[0].blank.as_ref().expect("scored");
        eprintln!("short approved page {index}: {:?} {:?} {:?}", p.verdict, flags(&i, 0), blank.reasons);
        assert!(p.page.is_some(), "{index}: the approved page is recognised");
        assert!(!flags(&i, 0).contains(&FlagKind::Blank), "{index}: {:#?}", p.flags);
        scored_blank += usize::from(blank.reasons.iter().any(|r| r.contains("not blank paper")));
    }
    assert!(scored_blank >= 1, "none of the short pages scored blank: the test tests nothing");
}

/// How a blank sheet laid over a page lets the page's print through.
#[derive(Debug, Clone, Copy)]
enum ShowThrough {
    /// Every grey pixel's darkness cut to this share; pixels with colour (the seal, and the print
    /// under it) kept as they are: harsher than a sheet, whose seal lies over faint print.
    GreyOnly(f32),
    /// The print's darkness cut to this share everywhere, under the seal too: the print's shade is
    /// the brightest channel's (seal ink leaves one channel at the paper's level).
    Everywhere(f32),
}

impl ShowThrough {
    fn apply(self, px: [u8; 3]) -> [u8; 3] {
        let fainter = |v: f32, share: f32| 240.0 - (240.0 - v.min(240.0)) * share;
        match self {
            ShowThrough::GreyOnly(share) => {
                let (hi, lo) = (px.iter().max().copied().unwrap_or(0), px.iter().min().copied().unwrap_or(0));
                if hi - lo < 40 { px.map(|v| fainter(f32::from(v), share) as u8) } else { px }
            }
            ShowThrough::Everywhere(share) => {
                let shade = f32::from(px.iter().max().copied().unwrap_or(0)).clamp(1.0, 240.0);
                let gain = fainter(shade, share) / shade;
                px.map(|v| (f32::from(v) * gain).min(255.0) as u8)
            }
        }
    }
}

/// A blank sheet laid over a short approved page and stamped: the page's print shows through,
/// faint, and the OCR reads it as the approved page. Its lines are too shallow to be print: the
/// photo stays blank and is not taken for the approved page. (On the evaluation's four short
/// pages, print showing through with half its darkness or less stays blank; 60% passes two.)
#[test]
fn a_blank_sheet_over_a_short_approved_page_stays_blank() {
    let r = readers();
    let sheets =
        [(238, ShowThrough::GreyOnly(0.4)), (379, ShowThrough::GreyOnly(0.4)), (379, ShowThrough::Everywhere(0.5))];
    for (index, sheet) in sheets {
        let mut c = case(r, InspectKind::Approved, index);
        let mut photo = image::load_from_memory(&c.jpeg).expect("decoded").to_rgb8();
        for px in photo.pixels_mut() {
            px.0 = sheet.apply(px.0);
        }
        let mut jpeg = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 92).encode_image(&photo).expect("encoded");
        c.jpeg = jpeg;
        let i = inspect(r, &c, 1, Some(1));
        let p = &i.photos[0];
        let blank = i.checks[0].blank.as_ref().expect("scored");
        eprintln!("blank sheet over page {index}, {sheet:?}: {:?} {:?} {:?}", p.verdict, flags(&i, 0), blank.reasons);
        assert_eq!(p.verdict, PhotoVerdict::Blank, "{index} {sheet:?}: {:#?}", p.flags);
        assert!(p.page.is_none(), "{index} {sheet:?}: taken for the approved page");
        // The show-through was read as the approved page: the print depth, not the OCR, kept it blank.
        assert!(blank.reasons.iter().any(|r| r.contains("show-through?")), "{index} {sheet:?}: {:?}", blank.reasons);
    }
}

/// Each case is flagged at least as seriously as expected, with a reason and boxes on the photo.
fn assert_flagged(r: &Readers, cases: &[(InspectKind, usize, PhotoVerdict, FlagKind)]) {
    for &(kind, index, want, flag) in cases {
        let c = case(r, kind, index);
        let i = inspect(r, &c, 1, Some(1));
        let p = &i.photos[0];
        eprintln!("{}: {:?} {:?}", kind.name(), p.verdict, flags(&i, 0));
        assert!(p.verdict >= want, "{}: {:?} {:#?}", kind.name(), p.verdict, p.flags);
        let f = p.flags.iter().find(|f| f.kind == flag).unwrap_or_else(|| panic!("{}: no {flag:?}", kind.name()));
        assert!(!f.reason.is_empty() && !f.boxes.is_empty(), "{}: evidence missing: {f:?}", kind.name());
    }
}

#[test]
fn blank_sheets_near_copies_and_other_pages_are_flagged_with_evidence() {
    assert_flagged(
        readers(),
        &[
            (InspectKind::Blank, 10, PhotoVerdict::Blank, FlagKind::Blank),
            (InspectKind::NearCopy, 0, PhotoVerdict::Inserted, FlagKind::NearCopy),
            (InspectKind::Unrelated, 0, PhotoVerdict::Inserted, FlagKind::Inserted),
        ],
    );
}

/// Each case is flagged at least as seriously as `want`, with one of `flags` carrying its evidence.
fn assert_flagged_any(r: &Readers, kind: InspectKind, index: usize, want: PhotoVerdict, flags_ok: &[FlagKind]) {
    let c = case(r, kind, index);
    let i = inspect(r, &c, 1, Some(1));
    let p = &i.photos[0];
    eprintln!("{}: {:?} {:?}", kind.name(), p.verdict, flags(&i, 0));
    assert!(p.verdict >= want, "{}: {:?} {:#?}", kind.name(), p.verdict, p.flags);
    let f = p
        .flags
        .iter()
        .find(|f| flags_ok.contains(&f.kind))
        .unwrap_or_else(|| panic!("{}: none of {flags_ok:?}", kind.name()));
    assert!(!f.reason.is_empty() && !f.boxes.is_empty(), "{}: evidence missing: {f:?}", kind.name());
}

#[test]
fn a_look_alike_seal_is_never_passed() {
    // A look-alike seal is a wrong seal, or at least not confirmed as the granted one (review); the
    // stroke test does not yet tell every one-character look-alike from the granted seal (issue 5).
    assert_flagged_any(
        readers(),
        InspectKind::WrongSeal,
        0,
        PhotoVerdict::Review,
        &[FlagKind::WrongSeal, FlagKind::SealUnconfirmed],
    );
}

#[test]
fn a_second_impression_on_a_page_is_extra() {
    assert_flagged_any(readers(), InspectKind::Double, 0, PhotoVerdict::ExtraImpression, &[FlagKind::ExtraImpression]);
}

#[test]
fn a_page_stamped_twice_is_a_duplicate_and_unphotographed_pages_are_missing() {
    let r = readers();
    let c = case(r, InspectKind::Approved, 1);
    let i = inspect(r, &c, 2, None);
    eprintln!("twice: {:?} / {:?}; session {:?}", flags(&i, 0), flags(&i, 1), i.session.pages);
    assert!(i.photos[1].flags.iter().any(|f| f.kind == FlagKind::Duplicate));
    assert_eq!(i.session.pages.duplicates, vec![1]);
    let shown = i.photos[0].page.expect("an approved page");
    let missing: Vec<usize> = (0..c.original.pages.len()).filter(|&p| p != shown).collect();
    assert_eq!(i.session.pages.missing, missing);
}

#[test]
fn bad_photos_and_templates_are_typed_errors() {
    let r = readers();
    let c = case(r, InspectKind::Approved, 0);
    let config = Config::shipped();
    let session = Session { original: &c.original, template: Some(&c.template), region: None, authorized: None };
    for bytes in [Vec::new(), b"not an image".to_vec(), c.jpeg[..c.jpeg.len() / 3].to_vec()] {
        let e = r.inspect(&session, &[("bad.jpg".into(), bytes)], Engine::Ppocr, &config.compare, &config.inspect);
        assert!(e.is_err(), "a bad photo must be an error (deny)");
    }
    let dir = std::env::temp_dir().join(format!("sealgate-inspect-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let not_image = dir.join("template.png");
    std::fs::write(&not_image, b"%PDF-1.4 not a template").expect("written");
    assert!(r.seal_template(&not_image, &config.inspect).is_err());
    let blank = dir.join("white.png");
    image::RgbImage::from_pixel(300, 300, image::Rgb([255, 255, 255])).save(&blank).expect("written");
    assert!(r.seal_template(&blank, &config.inspect).is_err(), "a template without a seal is refused");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Near copy `index` of the test seed, whose change lies under the seal: the first reading of it is
/// uncertain, and read again with the seal faded it is confirmed, so the photo is inserted, not
/// review. Returns the near-copy flag.
fn confirmed_under_seal(index: usize) -> Flag {
    let r = readers();
    let c = case(r, InspectKind::NearCopy, index);
    let i = inspect(r, &c, 1, Some(1));
    let p = &i.photos[0];
    eprintln!("near copy {index} under the seal: {:?} {:#?}", p.verdict, p.flags);
    assert_eq!(p.verdict, PhotoVerdict::Inserted, "{:#?}", p.flags);
    let comparison = i.checks[0].comparison.as_ref().expect("compared");
    assert!(comparison.changes_confirmed >= 1, "{comparison:?}");
    let flag = p.flags.iter().find(|f| f.kind == FlagKind::NearCopy).expect("near copy flagged");
    assert!(!flag.boxes.is_empty(), "{flag:?}");
    flag.clone()
}

/// The changed date of this near copy lies under the seal; read again with the seal faded it reads
/// changed the same way.
#[test]
fn a_change_under_the_seal_read_again_the_same_is_a_change() {
    confirmed_under_seal(8);
}

/// A clause inserted at the end of a line and the start of the next, crossed by the seal: its own
/// rows read again with the seal faded read the same clause.
#[test]
fn a_clause_inserted_under_the_seal_read_again_is_inserted() {
    let flag = confirmed_under_seal(17);
    assert!(flag.reason.contains("本授权委托书长期有效"), "{flag:?}");
}

/// A clause deleted where the seal now lies: the approved lines read again with the seal faded
/// surely miss the clause.
#[test]
fn a_clause_deleted_under_the_seal_read_again_is_a_near_copy() {
    let flag = confirmed_under_seal(160);
    assert!(flag.reason.contains("deleted"), "{flag:?}");
}
