//! 采购订单: a purchase order with a ruled table of items (品名/规格/数量/单价/金额), totals in both
//! numeral forms, terms, and the buyer's and supplier's seals.

use super::super::amount;
use super::super::content::{Builder, DocKind, Document, Line, TextBox};
use super::super::rng::Rng;
use super::super::vocab::{Company, Date};
use super::common::{CATALOG, doc_number, percent, sign_block, target_pages};

pub fn generate(rng: &mut Rng, bx: TextBox) -> Document {
    let buyer = Company::random(rng);
    let supplier = Company::other_than(rng, &buyer);
    let date = Date::random(rng);
    let pages = target_pages(rng, [0.7, 0.3, 0.0]);
    let title = *rng.pick(&["采购订单", "采购订单（PO）", "订货单"]);
    let label = if rng.chance(0.6) { "合同专用章" } else { "" };

    let mut b = Builder::new(bx);
    b.title(title);
    b.right(&format!("订单编号：{}", doc_number(rng, "PO", &date)));
    b.plain(&format!("采购方（甲方）：{}", buyer.name));
    b.plain(&format!("供应商（乙方）：{}", supplier.name));
    b.plain(&format!("联系人：{}    电话：{}", buyer.contact, buyer.mobile));
    b.plain(&format!("下单日期：{}    交货日期：{}", date.iso(), date.plus_days(rng.range_u64(7, 45) as u32).cn()));
    b.blank();

    let terms = [
        format!("1. 交货地点：{}，运费由乙方承担。", buyer.address),
        format!(
            "2. 付款方式：货到验收合格后{}日内，凭增值税专用发票（税率{}）付清全款。",
            rng.pick(&[15, 30, 60]),
            percent(130)
        ),
        "3. 质量要求：符合国家标准及甲方技术要求，质保期壹年，质保期内免费更换。".to_string(),
        format!("4. 乙方未按期交货的，每逾期一日按订单总额的{}支付违约金。", percent(*rng.pick(&[3u64, 5]))),
        "5. 本订单经双方盖章后生效，传真件、扫描件与原件具有同等效力。".to_string(),
    ];
    let n_terms = if pages == 1 { rng.range_usize(3, 5) } else { 5 };
    let terms_units: f32 = terms.iter().take(n_terms).map(|t| b.para_lines(t, 0.0).len() as f32).sum();
    // Table header, totals, blank, terms heading and terms, signature block.
    let fixed = 1.3 + 2.6 + 0.5 + 1.2 + terms_units + 3.5;
    let room = ((pages as f32 * bx.rows * 0.95 - b.units() - fixed) / 1.3).floor().max(1.0) as usize;
    let n_items = if pages == 1 { rng.range_usize(3, 8) } else { rng.range_usize(16, 24) }.min(room);

    let widths: &[u16] = &[2, 6, 7, 3, 2, 5, 6];
    let mut rows = vec![Line::table(&["序号", "品名", "规格型号", "数量", "单位", "单价", "金额"], widths, true)];
    let mut order: Vec<usize> = (0..CATALOG.len()).collect();
    rng.shuffle(&mut order);
    let mut total = 0u64;
    for (i, &k) in order.iter().cycle().take(n_items).enumerate() {
        let (name, specs, unit, lo, hi) = CATALOG[k];
        let spec = *rng.pick(specs);
        let qty = if hi > 5000.0 { rng.range_u64(1, 6) } else { rng.range_u64(1, 60) * *rng.pick(&[1u64, 2, 5, 10]) };
        let price = ((lo + (hi - lo) * rng.f64()) * 100.0).round() as u64;
        let price = if rng.chance(0.6) { price / 100 * 100 } else { price };
        let line_total = price * qty;
        total += line_total;
        rows.push(Line::table(
            &[
                &(i + 1).to_string(),
                name,
                spec,
                &qty.to_string(),
                unit,
                &amount::numeral(price),
                &amount::numeral(line_total),
            ],
            widths,
            false,
        ));
    }
    let split = rows.len().min(6);
    let rest = rows.split_off(split);
    b.keep(rows);
    b.blocks.push(super::super::content::Block { lines: rest, keep: false });
    b.keep(vec![
        Line::table(&["合计金额（大写）", &amount::capital_rmb(total)], &[8, 23], false),
        Line::table(&["合计金额（小写）", &amount::yen(total)], &[8, 23], false),
    ]);
    b.blank();
    b.heading("订单条款：");
    for t in terms.iter().take(n_terms) {
        b.plain(t);
    }
    sign_block(&mut b, rng, ["采购方", "供应商"], [&buyer, &supplier], [label, label], &date);
    let footer = rng.below(3) as usize;
    Document {
        kind: DocKind::PurchaseOrder,
        title: title.to_string(),
        issuer: buyer.name.clone(),
        seal_label: label.to_string(),
        pages: b.finish(pages > 1 || rng.chance(0.3), footer),
    }
}
