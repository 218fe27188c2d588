#!/usr/bin/env bash
# Certificate generation: ocop-docs (printpdf) vs LibreOffice, in one run.
#
# 1. Runs `cargo bench -p ocop-docs --bench certificates` (1 and 500
#    certificates in one PDF) unless SKIP_OURS=1.
# 2. Builds the same certificate as a flat ODT template (.fodt) with the same
#    fields (motto, issuing body, title, product, owner, address, set, code,
#    star rank with ★, decision number and date, validity, QR code as a PNG
#    from qrencode, date line, signer), fills 500 copies into ONE document
#    (page break between certificates) and times
#    `soffice --headless --convert-to pdf`.
# 3. Prints seconds and bytes per certificate for both, and the speed ratio.
#
# Installs libreoffice-writer and qrencode with apt when missing.
# Usage: bash bench/libreoffice-baseline.sh [N]   (N defaults to 500)
# KEEP_DIR=dir keeps LibreOffice's PDFs; SKIP_OURS=1 skips cargo bench.
set -euo pipefail

N="${1:-500}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$(mktemp -d /tmp/ocop-lo-bench.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT

need_apt=()
command -v soffice >/dev/null 2>&1 || need_apt+=(libreoffice-writer)
command -v qrencode >/dev/null 2>&1 || need_apt+=(qrencode)
if [ "${#need_apt[@]}" -gt 0 ]; then
  echo "installing: ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

# --- ours ---------------------------------------------------------------------
OURS_500=""
if [ "${SKIP_OURS:-0}" != "1" ]; then
  echo "== ocop-docs (cargo bench, release) =="
  (cd "$ROOT" && cargo bench -p ocop-docs --bench certificates 2>/dev/null) | tee "$WORK/ours.txt"
  OURS_500="$(sed -n 's/^ocop-docs 500 certificate(s): \([0-9.]*\) s.*/\1/p' "$WORK/ours.txt")"
fi

# --- LibreOffice ----------------------------------------------------------------
echo "== LibreOffice $(soffice --version 2>/dev/null | head -n1) =="
mkdir -p "$WORK/qr"
for i in $(seq 0 $((N - 1))); do
  code=$(printf 'TH-2026-%04d' $((100 + i)))
  qrencode -l M -s 4 -m 0 -o "$WORK/qr/$i.png" \
    "OCOP1.$code.4.20291130.MEUCIQDx7Hq3b2VwZkYtcm91bmQtMjAyNi0yLWNlcnQt$(printf '%04d' "$i")"
done

python3 - "$WORK" "$N" <<'PY'
import base64, sys
from xml.sax.saxutils import escape as e

work, n = sys.argv[1], int(sys.argv[2])
products = [
    ("Chè xanh Bình Sơn", "Hợp tác xã Nông nghiệp Xuân Lâm",
     "Thôn Bình Sơn, xã Xuân Lâm, tỉnh Thanh Hóa", "Chè tươi, chè chế biến", 4),
    ("Bánh gai Tứ Trụ", "Cơ sở sản xuất bánh gai Đức Thành",
     "Làng Tứ Trụ, xã Thọ Diên, tỉnh Thanh Hóa", "Chế biến từ gạo, ngũ cốc", 3),
    ("Nem chua Thanh Hóa Bà Nguyệt", "Công ty Cổ phần Thực phẩm Bà Nguyệt",
     "Phường Hạc Thành, tỉnh Thanh Hóa", "Chế biến từ thịt, thủy sản", 4),
    ("Nước mắm Ba Làng", "Công ty TNHH Hải sản Ánh Dương",
     "Phường Quảng Tiến, tỉnh Thanh Hóa", "Tương, nước mắm, gia vị dạng lỏng khác", 5),
    ("Mật ong bạc hà Cẩm Thủy", "Hộ kinh doanh Nguyễn Văn Ước",
     "Xã Cẩm Thủy, tỉnh Thanh Hóa", "Mật ong, mật khác", 3),
]

head = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
 xmlns:xlink="http://www.w3.org/1999/xlink"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
<office:font-face-decls>
 <style:font-face style:name="Liberation Serif" svg:font-family="'Liberation Serif'" style:font-family-generic="roman"/>
 <style:font-face style:name="DejaVu Sans" svg:font-family="'DejaVu Sans'" style:font-family-generic="swiss"/>
</office:font-face-decls>
<office:styles>
 <style:style style:name="Standard" style:family="paragraph">
  <style:paragraph-properties fo:text-align="center" fo:margin-top="0cm" fo:margin-bottom="0cm"/>
  <style:text-properties style:font-name="Liberation Serif" fo:font-size="13pt"/>
 </style:style>
