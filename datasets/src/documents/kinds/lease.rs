//! 租赁合同: an office or warehouse lease between a landlord company and a tenant company.

use super::super::amount;
use super::super::content::{Builder, DocKind, Document, TextBox};
use super::super::rng::Rng;
use super::super::vocab::{Company, Date, address};
use super::common::{
    Clause, add_clauses, amount_fen, both_forms, doc_number, party_lines, percent, sign_block, target_pages,
};

pub fn generate(rng: &mut Rng, bx: TextBox) -> Document {
    let landlord = Company::random(rng);
    let tenant = Company::other_than(rng, &landlord);
    let premises = address(rng, &landlord.city);
    let kind = *rng.pick(&["办公", "仓储", "商业", "生产"]);
    let specific = format!("{kind}用房租赁合同");
    let title = *rng.pick(&["房屋租赁合同", "租赁合同", specific.as_str()]);
    let area_hundredths = rng.range_u64(4_000, 300_000);
    let area = format!("{}.{:02}", area_hundredths / 100, area_hundredths % 100);
    let date = Date::random(rng);
    let start = date.plus_days(rng.range_u64(5, 40) as u32);
    let years = rng.range_u64(1, 5) as u32;
    let end = start.plus_months(12 * years);
    let monthly = amount_fen(rng, 3_000.0, 400_000.0);
    let deposit_months = rng.range_u64(1, 3);
    let label = if rng.chance(0.6) { "合同专用章" } else { "" };
    // Leases run to two or three pages.
    let pages = target_pages(rng, [0.0, 0.6, 0.4]);

    let mut b = Builder::new(bx);
    b.title(title);
    b.right(&format!("合同编号：{}", doc_number(rng, "ZL", &date)));
    party_lines(&mut b, rng, "出租方（甲方）", &landlord);
    b.blank();
    party_lines(&mut b, rng, "承租方（乙方）", &tenant);
    b.blank();
    b.para("根据《中华人民共和国民法典》及有关法律法规的规定，甲乙双方在平等、自愿、协商一致的基础上，就乙方承租甲方房屋事宜，订立本合同。");

    let mut clauses = vec![
        Clause::new(
            "房屋基本情况",
            vec![format!(
                "甲方将坐落于{premises}的房屋出租给乙方作{kind}使用，建筑面积为{area}平方米。甲方保证对该房屋享有合法的出租权利，房屋不存在权属纠纷。"
            )],
            true,
        ),
        Clause::new(
            "租赁期限",
            vec![format!(
                "租赁期限为{}年，自{}起至{}止。租赁期满，乙方如需续租，应提前{}日书面通知甲方，同等条件下乙方享有优先承租权。",
                super::super::vocab::cn_number(years as usize),
                start.cn(),
                end.cn(),
                rng.pick(&[30, 60, 90])
            )],
            true,
        ),
        Clause::new(
            "租金及支付方式",
            vec![
                format!("月租金为{}，租金按{}支付。", both_forms(monthly), rng.pick(&["季度", "半年", "月"])),
                format!(
                    "乙方应于每期开始前{}日内将租金汇入甲方指定账户。开户银行：{}；账号：{}。",
                    rng.pick(&[5, 7, 10, 15]),
                    landlord.bank,
                    landlord.account
                ),
                format!(
                    "租金自第{}个租赁年度起每年递增{}。",
                    rng.pick(&["二", "三"]),
                    percent(*rng.pick(&[30u64, 50, 60]))
                ),
            ],
            true,
        ),
        Clause::new(
            "租赁保证金",
            vec![format!(
                "乙方应于本合同签订之日向甲方支付相当于{}个月租金的保证金，即{}。租赁期满乙方结清全部费用并按约交还房屋后，甲方于{}个工作日内无息退还。",
                super::super::vocab::cn_number(deposit_months as usize),
                amount::capital_rmb(monthly * deposit_months),
                rng.pick(&[7, 10, 15])
            )],
            true,
        ),
        Clause::new(
            "违约责任",
            vec![format!(
                "乙方逾期支付租金的，每逾期一日按应付未付金额的{}支付违约金；逾期超过{}日的，甲方有权解除合同并没收保证金。甲方未按时交付房屋的，应按日租金的两倍向乙方支付违约金。",
                percent(*rng.pick(&[3u64, 5])),
                rng.pick(&[15, 30])
            )],
            true,
        ),
    ];
    let mut optional = vec![
        Clause::new(
            "其他费用",
            vec![format!(
                "租赁期内，房屋的水费、电费、通讯费由乙方承担；物业管理费按每月每平方米{}元计收，由乙方直接向物业管理单位缴纳。",
                rng.pick(&["8.50", "12.00", "15.80", "22.00", "6.00"])
            )],
            false,
        ),
        Clause::new(
            "房屋维修与装修",
            vec!["房屋主体结构及公共设施的维修由甲方负责；因乙方使用不当造成损坏的，由乙方负责修复或赔偿。乙方如需装修或改变房屋结构，须事先取得甲方书面同意，并报有关部门审批。".to_string()],
            false,
        ),
        Clause::new(
            "转租",
            vec!["未经甲方书面同意，乙方不得将房屋全部或部分转租、转借给第三方，也不得与他人调换使用。".to_string()],
            false,
        ),
        Clause::new(
            "合同解除",
            vec!["租赁期内，任何一方提前解除合同的，应提前两个月书面通知对方，并向对方支付相当于两个月租金的违约金。因城市规划、房屋征收等原因致使合同无法履行的，双方互不承担违约责任。".to_string()],
            false,
        ),
        Clause::new(
            "房屋交还",
            vec!["租赁期满或合同解除后，乙方应在七日内迁出并将房屋及附属设施按交付时的状态交还甲方，正常损耗除外。逾期不交还的，乙方应按日租金的两倍支付房屋占用费。".to_string()],
            false,
        ),
        Clause::new(
            "消防与安全",
            vec!["乙方应遵守消防及安全生产的有关规定，不得在房屋内存放易燃、易爆等危险物品。因乙方原因引发的安全事故，由乙方承担全部责任。".to_string()],
            false,
        ),
    ];
    rng.shuffle(&mut optional);
    clauses.extend(optional);
    clauses.push(Clause::new(
        "争议解决",
        vec!["本合同履行中发生争议的，双方协商解决；协商不成的，任何一方可向房屋所在地人民法院提起诉讼。".to_string()],
        true,
    ));
    clauses.push(Clause::new(
        "其他",
        vec!["本合同自双方签字盖章之日起生效，一式两份，甲乙双方各执一份。附件《房屋交接清单》为本合同不可分割的组成部分。".to_string()],
        true,
    ));
    let budget = pages as f32 * bx.rows * 0.92 - b.units() - 5.0;
    add_clauses(&mut b, rng, clauses, budget);
    sign_block(&mut b, rng, ["甲方", "乙方"], [&landlord, &tenant], [label, label], &date);
    let footer = rng.below(3) as usize;
    Document {
        kind: DocKind::Lease,
        title: title.to_string(),
        issuer: landlord.name.clone(),
        seal_label: label.to_string(),
        pages: b.finish(rng.chance(0.8), footer),
    }
}
