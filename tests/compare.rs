//! Comparing page photos with approved originals end to end, on generated documents: unaltered
//! photos match; every tamper kind is a mismatch with the changed text found and boxed on the photo;
//! a page of another document matches no page; PDF originals with and without a text layer; hostile
//! PDFs are refused with clear errors. (Part of the `doc` test binary: one link, one set of models.)

use std::path::{Path, PathBuf};

use sealgate_api::compare::Route;
use sealgate_api::doc::{Engine, Readers};
use sealgate_datasets::documents::compare_set::{CompareCase, compare_case, compare_doc};
use sealgate_datasets::documents::render_page;
use sealgate_datasets::documents::tamper::TamperKind;
use sealgate_pipeline::compare::reread::Photo;
use sealgate_pipeline::compare::text_path::compare_reading;
use sealgate_pipeline::compare::{ApprovedOriginal, Comparison, Verdict};
use sealgate_pipeline::image::{decode, quad_bounds};
use sealgate_pipeline::original::pdf::PdfLimits;
use sealgate_pipeline::page::{read_photo, suppress_red_ink};
use sealgate_pipeline::text::normalize_for_comparison;

use super::readers;

/// Seed of the test cases; the evaluation set (`sealgate doc gen-compare`) uses another.
const SEED: u64 = 4242;

/// A fresh folder under the system's temporary one: `prefix-name-pid-n`, `n` counted per process,
/// so that tests running at once on the same case (the inspect tests share approved page 0) never
/// write or remove each other's files.
pub(super) fn unique_temp_dir(prefix: &str, name: &str) -> PathBuf {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("{prefix}-{name}-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn temp_dir(name: &str) -> PathBuf {
    unique_temp_dir("sealgate-compare", name)
}

/// Write the original's pages as PNGs and approve them.
pub(super) fn approve_pngs(r: &Readers, pages: &[image::RgbImage], name: &str, engine: Engine) -> ApprovedOriginal {
    let dir = temp_dir(name);
    let files: Vec<PathBuf> = pages
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let f = dir.join(format!("page-{i}.png"));
            p.save(&f).expect("png written");
            f
        })
        .collect();
    let refs: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    let o = r.approve(&refs, engine, &PdfLimits::DEFAULT).expect("original approved");
    let _ = std::fs::remove_dir_all(&dir);
    o
}

fn compare(r: &Readers, o: &ApprovedOriginal, jpeg: &[u8], engine: Engine, route: Route) -> Comparison {
    r.compare(o, jpeg, engine, route, &sealgate_api::config::Config::shipped().compare).expect("compared")
}

/// The case's changed text appears in a difference, whose box on the photo overlaps where the
/// generator put the change.
fn assert_found_and_boxed(c: &Comparison, case: &CompareCase) {
    let label = case.tamper.as_ref().expect("tampered");
    let (e, f) = (normalize_for_comparison(&label.expected), normalize_for_comparison(&label.found));
    let overlaps = |a: &str, b: &str| !a.is_empty() && !b.is_empty() && (a.contains(b) || b.contains(a));
    let d = c
        .differences
        .iter()
        .find(|d| overlaps(&d.expected, &e) || overlaps(&d.found, &f))
        .unwrap_or_else(|| panic!("{:?}: `{e}` -> `{f}` not among {:#?}", label.kind, c.differences));
    assert!(d.critical, "{d:?}");
    // The label's box (rendered-page pixels) in the photo, widened by a line for deletions.
    let b = label.page_box;
    let corners = [[b[0], b[1]], [b[2], b[1]], [b[2], b[3]], [b[0], b[3]]].map(|p| {
        let q = case.homography.apply(f64::from(p[0]), f64::from(p[1])).expect("maps");
        [q[0] as f32, q[1] as f32]
    });
    let [lx0, ly0, lx1, ly1] = quad_bounds(&corners);
    let q = d.photo_box.expect("difference boxed on the photo");
    let [x0, y0, x1, y1] = quad_bounds(&q);
    let slack = 60.0;
    assert!(
        x0 < lx1 + slack && lx0 - slack < x1 && y0 < ly1 + slack && ly0 - slack < y1,
        "{:?}: box {:?} away from the change at {:?}",
        label.kind,
        (x0, y0, x1, y1),
        (lx0, ly0, lx1, ly1)
    );
}