</office:styles>
<office:automatic-styles>
 <style:page-layout style:name="pm1">
  <style:page-layout-properties fo:page-width="29.7cm" fo:page-height="21cm" style:print-orientation="landscape"
   fo:margin-top="0.8cm" fo:margin-bottom="0.8cm" fo:margin-left="0.8cm" fo:margin-right="0.8cm"
   fo:border="0.106cm double #9e1212" fo:padding="0.4cm"/>
 </style:page-layout>
 <style:style style:name="P" style:family="paragraph" style:parent-style-name="Standard"/>
 <style:style style:name="PB" style:family="paragraph" style:parent-style-name="Standard">
  <style:paragraph-properties fo:break-before="page"/>
  <style:text-properties fo:font-weight="bold"/>
 </style:style>
 <style:style style:name="Bold" style:family="paragraph" style:parent-style-name="Standard">
  <style:text-properties fo:font-weight="bold"/>
 </style:style>
 <style:style style:name="Motto" style:family="paragraph" style:parent-style-name="Standard">
  <style:text-properties fo:font-weight="bold" style:text-underline-style="solid" style:text-underline-width="auto" style:text-underline-color="font-color"/>
 </style:style>
 <style:style style:name="Body" style:family="paragraph" style:parent-style-name="Standard">
  <style:paragraph-properties fo:margin-top="0.3cm"/>
  <style:text-properties fo:font-weight="bold" fo:font-size="14pt"/>
 </style:style>
 <style:style style:name="Title" style:family="paragraph" style:parent-style-name="Standard">
  <style:paragraph-properties fo:margin-top="0.5cm"/>
  <style:text-properties fo:font-weight="bold" fo:font-size="34pt" fo:color="#9e1212"/>
 </style:style>
 <style:style style:name="Sub" style:family="paragraph" style:parent-style-name="Standard">
  <style:text-properties fo:font-weight="bold" fo:font-size="21pt" fo:color="#9e1212"/>
 </style:style>
 <style:style style:name="It" style:family="paragraph" style:parent-style-name="Standard">
  <style:text-properties fo:font-style="italic"/>
 </style:style>
 <style:style style:name="Prod" style:family="paragraph" style:parent-style-name="Standard">
  <style:paragraph-properties fo:margin-top="0.4cm"/>
  <style:text-properties fo:font-weight="bold" fo:font-size="26pt" fo:color="#9e1212"/>
 </style:style>
 <style:style style:name="Rank" style:family="paragraph" style:parent-style-name="Standard">
  <style:paragraph-properties fo:margin-top="0.4cm"/>
  <style:text-properties fo:font-weight="bold" fo:font-size="19pt" fo:color="#9e1212"/>
 </style:style>
 <style:style style:name="Stars" style:family="paragraph" style:parent-style-name="Standard">
  <style:text-properties style:font-name="DejaVu Sans" fo:font-size="30pt" fo:color="#dba317"/>
 </style:style>
 <style:style style:name="Left" style:family="paragraph" style:parent-style-name="Standard">
  <style:paragraph-properties fo:text-align="start"/>
  <style:text-properties fo:font-size="11.5pt"/>
 </style:style>
 <style:style style:name="B" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style>
 <style:style style:name="I" style:family="text"><style:text-properties fo:font-style="italic"/></style:style>
 <style:style style:name="Tbl" style:family="table">
  <style:table-properties style:width="26.9cm" table:align="center" fo:margin-top="0.4cm"/>
 </style:style>
 <style:style style:name="TblA" style:family="table-column"><style:table-column-properties style:column-width="14.8cm"/></style:style>
 <style:style style:name="TblB" style:family="table-column"><style:table-column-properties style:column-width="12.1cm"/></style:style>
 <style:style style:name="fr" style:family="graphic">
  <style:graphic-properties style:wrap="right" style:vertical-pos="top" style:horizontal-pos="left"
   style:vertical-rel="paragraph" style:horizontal-rel="paragraph"/>
 </style:style>
</office:automatic-styles>
<office:master-styles>
 <style:master-page style:name="Standard" style:page-layout-name="pm1"/>
</office:master-styles>
<office:body><office:text>
"""

def cert(i):
    name, owner, addr, setn, star = products[i % len(products)]
    code = "TH-2026-%04d" % (100 + i)
    qr = base64.b64encode(open(f"{work}/qr/{i}.png", "rb").read()).decode()
    first = "PB" if i else "Bold"
    return f"""
