//! The particulars that fill Chinese business documents: company and person names, addresses,
//! dates, phone numbers, bank accounts, unified social credit codes and ID numbers, each drawn
//! from a seeded [`Rng`] and each well-formed (check digits computed, not invented).

use super::rng::Rng;

/// A city with what documents from it carry: area code, administrative code, districts, roads.
#[derive(Debug, Clone, Copy)]
pub struct City {
    pub name: &'static str,
    pub area_code: &'static str,
    pub admin_code: &'static str,
    pub districts: &'static [&'static str],
    pub roads: &'static [&'static str],
}

pub const CITIES: &[City] = &[
    City {
        name: "上海",
        area_code: "021",
        admin_code: "310115",
        districts: &["浦东新区", "徐汇区", "闵行区", "静安区", "嘉定区"],
        roads: &["张江路", "龙华中路", "虹梅路", "南京西路", "博园路", "碧波路"],
    },
    City {
        name: "北京",
        area_code: "010",
        admin_code: "110108",
        districts: &["海淀区", "朝阳区", "丰台区", "大兴区"],
        roads: &["中关村大街", "建国路", "西三环北路", "科创十三街", "上地信息路"],
    },
    City {
        name: "深圳",
        area_code: "0755",
        admin_code: "440305",
        districts: &["南山区", "福田区", "宝安区", "龙岗区"],
        roads: &["科技园南路", "深南大道", "宝安大道", "高新南一道"],
    },
    City {
        name: "广州",
        area_code: "020",
        admin_code: "440106",
        districts: &["天河区", "黄埔区", "番禺区", "海珠区"],
        roads: &["天河北路", "科学大道", "珠江新城华夏路", "新港东路"],
    },
    City {
        name: "杭州",
        area_code: "0571",
        admin_code: "330106",
        districts: &["西湖区", "滨江区", "余杭区", "萧山区"],
        roads: &["文三路", "江南大道", "文一西路", "市心北路"],
    },
    City {
        name: "南京",
        area_code: "025",
        admin_code: "320106",
        districts: &["鼓楼区", "江宁区", "建邺区", "玄武区"],
        roads: &["中山北路", "双龙大道", "江东中路", "珠江路"],
    },
    City {
        name: "苏州",
        area_code: "0512",
        admin_code: "320505",
        districts: &["工业园区", "虎丘区", "吴中区", "相城区"],
        roads: &["星湖街", "金鸡湖大道", "长江路", "东吴北路"],
    },
    City {
        name: "成都",
        area_code: "028",
        admin_code: "510107",
        districts: &["武侯区", "高新区", "锦江区", "成华区"],
        roads: &["天府大道", "人民南路", "益州大道", "蜀都大道"],
    },
    City {
        name: "武汉",
        area_code: "027",
        admin_code: "420111",
        districts: &["洪山区", "江汉区", "东湖高新区", "武昌区"],
        roads: &["珞喻路", "光谷大道", "建设大道", "中北路"],
    },
    City {
        name: "天津",
        area_code: "022",
        admin_code: "120116",
        districts: &["滨海新区", "南开区", "河西区", "西青区"],
        roads: &["第三大街", "卫津路", "友谊路", "南京路"],
    },
];

const NAME_SYLLABLES: &[&str] = &[
    "华信", "恒达", "中科", "博远", "瑞丰", "鼎盛", "汇通", "宏图", "联创", "嘉禾", "永盛", "东方", "智远", "天诚",
    "金桥", "新元", "昌隆", "信达", "海纳", "星辰", "万象", "安泰", "远航", "正邦", "明德", "德润", "百川", "祥和",
    "锦程", "润泽", "华泰", "国信", "广源", "启明", "卓越", "盛世", "凯特", "晨光",
];

