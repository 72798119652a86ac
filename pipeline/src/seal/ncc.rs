//! Masked normalised cross-correlation of two polar images under a circular shift of the columns
//! (a rotation of the seal), and the best shift over all of them: every shift on coarse images, the
//! best few refined at full resolution, then a parabola through the peak for a fraction of a degree.

use super::polar::Polar;

/// Correlation of `page` (where `mask` allows) with `template` shifted right by `shift` columns
/// (page column `t` against template column `t - shift`) and down by `row_shift` rows, over page
/// rows `rows` and the `width` columns from `col0` (circular). `None` with under 8 cells or when
/// either side is flat there.
pub(crate) fn masked_ncc(
    template: &Polar,
    page: &Polar,
    mask: &[bool],
    shift: isize,
    row_shift: isize,
    rows: (usize, usize),
    cols: (isize, usize),
) -> Option<f64> {
    let n = page.n_theta;
    if n == 0 || template.n_theta != n || cols.1 > n {
        return None;
    }
    let wrap = |v: isize| -> usize { v.rem_euclid(n as isize) as usize };
    let (col0, shift) = (wrap(cols.0), wrap(shift));
    let mut acc = Sums::default();
    for r in rows.0..rows.1.min(page.n_rho) {
        let Some(tr) = r.checked_add_signed(row_shift).filter(|&v| v < template.n_rho) else { continue };
        let (Some(p_row), Some(m_row), Some(t_row)) =
            (page.ink.get(r * n..(r + 1) * n), mask.get(r * n..(r + 1) * n), template.ink.get(tr * n..(tr + 1) * n))
        else {
            continue;
        };
        // The columns as at most two runs that do not wrap, on both sides.
        let mut t = col0;
        let mut left = cols.1;
        while left > 0 {
            let tt = (t + n - shift) % n;
            let len = left.min(n - t).min(n - tt);
            if let (Some(p), Some(m), Some(q)) = (p_row.get(t..t + len), m_row.get(t..t + len), t_row.get(tt..tt + len))
            {
                acc.add_run(q, p, m);
            }
            left -= len;
            t = (t + len) % n;
        }
    }
    acc.ncc()
}

/// Running sums of a masked correlation.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Sums {
    cells: f64,
    n: f64,
    st: f64,
    sp: f64,
    stt: f64,
    spp: f64,
    stp: f64,
}

impl Sums {
    /// Add the pairs `(template[i], page[i])` where `mask[i]`.
    #[inline]
    pub fn add_run(&mut self, template: &[f32], page: &[f32], mask: &[bool]) {
        let (mut n, mut st, mut sp, mut stt, mut spp, mut stp) = (0f32, 0f32, 0f32, 0f32, 0f32, 0f32);
        for ((&a, &b), &m) in template.iter().zip(page).zip(mask) {
            let w = f32::from(u8::from(m));
            n += w;
            st += w * a;
            sp += w * b;
            stt += w * a * a;
            spp += w * b * b;
            stp += w * a * b;
        }
        self.cells += f64::from(n);
        self.n += f64::from(n);
        self.st += f64::from(st);
        self.sp += f64::from(sp);
        self.stt += f64::from(stt);
        self.spp += f64::from(spp);
        self.stp += f64::from(stp);
    }

    /// Add one pair.
    #[inline]
    pub fn add(&mut self, template: f32, page: f32) {
        let (t, p) = (f64::from(template), f64::from(page));
        self.cells += 1.0;
        self.n += 1.0;
        self.st += t;
        self.sp += p;
        self.stt += t * t;
        self.spp += p * p;
        self.stp += t * p;
    }

    /// Pairs added (unweighted).
    pub fn count(&self) -> f64 {
        self.cells
    }

    /// Weighted means of the template and page sides (0 without pairs).
    pub fn means(&self) -> (f64, f64) {
        let n = if self.n > 0.0 { self.n } else { 1.0 };
        (self.st / n, self.sp / n)
    }

    /// Weighted standard deviations of the template and page sides (0 without pairs).
    pub fn stds(&self) -> (f64, f64) {
        let n = if self.n > 0.0 { self.n } else { 1.0 };
        let std = |s: f64, ss: f64| (ss / n - (s / n).powi(2)).max(0.0).sqrt();
        (std(self.st, self.stt), std(self.sp, self.spp))
    }

    /// The (weighted) correlation; `None` with under 8 pairs or a flat side.
    pub fn ncc(&self) -> Option<f64> {
        let n = self.n;
        if self.cells < 8.0 || n <= 0.0 {
            return None;
        }
        let cov = self.stp - self.st * self.sp / n;
        let (vt, vp) = (self.stt - self.st * self.st / n, self.spp - self.sp * self.sp / n);
        if vt <= 1e-9 * n || vp <= 1e-9 * n {
            return None;
        }
        Some(cov / (vt * vp).sqrt())
    }
}

