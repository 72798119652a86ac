//! 合同: a sales or service contract between two companies, one to three pages of numbered clauses.

use super::super::amount;
use super::super::content::{Builder, DocKind, Document, TextBox};
use super::super::rng::Rng;
use super::super::vocab::{Company, Date};
use super::common::{
    Clause, add_clauses, amount_fen, both_forms, doc_number, party_lines, percent, sign_block, target_pages,
};

pub fn generate(rng: &mut Rng, bx: TextBox) -> Document {
    let a = Company::random(rng);
    let s = Company::other_than(rng, &a);
    let product = *rng.pick(s.products());
    let service = product.contains("服务") || product.contains("工程");
    let title = if product.contains("工程") {
        *rng.pick(&["工程施工合同", "建设工程施工合同"])
    } else if service {
        *rng.pick(&["技术服务合同", "服务合同", "委托服务合同"])
    } else {
        *rng.pick(&["购销合同", "采购合同", "产品销售合同", "买卖合同"])
    };
    let (ra, rs) = if service {
        ("甲方（委托方）", "乙方（服务方）")
    } else {
        ("甲方（买方）", "乙方（卖方）")
    };
    let date = Date::random(rng);
    let total = amount_fen(rng, 8_000.0, 5_000_000.0);
    let label = if rng.chance(0.7) { "合同专用章" } else { "" };
    let pages = target_pages(rng, [0.3, 0.5, 0.2]);
    if pages == 1 {
        let parts = Parts { a: &a, s: &s, product, service, title, roles: [ra, rs], date, total, label };
        return short_form(rng, bx, &parts);
    }

    let mut b = Builder::new(bx);
    b.title(title);
    b.right(&format!("合同编号：{}", doc_number(rng, "HT", &date)));
    if rng.chance(0.5) {
        b.right(&format!("签订地点：{}市", a.city.name));
    }
    party_lines(&mut b, rng, ra, &a);
    b.blank();
    party_lines(&mut b, rng, rs, &s);
    b.blank();
    b.para(&format!(
        "根据《中华人民共和国民法典》及相关法律法规的规定，甲乙双方本着平等自愿、诚实信用的原则，经友好协商，就甲方{}{}事宜达成如下协议，以资共同遵守。",
        if service { "委托乙方提供" } else { "向乙方采购" },
        product
    ));

    let prepay = rng.pick(&[200u64, 300, 400, 500]);
    let rest = 1000 - prepay - if rng.chance(0.5) { 50 } else { 100 };
    let retention = 1000 - prepay - rest;
    let days = rng.pick(&[5u32, 7, 10, 15, 30]);
    let delivery = date.plus_days(rng.range_u64(15, 90) as u32);
    let tax = if service { rng.pick(&[60u64, 90]) } else { &130 };
    let penalty = rng.pick(&[3u64, 5, 10]);
    let mut clauses = vec![
        Clause::new(
            if service { "服务内容" } else { "合同标的" },
            vec![if service {
                format!(
                    "乙方为甲方提供{product}，服务范围、服务标准及人员配置详见本合同附件《服务说明书》。乙方应按照国家及行业相关标准完成服务，并接受甲方的监督与检查。"
                )
            } else {
                format!(
                    "乙方向甲方供应{product}，产品名称、规格型号、数量及单价详见本合同附件《供货清单》。乙方保证所供产品为全新、原厂正品，符合国家标准及双方约定的技术要求。"
                )
            }],
            true,
        ),
        Clause::new(
            "合同金额",
            vec![format!(
                "本合同总金额为{}，该价格已包含增值税（税率{}）、运输费、{}等全部费用，合同履行期间不因市场价格变化而调整。",
                both_forms(total),
                percent(*tax),
                if service { "差旅费" } else { "包装费、保险费" }
            )],
            true,
        ),
        Clause::new(
            "付款方式",
            vec![
                format!(
                    "1. 本合同签订后{days}个工作日内，甲方向乙方支付合同总金额的{}，即{}作为预付款。",
                    percent(*prepay),
                    amount::capital_rmb(total * prepay / 1000)
                ),
                format!(
                    "2. {}经甲方验收合格并收到乙方开具的合法有效发票后{}日内，甲方支付合同总金额的{}。",
                    if service { "服务完成" } else { "货物交付" },
                    rng.pick(&[15, 30, 45]),
                    percent(rest)
                ),
                format!("3. 剩余{}作为质量保证金，质保期满且无质量问题后一次性无息支付。", percent(retention)),
                format!("乙方收款账户：户名{}，开户银行{}，账号{}。", s.name, s.bank, s.account),
            ],
            true,
        ),
        Clause::new(
            if service { "履行期限" } else { "交货时间及地点" },
            vec![if service {
                format!(
                    "服务期限自{}起至{}止。乙方应在约定期限内完成全部服务内容并提交服务成果。",
                    date.cn(),
                    delivery.cn()
                )
            } else {
                format!(
                    "乙方应于{}前将货物送达甲方指定地点（{}），运输及装卸费用由乙方承担，货物毁损灭失的风险自甲方签收之日起转移。",
                    delivery.cn(),
                    a.address
                )
            }],
            false,
        ),
        Clause::new(
            "质量标准与验收",
            vec![format!(
                "甲方应在{}后{}个工作日内组织验收。验收不合格的，乙方应在接到甲方书面通知后{}日内无偿{}，由此产生的费用由乙方承担。",
                if service { "服务成果提交" } else { "货物到达" },
                rng.pick(&[3, 5, 7]),
                rng.pick(&[5, 7, 10]),
                if service { "整改" } else { "更换或修理" }
            )],
            false,
        ),
        Clause::new(
            "违约责任",
            vec![
                format!(
                    "1. 乙方逾期{}的，每逾期一日，应按合同总金额的{}向甲方支付违约金；逾期超过{}日的，甲方有权解除合同。",
                    if service { "完成服务" } else { "交货" },
                    percent(*penalty),
                    rng.pick(&[15, 30])
                ),
                format!(
                    "2. 甲方逾期付款的，每逾期一日，应按逾期金额的{}向乙方支付违约金，但违约金总额不超过合同总金额的{}。",
                    percent(*penalty),
                    percent(*rng.pick(&[50u64, 100, 200]))
                ),
            ],
            true,
        ),
    ];
    let mut optional = vec![
        Clause::new(
            "质量保证",
            vec![format!(
                "质保期为{}个月，自验收合格之日起计算。质保期内因产品或服务本身原因出现的故障，乙方应在接到通知后{}小时内响应，并免费维修或更换。",
                rng.pick(&[12, 18, 24, 36]),
                rng.pick(&[2, 4, 24])
            )],
            false,
        ),
        Clause::new(
            "发票",
            vec![format!(
                "乙方应在每次收款前向甲方开具等额合法有效的增值税专用发票（税率{}），发票信息以甲方书面提供的开票资料为准。乙方未按约定开具发票的，甲方有权顺延付款且不承担违约责任。",
                percent(*tax)
            )],
            false,
        ),
        Clause::new(
            "保密条款",
            vec!["双方对在履行本合同过程中知悉的对方商业秘密、技术资料及客户信息负有保密义务，未经对方书面同意不得向任何第三方披露。本条款不因合同的终止或解除而失效，保密期限为合同终止后三年。".to_string()],
            false,
        ),
        Clause::new(
            "知识产权",
            vec!["乙方保证其提供的产品、服务及相关资料不侵犯任何第三方的专利权、商标权、著作权等知识产权。如因此引起纠纷，由乙方负责处理并承担全部责任，给甲方造成损失的，乙方应予以赔偿。".to_string()],
            false,
        ),
        Clause::new(
            "不可抗力",
            vec!["因地震、洪水、火灾、疫情等不可抗力导致一方不能履行合同的，应在不可抗力发生后三日内书面通知对方，并在十五日内提供有关证明。双方可根据不可抗力的影响部分或全部免除责任。".to_string()],
            false,
        ),
        Clause::new(
            "合同的变更与解除",
            vec!["本合同的任何变更须经双方协商一致并签订书面补充协议。一方严重违约致使合同目的不能实现的，守约方有权书面通知对方解除合同，合同自通知到达对方时解除。".to_string()],
            false,
        ),
        Clause::new(
            "通知与送达",
            vec![format!(
                "双方在本合同首部载明的地址为有效送达地址。任何一方变更地址或联系方式的，应在变更后三日内书面通知对方。甲方联系人：{}，电话{}；乙方联系人：{}，电话{}。",
                a.contact, a.mobile, s.contact, s.mobile
            )],
            false,
        ),
        Clause::new(
            "廉洁条款",
            vec!["双方应严格遵守国家有关廉洁从业的规定，任何一方不得向对方工作人员提供回扣、礼金、有价证券或其他不正当利益。违反本条约定的，另一方有权解除合同并要求赔偿损失。".to_string()],
            false,
        ),
    ];
    rng.shuffle(&mut optional);
    clauses.extend(optional);
    clauses.push(Clause::new(
        "争议解决",
        vec![format!(
            "因本合同引起的或与本合同有关的任何争议，双方应友好协商解决；协商不成的，任何一方均可向{}所在地有管辖权的人民法院提起诉讼。",
            if rng.chance(0.5) { "甲方" } else { "合同签订地" }
        )],
        true,
    ));
    clauses.push(Clause::new(
        "其他",
        vec![format!(
            "本合同一式{}份，甲乙双方各执{}份，具有同等法律效力。本合同自双方法定代表人或授权代表签字并加盖公章或合同专用章之日起生效。本合同未尽事宜，由双方另行协商签订补充协议。",
            rng.pick(&["两", "四"]),
            rng.pick(&["一", "两"])
        )],
        true,
    ));
    // Leave room for the signature block and for space lost where clauses move to a new page.
    let budget = pages as f32 * bx.rows * 0.92 - b.units() - 5.0;
    add_clauses(&mut b, rng, clauses, budget);
    let label_s = if label.is_empty() { "" } else { "合同专用章" };
    sign_block(&mut b, rng, ["甲方", "乙方"], [&a, &s], [label, label_s], &date);
    let footer = rng.below(3) as usize;
    Document {
        kind: DocKind::Contract,
        title: title.to_string(),
        issuer: a.name.clone(),
        seal_label: label.to_string(),
        pages: b.finish(rng.chance(0.8), footer),
    }
}