/// Industry word and what such a company sells (goods or services), for coherent contracts.
pub const INDUSTRIES: &[(&str, &[&str])] = &[
    ("科技", &["软件开发服务", "信息系统集成服务", "网络设备", "数据处理服务"]),
    ("信息技术", &["软件许可及技术支持服务", "服务器及存储设备", "运维外包服务"]),
    ("贸易", &["办公用品", "电子元器件", "劳保用品", "五金工具"]),
    ("机械设备", &["数控机床配件", "工业水泵", "输送设备", "液压元件"]),
    ("建设工程", &["装修工程", "钢结构工程", "机电安装工程"]),
    ("物流", &["仓储服务", "运输服务", "供应链管理服务"]),
    ("医疗器械", &["医用耗材", "检验试剂", "诊断设备"]),
    ("电子", &["传感器模组", "印制电路板", "电源适配器"]),
    ("商务咨询", &["管理咨询服务", "市场调研服务", "财务咨询服务"]),
    ("新材料", &["高分子材料", "特种涂料", "复合板材"]),
    ("物业管理", &["物业管理服务", "保洁服务", "安保服务"]),
    ("食品", &["预包装食品", "农副产品", "饮料"]),
];

const SUFFIXES: &[&str] = &["有限公司", "有限公司", "有限公司", "股份有限公司", "有限责任公司"];

/// A company: its name and the particulars printed next to it.
#[derive(Debug, Clone)]
pub struct Company {
    pub name: String,
    /// Short name for the seal (the full name; seals carry the registered name).
    pub city: City,
    pub industry: usize,
    pub address: String,
    pub phone: String,
    pub legal_rep: String,
    pub contact: String,
    pub mobile: String,
    pub credit_code: String,
    pub bank: String,
    pub account: String,
}

impl Company {
    pub fn random(rng: &mut Rng) -> Company {
        let city = *rng.pick(CITIES);
        Company::in_city(rng, city)
    }

    /// A company different from `other` (name and industry drawn again until they differ).
    pub fn other_than(rng: &mut Rng, other: &Company) -> Company {
        loop {
            let c = Company::random(rng);
            if c.name != other.name {
                return c;
            }
        }
    }

    fn in_city(rng: &mut Rng, city: City) -> Company {
        let industry = rng.below(INDUSTRIES.len() as u64) as usize;
        let name = format!("{}{}{}{}", city.name, rng.pick(NAME_SYLLABLES), INDUSTRIES[industry].0, rng.pick(SUFFIXES));
        Company {
            address: address(rng, &city),
            phone: landline(rng, &city),
            legal_rep: person(rng),
            contact: person(rng),
            mobile: mobile(rng),
            credit_code: credit_code(rng, &city),
            bank: bank_branch(rng, &city),
            account: bank_account(rng),
            name,
            city,
            industry,
        }
    }

    /// What this company sells.
    pub fn products(&self) -> &'static [&'static str] {
        INDUSTRIES[self.industry.min(INDUSTRIES.len() - 1)].1
    }
}

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "林", "罗",
    "高", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "欧阳", "诸葛",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "霞",
    "平", "刚", "桂英", "建华", "志强", "海燕", "晓东", "文博", "思远", "雨桐", "子涵", "国庆", "春梅", "立新", "振宇",
];

/// A person's name: surname + one or two given characters.
pub fn person(rng: &mut Rng) -> String {
    let mut s = rng.pick(SURNAMES).to_string();
    s.push_str(rng.pick::<&str>(GIVEN));
    if s.chars().count() == 2 && rng.chance(0.3) {
        s.push_str(rng.pick::<&str>(&["华", "宇", "琳", "峰", "婷", "斌"]));
    }
    s
}

/// `上海市浦东新区张江路1288号3号楼501室`.
pub fn address(rng: &mut Rng, city: &City) -> String {
    let mut s =
        format!("{}市{}{}{}号", city.name, rng.pick(city.districts), rng.pick(city.roads), rng.range_u64(1, 2999));
    if rng.chance(0.6) {
        s.push_str(&format!("{}号楼", rng.range_u64(1, 12)));
    }
    if rng.chance(0.7) {
        s.push_str(&format!("{}{:02}室", rng.range_u64(1, 22), rng.range_u64(1, 20)));
    }
    s
}