/// The shift (fractional columns, `0..n_theta`) that best aligns `template` to `page` under `mask`,
/// and its correlation (the first of [`best_shifts`]).
#[cfg(test)]
pub(crate) fn best_shift(template: &Polar, page: &Polar, mask: &[bool]) -> Option<(f64, f64)> {
    best_shifts(template, page, mask).first().copied()
}

/// The shifts (fractional columns, `0..n_theta`) that best align `template` to `page` under `mask`,
/// with their correlations, best first: every shift on images 4 times coarser in angle and 2 in
/// radius, the three best distinct peaks each refined at full resolution, then a parabola through
/// each refined peak and its neighbours. The caller may judge the candidates by finer means (the
/// polar correlation is dominated by the ring and the name, and a square's border by its corners).
pub(crate) fn best_shifts(template: &Polar, page: &Polar, mask: &[bool]) -> Vec<(f64, f64)> {
    const FT: usize = 4;
    const FR: usize = 2;
    let masked = Polar {
        n_theta: page.n_theta,
        n_rho: page.n_rho,
        ink: page.ink.clone(),
        valid: page.valid.iter().zip(mask).map(|(&v, &m)| v && m).collect(),
    };
    let (ct, cp) = (template.coarsen(FT, FR), masked.coarsen(FT, FR));
    let all_rows = (0, cp.n_rho);
    let coarse: Vec<f64> = (0..cp.n_theta as isize)
        .map(|s| masked_ncc(&ct, &cp, &cp.valid, s, 0, all_rows, (0, cp.n_theta)).unwrap_or(-1.0))
        .collect();
    let mut order: Vec<usize> = (0..coarse.len()).collect();
    order.sort_by(|&a, &b| coarse.get(b).unwrap_or(&-1.0).total_cmp(coarse.get(a).unwrap_or(&-1.0)));
    let mut peaks: Vec<usize> = Vec::new();
    for s in order {
        let n = coarse.len();
        if peaks.iter().all(|&p| {
            let d = s.abs_diff(p);
            d.min(n - d) > 2
        }) {
            peaks.push(s);
        }
        if peaks.len() == 3 {
            break;
        }
    }
    let fine_rows = (0, page.n_rho);
    let score = |s: isize| masked_ncc(template, page, mask, s, 0, fine_rows, (0, page.n_theta));
    let n = page.n_theta as f64;
    let mut out: Vec<(f64, f64)> = Vec::with_capacity(peaks.len());
    for p in peaks {
        let centre = (p * FT) as isize;
        let mut best: Option<(isize, f64)> = None;
        for s in centre - FT as isize - 1..=centre + FT as isize + 1 {
            if let Some(v) = score(s)
                && best.is_none_or(|b| v > b.1)
            {
                best = Some((s, v));
            }
        }
        let Some((s, v)) = best else { continue };
        // Sub-column peak.
        let (l, r) = (score(s - 1).unwrap_or(v), score(s + 1).unwrap_or(v));
        let den = l - 2.0 * v + r;
        let offset = if den < -1e-12 { (0.5 * (l - r) / den).clamp(-0.5, 0.5) } else { 0.0 };
        let shift = (s as f64 + offset) % n;
        out.push((if shift < 0.0 { shift + n } else { shift }, v));
    }
    out.sort_by(|a, b| b.1.total_cmp(&a.1));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A polar image with a few distinct blobs, shifted by `shift` columns.
    fn pattern(shift: usize) -> Polar {
        let (nt, nr) = (360, 52);
        let mut ink = vec![0f32; nt * nr];
        for r in 0..nr {
            for t in 0..nt {
                let src = (t + nt - shift) % nt;
                let v = ((src * 7 + r * 3) % 23 < 5) as u8 as f32 + if (40..60).contains(&src) { 1.0 } else { 0.0 };
                ink[r * nt + t] = v.min(1.0);
            }
        }
        Polar { n_theta: nt, n_rho: nr, ink, valid: vec![true; nt * nr] }
    }

    #[test]
    fn finds_the_rotation() {
        let (t, p) = (pattern(0), pattern(75));
        let mask = vec![true; t.ink.len()];
        let (s, v) = best_shift(&t, &p, &mask).expect("shift");
        assert!((s - 75.0).abs() < 0.6 && v > 0.99, "{s} {v}");
        let wrong = masked_ncc(&t, &p, &mask, 30, 0, (0, 52), (0, 360)).expect("ncc");
        assert!(wrong < 0.5, "{wrong}");
    }

    #[test]
    fn masked_out_and_mismatched_inputs() {
        let t = pattern(0);
        let none = vec![false; t.ink.len()];
        assert!(best_shift(&t, &t, &none).is_none());
        let small = Polar { n_theta: 10, n_rho: 2, ink: vec![0.0; 20], valid: vec![true; 20] };
        assert!(masked_ncc(&t, &small, &[true; 20], 0, 0, (0, 2), (0, 10)).is_none());
        let empty = Polar { n_theta: 0, n_rho: 0, ink: vec![], valid: vec![] };
        assert!(best_shift(&empty, &empty, &[]).is_none());
    }
}