<text:p text:style-name="{first}">CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</text:p>
<text:p text:style-name="Motto">Độc lập - Tự do - Hạnh phúc</text:p>
<text:p text:style-name="Body">ỦY BAN NHÂN DÂN TỈNH THANH HÓA</text:p>
<text:p text:style-name="Left">Số: {i + 1:03d}/GCN-UBND</text:p>
<text:p text:style-name="Title">GIẤY CHỨNG NHẬN</text:p>
<text:p text:style-name="Sub">SẢN PHẨM OCOP</text:p>
<text:p text:style-name="It">Chương trình Mỗi xã một sản phẩm tỉnh Thanh Hóa năm 2026</text:p>
<text:p text:style-name="It">Chứng nhận sản phẩm:</text:p>
<text:p text:style-name="Prod">{e(name.upper())}</text:p>
<text:p text:style-name="P">Chủ thể: <text:span text:style-name="B">{e(owner)}</text:span></text:p>
<text:p text:style-name="P">Địa chỉ: <text:span text:style-name="B">{e(addr)}</text:span></text:p>
<text:p text:style-name="P">Bộ sản phẩm: <text:span text:style-name="B">{e(setn)}</text:span> - Mã số sản phẩm: <text:span text:style-name="B">{code}</text:span></text:p>
<text:p text:style-name="Rank">ĐẠT HẠNG {star} SAO</text:p>
<text:p text:style-name="Stars">{"★" * star}</text:p>
<table:table table:name="T{i}" table:style-name="Tbl">
 <table:table-column table:style-name="TblA"/><table:table-column table:style-name="TblB"/>
 <table:table-row>
  <table:table-cell office:value-type="string">
   <text:p text:style-name="Left"><draw:frame draw:style-name="fr" draw:name="qr{i}" text:anchor-type="paragraph" svg:width="2.8cm" svg:height="2.8cm"><draw:image><office:binary-data>{qr}</office:binary-data></draw:image></draw:frame>Quyết định số 125/QĐ-UBND</text:p>
   <text:p text:style-name="Left">ngày 30/11/2026</text:p>
   <text:p text:style-name="Left"><text:span text:style-name="B">Có giá trị đến ngày 30/11/2029</text:span></text:p>
   <text:p text:style-name="Left"><text:span text:style-name="I">Quét mã QR để kiểm tra giấy chứng nhận</text:span></text:p>
  </table:table-cell>
  <table:table-cell office:value-type="string">
   <text:p text:style-name="It">Thanh Hóa, ngày 30 tháng 11 năm 2026</text:p>
   <text:p text:style-name="Bold">KT. CHỦ TỊCH</text:p>
   <text:p text:style-name="Bold">PHÓ CHỦ TỊCH</text:p>
   <text:p text:style-name="P"/><text:p text:style-name="P"/><text:p text:style-name="P"/>
   <text:p text:style-name="Bold">Lê Đức Giang</text:p>
  </table:table-cell>
 </table:table-row>
</table:table>
"""

for count, name in ((1, "one"), (n, "many")):
    with open(f"{work}/{name}.fodt", "w", encoding="utf-8") as f:
        f.write(head)
        for i in range(count):
            f.write(cert(i))
        f.write("</office:text></office:body></office:document>\n")
PY

PROFILE="file://$WORK/profile"
lo() { soffice "-env:UserInstallation=$PROFILE" --headless --norestore --convert-to pdf --outdir "$WORK/out" "$1" >/dev/null 2>&1; }
mkdir -p "$WORK/out"
# Warm-up: creates the user profile, not timed.
lo "$WORK/one.fodt"
rm -f "$WORK/out/one.pdf"

t0=$(date +%s.%N); lo "$WORK/one.fodt"; t1=$(date +%s.%N)
LO_1=$(echo "$t1 - $t0" | bc -l)
B1=$(stat -c %s "$WORK/out/one.pdf")
printf 'libreoffice 1 certificate: %.3f s, %d bytes\n' "$LO_1" "$B1"

t0=$(date +%s.%N); lo "$WORK/many.fodt"; t1=$(date +%s.%N)
LO_N=$(echo "$t1 - $t0" | bc -l)
BN=$(stat -c %s "$WORK/out/many.pdf")
PAGES=$(pdfinfo "$WORK/out/many.pdf" 2>/dev/null | sed -n 's/^Pages: *//p' || echo "?")
printf 'libreoffice %d certificates: %.3f s, %d bytes, %.0f bytes/certificate, %.2f ms/certificate (%s pages)\n' \
  "$N" "$LO_N" "$BN" "$(echo "$BN / $N" | bc -l)" "$(echo "$LO_N * 1000 / $N" | bc -l)" "$PAGES"

if [ -n "${KEEP_DIR:-}" ]; then
  mkdir -p "$KEEP_DIR" && cp "$WORK/out/one.pdf" "$KEEP_DIR/libreoffice-1.pdf" && cp "$WORK/out/many.pdf" "$KEEP_DIR/libreoffice-$N.pdf"
fi

if [ -n "$OURS_500" ] && [ "$N" = "500" ]; then
  printf 'speed-up (500 certificates): %.0fx\n' "$(echo "$LO_N / $OURS_500" | bc -l)"
fi