/// `021-62345678`.
pub fn landline(rng: &mut Rng, city: &City) -> String {
    let digits = if city.area_code.len() == 3 { 8 } else { 7 + rng.below(2) as usize };
    let mut s = format!("{}-{}", city.area_code, rng.range_u64(2, 8));
    for _ in 1..digits {
        s.push(char::from(b'0' + rng.below(10) as u8));
    }
    s
}

/// `13812345678`.
pub fn mobile(rng: &mut Rng) -> String {
    let prefix = rng.pick(&["135", "136", "138", "139", "150", "152", "158", "186", "187", "177", "199"]);
    let mut s = prefix.to_string();
    for _ in 0..8 {
        s.push(char::from(b'0' + rng.below(10) as u8));
    }
    s
}

/// A bank branch in the city: `中国工商银行上海张江支行`.
pub fn bank_branch(rng: &mut Rng, city: &City) -> String {
    let bank = rng.pick(&[
        "中国工商银行",
        "中国建设银行",
        "中国银行",
        "中国农业银行",
        "招商银行",
        "交通银行",
        "浦发银行",
        "兴业银行",
    ]);
    let road = rng.pick(city.roads);
    let branch: String = road.chars().take(2).collect();
    if rng.chance(0.3) {
        format!("{bank}{}分行营业部", city.name)
    } else {
        format!("{bank}{}{branch}支行", city.name)
    }
}

/// A corporate account number of 16 to 19 digits.
pub fn bank_account(rng: &mut Rng) -> String {
    let len = rng.range_usize(16, 19);
    let mut s = String::with_capacity(len);
    s.push(char::from(b'1' + rng.below(9) as u8));
    for _ in 1..len {
        s.push(char::from(b'0' + rng.below(10) as u8));
    }
    s
}

/// Unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters, registration authority
/// `9` (industry and commerce), type `1` (enterprise), the 6-digit administrative code, the 9-character
/// organisation code (with its GB 11714 check character) and the final check character.
pub fn credit_code(rng: &mut Rng, city: &City) -> String {
    let mut s = String::from("91");
    s.push_str(city.admin_code);
    // Organisation code body: 8 digits or upper-case letters (mostly digits, like real ones).
    let mut org = Vec::with_capacity(9);
    for _ in 0..8 {
        org.push(if rng.chance(0.8) { b'0' + rng.below(10) as u8 } else { b'A' + rng.below(26) as u8 });
    }
    org.push(org_check(&org));
    s.extend(org.iter().map(|&b| char::from(b)));
    s.push(credit_check(&s));
    s
}

