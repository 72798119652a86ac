//! 函件: a business letter from one company to another (price change, balance confirmation,
//! payment reminder, delayed delivery, change of bank account), signed and sealed by the sender.

use super::super::amount;
use super::super::content::{Builder, DocKind, Document, Line, LineStyle, TextBox};
use super::super::rng::Rng;
use super::super::vocab::{Company, Date};
use super::common::{amount_fen, both_forms, doc_number, percent, target_pages};

pub fn generate(rng: &mut Rng, bx: TextBox) -> Document {
    let from = Company::random(rng);
    let to = Company::other_than(rng, &from);
    let date = Date::random(rng);
    let product = *rng.pick(from.products());
    let fen = amount_fen(rng, 5_000.0, 3_000_000.0);
    let contract_no = doc_number(rng, "HT", &date.plus_days(0));
    let topic = rng.below(5);
    let (title, paras): (String, Vec<String>) = match topic {
        0 => (
            "关于调整供货价格的函".to_string(),
            vec![
                format!("首先感谢贵司长期以来对我司的信任与支持。近期受原材料价格持续上涨、人工及物流成本增加等因素影响，我司{product}的生产成本大幅上升。"),
                format!(
                    "经慎重研究，我司决定自{}起对供应贵司的{product}价格上调{}，具体价格以双方确认的报价单为准。在此日期前已下达的订单仍按原价格执行。",
                    date.plus_days(rng.range_u64(10, 40) as u32).cn(),
                    percent(*rng.pick(&[30u64, 50, 80, 100, 120]))
                ),
                "我司将一如既往地保证产品质量和交货期，恳请贵司理解与支持。如有疑问，请与我司业务联系人沟通。".to_string(),
            ],
        ),
        1 => (
            "往来账款询证函".to_string(),
            vec![
                format!("本公司聘请的会计师事务所正在对本公司{}年度财务报表进行审计，按照中国注册会计师审计准则的要求，应当询证本公司与贵公司的往来账项。", date.year - 1),
                format!(
                    "截至{}年12月31日，本公司账面显示应收贵公司款项余额为{}。",
                    date.year - 1,
                    both_forms(fen)
                ),
                "若款项在上述日期之后已经付清，仍请及时函复为盼。如与贵公司记录相符，请在本函下端“信息证明无误”处签章证明；如有不符，请列明不符金额。".to_string(),
            ],
        ),
        2 => (
            "催款函".to_string(),
            vec![
                format!(
                    "贵我双方于{}签订了编号为{contract_no}的《{product}合同》。我司已按合同约定全面履行了义务，贵司亦已验收合格。",
                    date.plus_days(0).cn()
                ),
                format!(
                    "根据合同约定，贵司应于{}前支付款项{}，但截至本函发出之日，贵司仍未支付上述款项，已构成违约。",
                    date.plus_days(rng.range_u64(30, 90) as u32).cn(),
                    both_forms(fen)
                ),
                format!(
                    "请贵司在收到本函之日起{}日内将上述欠款汇入我司账户（开户银行：{}，账号：{}）。逾期未付的，我司将依法追究贵司的违约责任。",
                    rng.pick(&[5, 7, 10]),
                    from.bank,
                    from.account
                ),
            ],
        ),
        3 => (
            "关于延期交货的函".to_string(),
            vec![
                format!("贵司于{}向我司订购的{product}，原定交货日期为{}。", date.cn(), date.plus_days(20).cn()),
                format!(
                    "因上游供应商关键部件到货延迟，我司无法按原定日期交货，特申请将交货日期顺延至{}。由此给贵司带来的不便，我司深表歉意。",
                    date.plus_days(rng.range_u64(30, 60) as u32).cn()
                ),
                "我司已启动应急采购并安排加班生产，确保在新的交货日期前完成全部交付。恳请贵司予以谅解，并请于三个工作日内书面回复确认。".to_string(),
            ],
        ),
        _ => (
            "关于变更收款账户的函".to_string(),
            vec![
                format!("因我司经营管理需要，自{}起，我司收款账户变更如下：", date.plus_days(7).cn()),
                format!("户名：{}", from.name),
                format!("开户银行：{}", from.bank),
                format!("账号：{}", from.account),
                format!(
                    "原收款账户自上述日期起不再接收任何款项。贵司向我司支付的合同款项（含编号{contract_no}合同项下的{}），请汇入上述新账户。因贵司未按本函支付至新账户而产生的风险，由贵司承担。",
                    amount::capital_rmb(fen)
                ),
            ],
        ),
    };
    let pages = target_pages(rng, [0.85, 0.15, 0.0]);
    let mut b = Builder::new(bx);
    b.title(&title);
    if rng.chance(0.5) {
        b.right(&format!("{}函〔{}〕{}号", short_name(&from.name), date.year, rng.range_u64(1, 120)));
    }
    b.blank();
    b.plain(&format!("{}：", to.name));
    for (i, p) in paras.iter().enumerate() {
        if topic == 4 && (1..=3).contains(&i) {
            b.plain(&format!("    {p}"));
        } else {
            b.para(p);
        }
    }
    if pages > 1 {
        // A longer letter: background and attachments.
        b.para(&format!(
            "为便于贵司核对，现将相关情况补充说明如下：双方自{}年起开展合作，累计签订合同{}份，合同总金额{}。我司始终坚持诚信经营，对贵司的支持深表感谢。",
            date.year - rng.range_u64(1, 6) as u32,
            rng.range_u64(3, 40),
            amount::capital_rmb(fen * rng.range_u64(3, 12))
        ));
        for n in 1..=rng.range_u64(4, 9) {
            b.plain(&format!(
                "{n}. 附件{n}：{}",
                rng.pick(&["对账单", "合同复印件", "发货单", "验收单", "发票清单", "付款记录"])
            ));
        }
    }
    b.para(rng.pick::<&str>(&["特此函告。", "特此函告，请予支持为盼。", "请予函复为盼。", "特此函告，盼复。"]));
    b.blank();
    b.plain(&format!("联系人：{}    联系电话：{}", from.contact, from.mobile));
    b.blank();
    b.keep(vec![
        Line::new(from.name.clone(), LineStyle::Right).with_seal(0, &from.name, ""),
        Line::new(date.any_style(rng), LineStyle::Right),
    ]);
    let footer = rng.below(3) as usize;
    Document {
        kind: DocKind::Letter,
        title,
        issuer: from.name.clone(),
        seal_label: String::new(),
        pages: b.finish(pages > 1, footer),
    }
}

/// `上海华信科技有限公司` -> `沪华信` style abbreviations for letter numbers (city initial + name).
fn short_name(full: &str) -> String {
    let abbrev = [("上海", "沪"), ("北京", "京"), ("深圳", "深"), ("广州", "穗"), ("杭州", "杭"), ("南京", "宁")];
    for (city, short) in abbrev {
        if let Some(rest) = full.strip_prefix(city) {
            return format!("{short}{}", rest.chars().take(2).collect::<String>());
        }
    }
    full.chars().skip(2).take(2).collect()
}