#[test]
fn unaltered_photos_match_on_both_paths() {
    let r = readers();
    for index in [0, 1] {
        let (pages, cap, case) = compare_case(SEED, index, None).expect("case");
        let o = approve_pngs(r, &pages, &format!("unaltered-{index}"), Engine::Ppocr);
        for route in [Route::Region, Route::Text] {
            let c = compare(r, &o, &cap.jpeg, Engine::Ppocr, route);
            eprintln!("unaltered {index} {route:?}: {:?} {:.4} fallback {:?}", c.verdict, c.similarity, c.fallback);
            assert_eq!(c.verdict, Verdict::Match, "{index} {route:?}: {:#?}", c.reasons);
            assert_eq!(c.page, Some(case.page_index));
        }
    }
}

/// A line the detector missed (here: dropped from the reading) is a deleted line until it is read
/// again where the approved page puts it; then the photo matches. Without re-reading it is a
/// mismatch, so the test would fail if re-reading did nothing.
#[test]
fn a_line_the_detector_missed_is_read_again_and_found() {
    let r = readers();
    let cfg = sealgate_api::config::Config::shipped().compare;
    let (pages, cap, _case) = compare_case(SEED, 2, None).expect("case");
    let o = approve_pngs(r, &pages, "missed-line", Engine::Ppocr);
    let photo = decode(&cap.jpeg, r.limits).expect("decoded");
    let (mut reading, _page) = read_photo(&photo, &r.page, &r.ppocr, None).expect("read").expect("a page");
    // Drop the longest line holding digits: a critical line, so missing it is a mismatch.
    let k = (0..reading.lines.len())
        .filter(|&k| reading.lines[k].text.chars().any(|c| c.is_ascii_digit()))
        .max_by_key(|&k| reading.lines[k].text.chars().count())
        .expect("a line with digits");
    let dropped = reading.lines.remove(k);
    let without = compare_reading(&o, &reading, None, &cfg).expect("compared");
    assert_eq!(without.verdict, Verdict::Mismatch, "`{}` missing: {:#?}", dropped.text, without.differences);
    let mut faded = photo.clone();
    suppress_red_ink(&mut faded);
    let rereader = Photo { image: &faded, page_to_photo: &reading.page_to_photo, ppocr: &r.ppocr, engine: None };
    let with = compare_reading(&o, &reading, Some(&rereader), &cfg).expect("compared");
    eprintln!(
        "dropped `{}`: {:?}, {} lines read again, {} resolved",
        dropped.text, with.verdict, with.lines_reread, with.misreadings_resolved
    );
    assert_eq!(with.verdict, Verdict::Match, "{:#?}", with.differences);
    assert!(with.misreadings_resolved >= 1 && with.lines_reread >= 1);
}

/// Re-reading never explains a real change away: the tampered line reads changed again.
#[test]
fn every_tamper_kind_is_a_mismatch_with_the_change_found_and_boxed() {
    let r = readers();
    for (k, kind) in TamperKind::ALL.into_iter().enumerate() {
        let (pages, cap, case) = compare_case(SEED, 10 + k, Some(kind)).expect("case");
        let o = approve_pngs(r, &pages, kind.name(), Engine::Ppocr);
        let c = compare(r, &o, &cap.jpeg, Engine::Ppocr, Route::Auto);
        eprintln!("{}: {:?} page {:?} path {:?} fallback {:?}", kind.name(), c.verdict, c.page, c.path, c.fallback);
        assert_eq!(c.verdict, Verdict::Mismatch, "{}: {:#?}", kind.name(), c.differences);
        if kind == TamperKind::PageSwapped {
            assert_eq!(c.page, None, "another document's page matched an approved page");
        } else {
            assert_eq!(c.page, Some(case.page_index));
            assert_found_and_boxed(&c, &case);
        }
        if c.path == sealgate_pipeline::compare::ComparePath::Text {
            eprintln!("  {} lines read again, {} differences resolved", c.lines_reread, c.misreadings_resolved);
        }
    }
}

