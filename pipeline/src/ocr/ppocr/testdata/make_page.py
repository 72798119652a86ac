"""Render the synthetic A4 contract page (1240x1754, 150 dpi) the PP-OCR end-to-end test reads.

Usage: python3 make_page.py OUT.png  -> OUT.png (16-grey palette) and OUT.txt (the lines, in reading order).
Needs Pillow and the WenQuanYi Zen Hei font (Debian: fonts-wqy-zenhei).
"""
import sys
from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
W, H = 1240, 1754
img = Image.new("RGB", (W, H), "white")
d = ImageDraw.Draw(img)
title = ImageFont.truetype(FONT, 44)
body = ImageFont.truetype(FONT, 26)
small = ImageFont.truetype(FONT, 22)

lines = []  # (x, y, text, font)
def put(x, y, text, font=body):
    d.text((x, y), text, fill=(0, 0, 0), font=font)
    lines.append(text)

put(420, 90, "技术服务合同", title)
put(860, 170, "合同编号：SH-2025-0318-07", small)
y = 230
body_lines = [
    "甲方：上海华信科技有限公司",
    "统一社会信用代码：91310115MA1H7X2K3Q",
    "地址：上海市浦东新区张江路1288号5幢302室",
    "乙方：杭州明远软件开发有限公司",
    "地址：杭州市西湖区文三路478号华星时代广场A座12楼",
    "根据《中华人民共和国民法典》及相关法律法规的规定，",
    "甲乙双方经友好协商，就技术服务事宜达成如下协议：",
    "第一条 服务内容",
    "1．乙方为甲方提供印章管理系统的部署、调试与培训服务。",
    "2．服务期限自2025年4月1日起至2026年3月31日止。",
    "第二条 合同金额及支付方式",
    "合同金额：人民币壹拾贰万捌仟伍佰陆拾元整（¥128,560.00）",
    "首付款：人民币叁万捌仟伍佰陆拾捌元整（¥38,568.00）",
    "尾款：人民币捌万玖仟玖佰玖拾贰元整（¥89,992.00）",
    "开户银行：中国工商银行上海张江支行",
    "账号：1001 2345 6789 0123 456",
    "第三条 双方权利与义务",
    "1．甲方应按时支付服务费用，并提供必要的工作条件。",
    "2．乙方应保证服务质量，响应时间不超过4小时。",
    "第四条 违约责任",
    "任何一方违约的，应向守约方支付合同金额20%的违约金。",
    "第五条 争议解决",
    "因本合同引起的争议，提交上海仲裁委员会仲裁解决。",
    "第六条 其他",
    "本合同一式贰份，甲乙双方各执壹份，具有同等法律效力。",
    "本合同自双方签字盖章之日起生效。",
]
for t in body_lines:
    put(110, y, t)
    y += 44
y += 30
# Two columns on the same rows.
put(110, y, "甲方（盖章）：上海华信科技有限公司")
put(700, y, "乙方（盖章）：杭州明远软件开发有限公司", small)
y += 50
put(110, y, "法定代表人：王建国")
put(700, y, "法定代表人：李明远")
y += 50
put(110, y, "签订日期：2025年3月18日")
put(700, y, "签订日期：2025年3月18日")
y += 50
put(110, y, "联系电话：021-5080 3366")
put(700, y, "联系电话：0571-8812 6699")
out = sys.argv[1] if len(sys.argv) > 1 else "page.png"
img.convert("L").quantize(16).save(out, optimize=True)
open(out.rsplit(".", 1)[0] + ".txt", "w").write("\n".join(lines) + "\n")
print(len(lines), "lines")