/// The check character of the first 17 characters of a unified social credit code.
fn credit_check(first17: &str) -> char {
    const CHARSET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    let weights = [1u32, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
    let sum: u32 =
        first17.bytes().zip(weights).map(|(b, w)| CHARSET.iter().position(|&c| c == b).unwrap_or(0) as u32 * w).sum();
    char::from(CHARSET[((31 - sum % 31) % 31) as usize])
}

/// GB 11714 check character of an 8-character organisation code body.
fn org_check(body: &[u8]) -> u8 {
    let weights = [3u32, 7, 9, 10, 5, 8, 4, 2];
    let value = |b: u8| if b.is_ascii_digit() { u32::from(b - b'0') } else { u32::from(b - b'A') + 10 };
    let sum: u32 = body.iter().zip(weights).map(|(&b, w)| value(b) * w).sum();
    match 11 - sum % 11 {
        10 => b'X',
        11 => b'0',
        c => b'0' + c as u8,
    }
}

/// Resident ID number (GB 11643): region, birth date, sequence, ISO 7064 MOD 11-2 check.
pub fn id_number(rng: &mut Rng, city: &City) -> String {
    let mut s = String::from(city.admin_code);
    s.push_str(&format!("{}{:02}{:02}", rng.range_u64(1965, 2000), rng.range_u64(1, 12), rng.range_u64(1, 28)));
    s.push_str(&format!("{:03}", rng.range_u64(1, 999)));
    let weights = [7u32, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = s.bytes().zip(weights).map(|(b, w)| u32::from(b - b'0') * w).sum();
    s.push(char::from(b"10X98765432"[(sum % 11) as usize]));
    s
}

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: u32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    /// A date in 2023..=2026.
    pub fn random(rng: &mut Rng) -> Date {
        let month = rng.range_u64(1, 12) as u32;
        let year = rng.range_u64(2023, 2026) as u32;
        Date { year, month, day: rng.range_u64(1, u64::from(days_in(year, month))) as u32 }
    }

    /// `2025年3月18日`.
    pub fn cn(&self) -> String {
        format!("{}年{}月{}日", self.year, self.month, self.day)
    }

    /// `2025-03-18`.
    pub fn iso(&self) -> String {
        format!("{}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// `20250318`, for document numbers.
    pub fn compact(&self) -> String {
        format!("{}{:02}{:02}", self.year, self.month, self.day)
    }

    /// Either written style, at random.
    pub fn any_style(&self, rng: &mut Rng) -> String {
        if rng.chance(0.6) { self.cn() } else { self.iso() }
    }

    /// This date plus `days` days.
    pub fn plus_days(&self, days: u32) -> Date {
        let mut d = *self;
        for _ in 0..days {
            d.day += 1;
            if d.day > days_in(d.year, d.month) {
                d.day = 1;
                d.month += 1;
                if d.month > 12 {
                    d.month = 1;
                    d.year += 1;
                }
            }
        }
        d
    }

    /// Same day `months` months later (clamped to the month's end).
    pub fn plus_months(&self, months: u32) -> Date {
        let total = self.month - 1 + months;
        let (year, month) = (self.year + total / 12, total % 12 + 1);
        Date { year, month, day: self.day.min(days_in(year, month)) }
    }
}

fn days_in(year: u32, month: u32) -> u32 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Chinese numerals for clause numbers: 一 ... 九十九.
pub fn cn_number(n: usize) -> String {
    const D: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => D[n].to_string(),
        10..=19 => format!("十{}", if n == 10 { "" } else { D[n - 10] }),
        20..=99 => format!("{}十{}", D[n / 10], if n.is_multiple_of(10) { "" } else { D[n % 10] }),
        _ => n.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_well_formed() {
        let mut rng = Rng::new(11);
        for _ in 0..200 {
            let city = *rng.pick(CITIES);
            let code = credit_code(&mut rng, &city);
            assert_eq!(code.len(), 18, "{code}");
            assert!(code.starts_with("91"));
            let acct = bank_account(&mut rng);
            assert!((16..=19).contains(&acct.len()) && acct.bytes().all(|b| b.is_ascii_digit()));
            let id = id_number(&mut rng, &city);
            assert_eq!(id.len(), 18);
            assert_eq!(mobile(&mut rng).len(), 11);
            let c = Company::random(&mut rng);
            assert!(c.name.ends_with("公司") && c.name.chars().count() >= 8, "{}", c.name);
        }
        // Published examples: organisation code D2143569-X, credit codes of registered companies.
        assert_eq!(org_check(b"D2143569"), b'X');
        assert_eq!(credit_check("91350100M000100Y4"), '3');
        assert_eq!(credit_check("91110000802100433"), 'B');
    }

    #[test]
    fn dates_and_numbers_render() {
        let d = Date { year: 2025, month: 3, day: 18 };
        assert_eq!(d.cn(), "2025年3月18日");
        assert_eq!(d.iso(), "2025-03-18");
        assert_eq!(Date { year: 2024, month: 12, day: 31 }.plus_days(1), Date { year: 2025, month: 1, day: 1 });
        assert_eq!(Date { year: 2025, month: 1, day: 31 }.plus_months(1), Date { year: 2025, month: 2, day: 28 });
        assert_eq!(cn_number(1), "一");
        assert_eq!(cn_number(10), "十");
        assert_eq!(cn_number(12), "十二");
        assert_eq!(cn_number(20), "二十");
        assert_eq!(cn_number(23), "二十三");
    }
}