#[test]
fn pdf_originals_with_a_text_layer_and_scanned_only() {
    let r = readers();
    let (pages, cap, case) = compare_case(SEED, 3, None).expect("case");
    let doc = compare_doc(SEED, case.doc_id);
    let layers: Vec<Vec<(String, [f32; 4])>> = doc
        .doc
        .pages
        .iter()
        .map(|p| render_page(p, &doc.style).expect("render").lines.into_iter().map(|l| (l.text, l.bbox)).collect())
        .collect();
    let dir = temp_dir("pdf");
    let with_text = dir.join("text.pdf");
    let scanned = dir.join("scanned.pdf");
    std::fs::write(&with_text, sealgate_datasets::pdf::image_pdf(&pages, Some(&layers), 150.0)).expect("pdf");
    std::fs::write(&scanned, sealgate_datasets::pdf::image_pdf(&pages, None, 150.0)).expect("pdf");
    let (_, tampered, tcase) = compare_case(SEED, 3, Some(TamperKind::AmountDigit)).expect("tampered case");
    for file in [&with_text, &scanned] {
        let o = r.approve(&[file.as_path()], Engine::Ppocr, &PdfLimits::DEFAULT).expect("pdf approved");
        assert_eq!(o.pages.len(), pages.len());
        let c = compare(r, &o, &cap.jpeg, Engine::Ppocr, Route::Auto);
        assert_eq!(c.verdict, Verdict::Match, "{}: {:#?}", file.display(), c.reasons);
        if tcase.doc_id == case.doc_id {
            let c = compare(r, &o, &tampered.jpeg, Engine::Ppocr, Route::Auto);
            assert_eq!(c.verdict, Verdict::Mismatch, "{}: {:#?}", file.display(), c.differences);
        }
    }
    // The text layer is the approved text exactly.
    let o = r.approve(&[with_text.as_path()], Engine::Ppocr, &PdfLimits::DEFAULT).expect("pdf approved");
    assert_eq!(
        normalize_for_comparison(&o.page_text(0)),
        normalize_for_comparison(&layers[0].iter().map(|l| l.0.as_str()).collect::<Vec<_>>().join("\n"))
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn hostile_pdfs_are_refused_with_clear_errors() {
    let r = readers();
    let dir = temp_dir("hostile");
    let (pages, _, _) = compare_case(SEED, 0, None).expect("case");
    let plain = dir.join("plain.pdf");
    std::fs::write(&plain, sealgate_datasets::pdf::image_pdf(&pages[..1], None, 150.0)).expect("pdf");
    let encrypted = dir.join("encrypted.pdf");
    let status = std::process::Command::new("qpdf")
        .args(["--encrypt", "user", "owner", "256", "--"])
        .arg(&plain)
        .arg(&encrypted)
        .status()
        .expect("qpdf installed (scripts/common.sh)");
    assert!(status.success());
    let not_pdf = dir.join("not.pdf");
    std::fs::write(&not_pdf, b"%PDX this is not a PDF at all").expect("file");
    let many = dir.join("many.pdf");
    std::fs::write(&many, sealgate_datasets::pdf::many_pages_pdf(500)).expect("pdf");
    // Each poppler process runs under an address-space cap of PdfLimits::DEFAULT.memory_bytes (1 GiB).
    for (file, want) in [(&not_pdf, "not a supported image"), (&encrypted, "encrypted"), (&many, "500 pages")] {
        let t = std::time::Instant::now();
        let err = r.approve(&[file.as_path()], Engine::Ppocr, &PdfLimits::DEFAULT).expect_err("refused");
        let msg = format!("{err:#}");
        eprintln!("{}: {msg} ({:?})", file.display(), t.elapsed());
        assert!(msg.contains(want), "{}: {msg}", file.display());
    }
    let _ = std::fs::remove_dir_all(&dir);
}
