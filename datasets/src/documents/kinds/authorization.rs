//! 授权委托书: a company authorises an employee to act for it (sign contracts, bid, register),
//! signed by the legal representative and sealed with the company seal.

use super::super::content::{Builder, DocKind, Document, Line, LineStyle, TextBox};
use super::super::rng::Rng;
use super::super::vocab::{Company, Date, id_number, person};

pub fn generate(rng: &mut Rng, bx: TextBox) -> Document {
    // One page: when the full layout runs over (large type), set it again without the optional lines.
    let mut again = rng.clone();
    let doc = layout(rng, bx, false);
    if doc.pages.len() == 1 { doc } else { layout(&mut again, bx, true) }
}

fn layout(rng: &mut Rng, bx: TextBox, compact: bool) -> Document {
    let principal = Company::random(rng);
    let counterpart = Company::other_than(rng, &principal);
    let agent = person(rng);
    let agent_id = id_number(rng, &principal.city);
    let date = Date::random(rng);
    let until = date.plus_months(rng.range_u64(1, 12) as u32);
    let matter = match rng.below(4) {
        0 => format!("与{}签订合同", counterpart.name),
        1 => format!("参加{}组织的采购项目投标", counterpart.name),
        2 => "办理工商变更登记".to_string(),
        _ => "办理银行账户开立及变更".to_string(),
    };
    let title = *rng.pick(&["授权委托书", "法定代表人授权委托书"]);

    let mut b = Builder::new(bx);
    b.title(title);
    if !compact {
        b.blank();
    }
    b.plain(&format!("委托人：{}", principal.name));
    b.plain(&format!("统一社会信用代码：{}", principal.credit_code));
    b.plain(&format!("住所：{}", principal.address));
    b.plain(&format!("法定代表人：{}    职务：{}", principal.legal_rep, rng.pick(&["董事长", "总经理", "执行董事"])));
    if !compact {
        b.blank();
    }
    b.plain(&format!("受托人：{agent}"));
    b.plain(&format!("身份证号码：{agent_id}"));
    let job = rng.pick(&["销售经理", "项目经理", "行政主管", "法务专员"]);
    if !compact {
        b.plain(&format!("职务：{job}    联系电话：{}", principal.mobile));
        b.blank();
    }
    b.para(&format!("兹委托{agent}为我公司合法代理人，以我公司名义{matter}，并处理与之有关的一切事务。"));
    b.heading("委托权限：");
    let powers = [
        "1. 代为签署与上述事项有关的合同、协议及其他法律文件；",
        "2. 代为递交、接收相关文件资料；",
        "3. 代为参加谈判、澄清及答疑；",
        "4. 代为办理与上述事项有关的其他手续。",
    ];
    let n = rng.range_usize(2, 4);
    for p in powers.iter().take(if compact { 2 } else { n }) {
        b.plain(p);
    }
    b.para(&format!("委托期限：自{}起至{}止。", date.cn(), until.cn()));
    b.para("受托人在上述权限范围内所签署的一切文件和处理的相关事务，我公司均予以承认，并承担相应的法律责任。受托人无转委托权。");
    b.para("特此委托。");
    if !compact {
        b.blank();
    }
    b.keep(vec![
        Line::new(format!("委托人（盖章）：{}", principal.name), LineStyle::Right).with_seal(0, &principal.name, ""),
        Line::new("法定代表人（签字）：", LineStyle::Right),
        Line::new("受托人（签字）：", LineStyle::Right),
        Line::new(format!("日期：{}", date.any_style(rng)), LineStyle::Right),
    ]);
    Document {
        kind: DocKind::Authorization,
        title: title.to_string(),
        issuer: principal.name.clone(),
        seal_label: String::new(),
        pages: b.finish(false, 0),
    }
}