/// What the short form shares with the full contract.
struct Parts<'a> {
    a: &'a Company,
    s: &'a Company,
    product: &'a str,
    service: bool,
    title: &'a str,
    roles: [&'a str; 2],
    date: Date,
    total: u64,
    label: &'a str,
}

/// A one-page contract (简式合同): names only, a few brief clauses, the signature block.
fn short_form(rng: &mut Rng, bx: TextBox, p: &Parts) -> Document {
    let mut b = Builder::new(bx);
    b.title(p.title);
    b.right(&format!("合同编号：{}", doc_number(rng, "HT", &p.date)));
    b.plain(&format!("{}：{}", p.roles[0], p.a.name));
    b.plain(&format!("{}：{}", p.roles[1], p.s.name));
    b.para("甲乙双方根据《中华人民共和国民法典》，经友好协商，订立本合同。");
    let prepay = *rng.pick(&[200u64, 300, 500]);
    let clauses = vec![
        Clause::new(
            if p.service { "服务内容" } else { "合同标的" },
            vec![if p.service {
                format!("乙方为甲方提供{}，服务标准详见附件。", p.product)
            } else {
                format!("乙方向甲方供应{}，规格、数量详见附件清单。", p.product)
            }],
            true,
        ),
        Clause::new("合同金额", vec![format!("合同总金额为{}，含增值税。", both_forms(p.total))], true),
        Clause::new(
            "付款方式",
            vec![format!(
                "合同签订后{}个工作日内甲方预付{}，验收合格后付清余款。乙方账户：{}，账号{}。",
                rng.pick(&[5, 7, 10]),
                percent(prepay),
                p.s.bank,
                p.s.account
            )],
            true,
        ),
        Clause::new(
            if p.service { "服务期限" } else { "交付" },
            vec![format!("乙方应于{}前完成交付。", p.date.plus_days(rng.range_u64(10, 60) as u32).cn())],
            false,
        ),
        Clause::new(
            "违约责任",
            vec![format!(
                "任何一方违约，应按合同总金额的{}向守约方支付违约金。",
                percent(*rng.pick(&[50u64, 100, 200]))
            )],
            false,
        ),
        Clause::new("其他", vec!["本合同一式两份，双方各执一份，自双方盖章之日起生效。".to_string()], true),
    ];
    let budget = bx.rows - b.units() - 4.0;
    add_clauses(&mut b, rng, clauses, budget);
    sign_block(&mut b, rng, ["甲方", "乙方"], [p.a, p.s], [p.label, p.label], &p.date);
    Document {
        kind: DocKind::Contract,
        title: p.title.to_string(),
        issuer: p.a.name.clone(),
        seal_label: p.label.to_string(),
        pages: b.finish(false, 0),
    }
}
