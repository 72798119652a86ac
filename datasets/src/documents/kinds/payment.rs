//! 付款申请单: a one-page payment request form, a ruled table with the payee, bank, amount in both
//! forms and approval boxes, sealed with the applicant's finance seal.

use super::super::amount;
use super::super::content::{Builder, DocKind, Document, Line, LineStyle, TextBox};
use super::super::rng::Rng;
use super::super::vocab::{Company, Date, person};
use super::common::{amount_fen, doc_number};

pub fn generate(rng: &mut Rng, bx: TextBox) -> Document {
    let applicant = Company::random(rng);
    let payee = Company::other_than(rng, &applicant);
    let date = Date::random(rng);
    let fen = amount_fen(rng, 800.0, 2_000_000.0);
    let contract = doc_number(rng, "HT", &date);
    let dept = *rng.pick(&["行政部", "采购部", "财务部", "技术部", "市场部", "工程部", "人力资源部"]);
    let product = *rng.pick(payee.products());
    let reason = match rng.below(4) {
        0 => format!("支付{product}合同预付款"),
        1 => format!("支付{product}尾款"),
        2 => format!("{}年{}月{product}费用", date.year, date.month),
        _ => "支付合同进度款".to_string(),
    };
    let title = *rng.pick(&["付款申请单", "付款申请书", "资金支付申请单"]);

    let mut b = Builder::new(bx);
    b.title(title);
    b.push(Line::columns(&[&format!("申请日期：{}", date.iso()), &format!("编号：{}", doc_number(rng, "FK", &date))]));
    b.blank();
    let w4: &[u16] = &[5, 7, 5, 7];
    let w2: &[u16] = &[5, 19];
    let method = *rng.pick(&["银行转账", "电汇", "网银支付", "银行承兑汇票"]);
    let rows = vec![
        Line::table(&["申请部门", dept, "申请人", &person(rng)], w4, false),
        Line::table(&["收款单位", &payee.name], w2, false),
        Line::table(&["开户银行", &payee.bank], w2, false),
        Line::table(&["银行账号", &payee.account], w2, false),
        Line::table(&["付款事由", &reason], w2, false),
        Line::table(&["合同编号", &contract, "付款方式", method], w4, false),
        Line::table(&["金额（大写）", &amount::capital_rmb(fen)], w2, false),
        Line::table(
            &["金额（小写）", &amount::yen(fen), "发票", *rng.pick(&["已开具", "未开具", "随后补交"])],
            w4,
            false,
        ),
        Line::table(&["部门负责人", "", "财务审核", ""], w4, false),
        Line::table(&["分管领导", "", "总经理审批", ""], w4, false),
    ];
    b.keep(rows);
    b.blank();
    b.plain(&format!(
        "备注：{}",
        rng.pick(&[
            "请于本周内完成支付。",
            "附合同复印件及发票各一份。",
            "按合同约定分期支付，本次为第一期。",
            "请核对收款账户信息后支付。",
        ])
    ));
    b.blank();
    b.push(Line::columns(&[&format!("经办人：{}", person(rng)), &format!("出纳：{}", person(rng))]));
    b.blank();
    b.push(Line::new(format!("申请单位（盖章）：{}", applicant.name), LineStyle::Right).with_seal(
        0,
        &applicant.name,
        "财务专用章",
    ));
    Document {
        kind: DocKind::PaymentRequest,
        title: title.to_string(),
        issuer: applicant.name.clone(),
        seal_label: "财务专用章".to_string(),
        pages: b.finish(false, 0),
    }
}
