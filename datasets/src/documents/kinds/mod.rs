//! What each kind of document says: one generator per [`DocKind`], all seeded and all laid out
//! for a given [`TextBox`].

mod authorization;
mod common;
mod contract;
mod lease;
mod letter;
mod order;
mod payment;

use super::content::{DocKind, Document, TextBox};
use super::rng::Rng;

/// A document of `kind` laid out for `bx`.
pub fn generate(rng: &mut Rng, kind: DocKind, bx: TextBox) -> Document {
    match kind {
        DocKind::Contract => contract::generate(rng, bx),
        DocKind::Lease => lease::generate(rng, bx),
        DocKind::Letter => letter::generate(rng, bx),
        DocKind::PaymentRequest => payment::generate(rng, bx),
        DocKind::PurchaseOrder => order::generate(rng, bx),
        DocKind::Authorization => authorization::generate(rng, bx),
    }
}

#[cfg(test)]
mod tests {
    use super::super::content::{LineStyle, em_len};
    use super::*;

    #[test]
    fn every_kind_generates_fitting_pages_and_multi_page_documents_occur() {
        let bx = TextBox { cols: 30.0, rows: 26.0 };
        let (mut multi, mut single) = (0, 0);
        for seed in 0..12u64 {
            for kind in DocKind::ALL {
                let doc = generate(&mut Rng::derive(seed, 9, kind as u64), kind, bx);
                assert_eq!(doc.kind, kind);
                assert!((1..=3).contains(&doc.pages.len()), "{kind:?} has {} pages", doc.pages.len());
                multi += usize::from(doc.pages.len() > 1);
                single += usize::from(doc.pages.len() == 1);
                for page in &doc.pages {
                    let units: f32 = page.lines.iter().map(|l| l.style.height_units()).sum();
                    assert!(units <= bx.rows + 1e-3, "{kind:?} page overfull: {units}");
                    for line in &page.lines {
                        if matches!(line.style, LineStyle::Body | LineStyle::Heading) {
                            let w = em_len(&line.text) + line.indent;
                            assert!(w <= bx.cols + 1e-3, "{kind:?}: `{}` is {w} ems", line.text);
                        }
                    }
                }
                let all: String = doc.pages.iter().flat_map(|p| p.lines.iter().map(|l| l.text.as_str())).collect();
                assert!(all.contains(&doc.title) || kind == DocKind::Letter);
            }
        }
        assert!(multi >= 12 && single >= 12, "{single} one-page and {multi} multi-page documents");
    }
}
