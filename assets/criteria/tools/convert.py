#!/usr/bin/env python3
"""Build the project's criteria data (format ``ocop-criteria/1``) from the research reference.

Usage (from anywhere; paths default relative to the repository root):

    python3 assets/criteria/tools/convert.py [REFERENCE_JSON] [--out DIR]
    python3 assets/criteria/tools/convert.py --check [PATH]

The first form reads ``criteria-reference.json`` (default: ``../shared/domain/criteria-reference.json``
relative to the repository root), writes ``QD148-2023/`` and ``QD26-2026/`` (decision.json + 01..26.json)
and ``NOTES.md`` into ``assets/criteria/`` (or ``--out``), then validates what it wrote.

``--check`` validates a criteria directory (default ``assets/criteria``), one decision directory, or a
single set file against the invariants of ``FORMAT.md`` (plus text hygiene: NFC, trimmed, no double
spaces). Exit status 1 when anything is refused.

Python 3 standard library only. Every change made to the reference data is listed in an explicit,
commented table below (TEXT_FIXES_148, CORRECTIONS, NEST_148_13, the rule functions); NOTES.md is
generated from those tables so that the data and its justification cannot drift apart.
"""

import json
import os
import re
import sys
import unicodedata

FORMAT_ID = "ocop-criteria/1"
HERE = os.path.dirname(os.path.abspath(__file__))
CRITERIA_DIR = os.path.dirname(HERE)                        # assets/criteria
REPO_ROOT = os.path.dirname(os.path.dirname(CRITERIA_DIR))  # repository root
DEFAULT_REFERENCE = os.path.join(REPO_ROOT, "..", "shared", "domain", "criteria-reference.json")

# --------------------------------------------------------------------------------------------------
# Decisions
# --------------------------------------------------------------------------------------------------

DECISIONS = {
    # reference index -> decision metadata that is not (or not exactly) in the reference
    0: {
        "id": "QD148-2023",
        "number": "148/QĐ-TTg",
        "signed": "2023-02-24",
        "effective": "2023-02-24",
        # 26/2026/QĐ-TTg (22/5/2026): QĐ 148 and QĐ 1489 lapse 60 days after 22/5/2026 -> 2026-07-21.
        "lapses": "2026-07-21",
        "procedures": ["148-district", "148-province", "centre"],
        "source": (
            "Third-party CSV transcription of the QĐ 148/QĐ-TTg Phụ lục III score sheets "
            "(https://github.com/augustine-tran/ocop, db/ocop/*.csv, commit d64e94c7, 2024) as structured in "
            "shared/domain/criteria-reference.json versions[0]; not checked against the official PDF; "
            "corrections and gap fills listed in assets/criteria/NOTES.md"
        ),
    },
    1: {
        "id": "QD26-2026",
        "number": "26/2026/QĐ-TTg",
        "signed": "2026-05-22",
        "effective": "2026-05-22",
        "procedures": ["26-province", "centre"],
        "source": (
            "Full text of QĐ 26/2026/QĐ-TTg, Phụ lục II (saved copy https://github.com/hakienpdu95/minhan "
            "docs/bnn_txng.html, commit 94397bfc; official text at vanban.chinhphu.vn docid=218267) as "
            "transcribed in shared/domain/criteria-reference.json versions[1]; corrections listed in "
            "assets/criteria/NOTES.md"
        ),
    },
}

# The 26/2026 footnote printed under every sheet. The 148 transcription has no footer row; the same
# star markers (*** / **** / *****) are used on the 148 sheets with the same meaning, so the 26/2026
# wording is reused for 148 (decision recorded in NOTES.md).
FOOTER_26 = "Dấu sao là yêu cầu tối thiểu phải đạt theo các cấp độ sao (*** - 3 sao; **** - 4 sao; ***** - 5 sao)"

# --------------------------------------------------------------------------------------------------
# Classification (ocop-rules.md section 2; codes are the project's own, Roman category . group . letter)
# --------------------------------------------------------------------------------------------------

CATEGORIES = {
    "I": "Thực phẩm",
    "II": "Đồ uống",
    "III": "Dược liệu và sản phẩm từ dược liệu",
    "IV": "Hàng thủ công mỹ nghệ",
    "V": "Sinh vật cảnh",
    "VI": "Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch",
}
GROUPS = {
    "I.1": "Thực phẩm tươi sống",
    "I.2": "Thực phẩm thô, sơ chế",
    "I.3": "Thực phẩm chế biến",
    "I.4": "Gia vị",
    "I.5": "Chè",
    "I.6": "Cà phê, ca cao",
    "II.1": "Đồ uống có cồn",
    "II.2": "Đồ uống không cồn",
    "III.1": "Thực phẩm chức năng, thuốc dược liệu, thuốc cổ truyền",
    "III.2": "Mỹ phẩm có thành phần từ dược liệu",
    "III.3": "Tinh dầu và dược liệu khác",
    "IV.1": "Thủ công mỹ nghệ gia dụng, trang trí",
    "IV.2": "Vải, may mặc",
    "V.1": "Hoa",
    "V.2": "Cây cảnh",
    "V.3": "Động vật cảnh",
    "VI.1": "Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch",
}
# set number -> subgroup code. Sets that are directly a group (no phân nhóm) use the group code.
SUBGROUP = {
    1: "I.1.a", 2: "I.1.b", 3: "I.2.a", 4: "I.2.b", 5: "I.3.a", 6: "I.3.b", 7: "I.3.c", 8: "I.3.d",
    9: "I.4.a", 10: "I.4.b", 11: "I.5.a", 12: "I.5.b", 13: "I.6",
    14: "II.1.a", 15: "II.1.b", 16: "II.2.a", 17: "II.2.b",
    18: "III.1", 19: "III.2", 20: "III.3", 21: "IV.1", 22: "IV.2", 23: "V.1", 24: "V.2", 25: "V.3",
    26: "VI.1",
}

PART_TITLES = {
    "A": "SẢN PHẨM VÀ SỨC MẠNH CỦA CỘNG ĐỒNG",
    "B": "KHẢ NĂNG TIẾP THỊ",
    "C": "CHẤT LƯỢNG SẢN PHẨM",
}
PART_MAX = {"A": 40, "B": 25, "C": 35}

# --------------------------------------------------------------------------------------------------
# Text
# --------------------------------------------------------------------------------------------------


def norm(text):
    """NFC, whitespace runs (incl. line breaks) collapsed to one space, trimmed."""
    if text is None:
        return None
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"\s+", " ", text)
    return text.strip()


# Obvious OCR errors of the third-party 148 transcription (the CSV), fixed by substring replacement
# in every 148 text (titles, options, notes). The 26/2026 text is official and kept verbatim.
# (wrong, right, why)
TEXT_FIXES_148 = [
    ("bảo vệ môi hường", "bảo vệ môi trường", "OCR 't' lost ('môi hường'); same sentence elsewhere reads 'môi trường'"),
    ("các thị hường", "các thị trường", "OCR 'tr' lost; same option in the other sheets reads 'thị trường'"),
    ("đầy đủ, đóng quy định", "đầy đủ, đúng quy định", "OCR 'ú'->'ó'; other sheets read 'đúng quy định'"),
    ("cân trùng", "côn trùng", "OCR 'ô'->'â' ('côn trùng' = insects)"),
    ("cùng đối lượng", "cùng đối tượng", "OCR 't'->'l'; other sheets read 'đối tượng'"),
    ("thời gian bản quản", "thời gian bảo quản", "OCR; same clause in 26/2026 reads 'bảo quản'"),
    ("chấp nhận dược", "chấp nhận được", "OCR 'đ'->'d'"),
    ("xuất khẩn", "xuất khẩu", "OCR 'u'->'n'; other sheets read 'xuất khẩu'"),
    ("quản lý phản phối", "quản lý phân phối", "OCR 'â'->'ả'; other sheets read 'phân phối'"),
    ("(GMP đố;", "(GMP đối", "OCR 'i'->';'; other sheets read 'GMP đối với'"),
    ("nguyên liệu dầu vào", "nguyên liệu đầu vào", "OCR 'đ'->'d'; other sheets read 'đầu vào'"),
    ("ở nhiêu nơi", "ở nhiều nơi", "OCR tone mark lost; other sheets read 'nhiều nơi'"),
    ("chứng nhận đang ký", "chứng nhận đăng ký", "OCR 'ă'->'a'; other sheets read 'đăng ký'"),
]


def fix_text_148(text, hits):
    for wrong, right, _why in TEXT_FIXES_148:
        if wrong in text:
            hits[wrong] = hits.get(wrong, 0) + text.count(wrong)
            text = text.replace(wrong, right)
    return text


# --------------------------------------------------------------------------------------------------
# Rules
# --------------------------------------------------------------------------------------------------

# A printed note is "eliminating" when it takes the product out of the ranking / stops the evaluation:
# "Bị loại …", "… loại nếu …", "… không đánh giá các bước tiếp theo", "Không xem xét các chỉ tiêu khác
# nếu …", "Không đánh giá những sản phẩm …".
ELIMINATING_RE = re.compile(
    r"bị loại|loại nếu|không đánh giá các bước tiếp theo|không xem xét các chỉ tiêu khác|không đánh giá những sản phẩm",
    re.IGNORECASE,
)


def is_eliminating(note):
    return bool(ELIMINATING_RE.search(note))


def apply_criterion_marker(crit, level, log, where):
    """A criterion-level marker (printed after the criterion title, e.g. 148 'Sở hữu trí tuệ****')
    means the criterion is required for `level` stars: put min_star=level on the lowest option with
    points > 0, unless that option already carries a lower (or equal) marker."""
    candidates = [o for o in crit["options"] if o["points"] > 0]
    if not candidates:
        raise SystemExit(f"{where}: criterion marker but no option with points > 0")
    low = min(o["points"] for o in candidates)
    target = [o for o in candidates if o["points"] == low][0]
    if "min_star" in target and target["min_star"] <= level:
        log.append((where, crit["code"], level, target["text"], target["points"], "kept existing marker"))
        return
    target["min_star"] = level
    log.append((where, crit["code"], level, target["text"], target["points"], "marker put on option"))


# --------------------------------------------------------------------------------------------------
# Corrections (explicit, per decision / set / criterion; codes are the OUTPUT codes)
# --------------------------------------------------------------------------------------------------
# op "points":   option `option` (0-based, source order) gets `value` points; `expect` = value found in
#                the reference JSON (asserted), `printed` = what the source cell shows. The option is
#                marked inferred (its points are not as printed).
# op "max":      criterion max `expect` -> `value`.
# op "group_max": group max `expect` -> `value` (criterion field = group code).
# op "min_star": option `option` gets min_star `value` (marker lost in the transcription).
# op "strip":    remove the substring `value` from option `option`'s text.
# op "confirm":  value kept as in the reference, recorded because the source cell is damaged.
# op "note":     the printed note `value` was transcribed at the end of option `option`'s text: it is cut
#                off the option text and appended to the criterion's notes (so the eliminating-note rule
#                sees it). The option's points and marker are unchanged.
# op "disqualification": the sheet's "Bị loại khi" header `value` (the reference has `expect`, None);
#                `criterion` is None.
# op "remark":   nothing changes; records how a damaged or misprinted cell of the source was read
#                (`criterion` = a criterion code, or None with `part` = a part code). `expect` is
#                asserted: the option's points (criterion) or the part max (part), and that the option
#                is not marked inferred.
CORRECTIONS = [
    # ---- QĐ 26/2026 (official text): typos flagged by the reference --------------------------------
    dict(decision="QD26-2026", set=4, criterion="7", op="points", option=2, expect=3, value=3, printed="13",
         reason="Printed '13' exceeds the criterion max 3 (DINH DƯỠNG, 3 đ). The options 0/1/3 of the same "
                "criterion in 26/2026 sets 1 and 3 and the part C total 35 confirm 3; the stray '1' is a typo."),
    dict(decision="QD26-2026", set=11, criterion="6.1.1", op="points", option=1, expect=1, value=1, printed="11",
         reason="Printed '11' exceeds the criterion max 2 (Tạp chất, 2 đ). The same option 'Có rất ít tạp "
                "chất, chấp nhận được' is worth 1 in 26/2026 set 12 (6.1) and in QĐ 148 set 11 (6.1.1); 0/1/2."),
    dict(decision="QD26-2026", set=4, criterion="1.2", op="points", option=0, expect=0, value=0, printed="",
         reason="Score cell of 'Không được cấp giấy chứng nhận chất lượng' is empty. The identical option is "
                "printed with 0 in the other 22 sheets that have criterion 1.2; the 1/2 options and the max "
                "2 leave only 0."),
    dict(decision="QD26-2026", set=7, criterion="1.2", op="points", option=0, expect=0, value=0, printed="",
         reason="As set 4 criterion 1.2: empty score cell, 0 in every other sheet."),
    dict(decision="QD26-2026", set=10, criterion="1.2", op="points", option=0, expect=0, value=0, printed="",
         reason="As set 4 criterion 1.2: empty score cell, 0 in every other sheet."),
    dict(decision="QD26-2026", set=11, criterion="1.2", op="points", option=0, expect=0, value=0, printed="",
         reason="As set 4 criterion 1.2: empty score cell, 0 in every other sheet."),
    dict(decision="QD26-2026", set=7, criterion="3.1", op="points", option=1, expect=1, value=2, printed="1",
         reason="Options print 1/1/3. The identical three options (Hộ sản xuất… / Công ty TNHH… / HTX…) are "
                "1/2/3 in all 25 other 26/2026 sheets and in QĐ 148 set 7; the second '1' is a typo for 2."),
    dict(decision="QD26-2026", set=23, criterion="6.2", op="points", option=0, expect=1, value=0, printed="1",
         reason="Options print 1/1/3/5 for 'Chấp nhận được' / 'Phù hợp…' / 'Đẹp, bắt mắt…' / 'Rất đẹp…'. "
                "QĐ 148 set 23 scores the same texts 0/1/2/4: 'Chấp nhận được' is the 0 level and 'Phù hợp' "
                "the 1 level; 26/2026 raised the top two (3/5, max 5, part C = 35). So the first '1' is "
                "read as 0 (0/1/3/5). Alternative reading 1/2/3/5 rejected: it would change the 'Phù hợp' level "
                "that both decisions print as 1."),
    dict(decision="QD26-2026", set=23, criterion="9", op="remark", option=1, expect=4, printed="4 1",
         reason="The '4 1' cell (the reference's parse issue 'score cell \"4 1\" after 9') is the score cell of "
                "the heading row '9. HƯỚNG DẪN SỬ DỤNG…', not of an option: the two options print a clean 2 "
                "and a clean 4 (group max 4, part C = 14+8+4+4+5 = 35; QĐ 148 set 23 prints the same "
                "criterion as 2/4). Nothing is corrected and no option is inferred."),
    dict(decision="QD26-2026", set=26, criterion=None, part="A", op="remark", expect=40, printed="(35 Điểm)",
         reason="The official heading of Part A of the tourism sheet misprints its score as '(35 Điểm)' (the "
                "reference transcribes the heading without it). The score column and the groups give 40: "
                "1 TỔ CHỨC DỊCH VỤ CỘNG ĐỒNG 14 + 2 PHÁT TRIỂN SẢN PHẨM 12 + 3 SỨC MẠNH CỘNG ĐỒNG 14 = 40, "
                "as Part A of every sheet (A 40 + B 25 + C 35 = 100). Max 40 kept."),
    dict(decision="QD26-2026", set=3, criterion="5.1", op="strip", option=4, value="* * * *",
         reason="The top option's star marker is printed with spaces ('* * * *') and was left in the text by "
                "the transcription; removed from the text and turned into min_star 4 (next entry)."),
    dict(decision="QD26-2026", set=3, criterion="5.1", op="min_star", option=4, value=4,
         reason="'* * * *' = ****. The same option carries **** in the other 25 sheets."),
    # ---- QĐ 26/2026: text the reference (and so the first conversion) put in the wrong place ----------
    dict(decision="QD26-2026", set=19, criterion=None, op="disqualification", expect=None,
         value="Giả mạo hồ sơ hoặc không có đủ điều kiện bắt buộc để sản xuất sản phẩm theo quy định quản lý "
               "chuyên ngành của Bộ Y tế; hoặc không có Bản công bố sản phẩm (hoặc tương đương) hoặc không "
               "đáp ứng về Hồ sơ đăng ký theo quy định",
         reason="The official set 19 sheet (mỹ phẩm) prints its own header 'Bị loại khi: Giả mạo hồ sơ …' "
                "(text as printed, after 'Bị loại khi:'); the reference has no header for this sheet, so "
                "the first conversion wrote null."),
    dict(decision="QD26-2026", set=21, criterion="6.2", op="note", option=2,
         value="Ghi chú: Nếu sản phẩm vi phạm sở hữu trí tuệ, sẽ bị loại bỏ",
         reason="The official sheet prints this italic paragraph under the options of 6.2 'Thiết kế độc đáo'; "
                "the reference joined it to the text of option 3. It is a criterion note, and an eliminating "
                "one (rule 9: 'bị loại')."),
    dict(decision="QD26-2026", set=22, criterion="6.2", op="note", option=2,
         value="Ghi chú: Nếu sản phẩm vi phạm sở hữu trí tuệ, sẽ bị loại bỏ",
         reason="As set 21 criterion 6.2."),
    # ---- QĐ 148 (third-party transcription): damaged cells ------------------------------------------
    dict(decision="QD148-2023", set=17, criterion="1.4", op="confirm", option=1, expect=1, value=1, printed="l",
         reason="OCR-garbled score cell 'l' read as 1: the same option (hợp đồng liên kết 50% đến dưới 75%) "
                "is 1 on every other 148 and 26/2026 sheet, and 0/1/2/3 = max 3."),
    dict(decision="QD148-2023", set=18, criterion="1.2", op="confirm", option=1, expect=1, value=1, printed="t",
         reason="OCR-garbled score cell 't' read as 1: 'Chế biến đơn giản' sits between 'Phân loại, sơ chế' (0) "
                "and 'Chế biến' (2); 26/2026 set 18 prints the same option as 1."),
    # ---- QĐ 148 set 7: 'Mùi' header 4 but options 1/2/3 --------------------------------------------
    dict(decision="QD148-2023", set=7, criterion="6.4", op="points", option=2, expect=3, value=4, printed="3",
         reason="GAP. The criterion header reads 4 and the sensory group (16) and part C (35) only add up with "
                "4, but the three printed options are 1/2/3 and no fourth option is transcribed. 26/2026 set 7 "
                "keeps exactly the same three texts as a complete scale (1/2/3, max 3; sensory 16 -> 15), so a "
                "lost fourth text is unlikely; the top option 'Tự nhiên…, phù hợp, hấp dẫn' is taken as the 4-"
                "point level. No source prints this value: inferred."),
    # ---- QĐ 148 sets 11 and 12 (tea): part C short by 3 ----------------------------------------------
    dict(decision="QD148-2023", set=11, criterion="6.2.3", op="points", option=2, expect=2, value=3, printed="2",
         reason="GAP (set 11, +2 of 3). 'Vị nước' is transcribed 0/1/2/3. 26/2026 set 11 prints the identical "
                "four texts as 0/1/3/5 (max 5) and its sensory block is otherwise identical to 148's. Taken "
                "from 26/2026: 'Vị đậm, dịu, phù hợp' = 3."),
    dict(decision="QD148-2023", set=11, criterion="6.2.3", op="points", option=3, expect=3, value=5, printed="3",
         reason="GAP (set 11): '…, có hậu vị ngọt' = 5, as 26/2026 set 11."),
    dict(decision="QD148-2023", set=11, criterion="6.2.3", op="max", expect=3, value=5,
         reason="GAP (set 11): Vị nước max 5, as 26/2026 set 11."),
    dict(decision="QD148-2023", set=11, criterion="6.2.2", op="points", option=3, expect=3, value=4, printed="3",
         reason="GAP (set 11, last +1). With Vị nước at 5 the sensory group is 15 but must be 16 (7+8+9+10+11 = "
                "5+4+5+2+3 = 19, part C 35). No text shows where the point was. 26/2026 trimmed the 148 "
                "sensory blocks in varying places (Vị on sets 5/8/9/10, Mùi on set 7, Tạp chất on 14/15); "
                "it is put on the aroma criterion 'Mùi nước' (set-7 precedent; its top option 'Thơm tự "
                "nhiên, mạnh, bền mùi' reads as an extra level) = 4. Weakest fill; inferred."),
    dict(decision="QD148-2023", set=11, criterion="6.2.2", op="max", expect=3, value=4,
         reason="GAP (set 11): Mùi nước max 4 (see option entry)."),
    dict(decision="QD148-2023", set=11, criterion="6.2", op="max", expect=9, value=12,
         reason="GAP (set 11): Nước pha = 3 + 4 + 5 = 12."),
    dict(decision="QD148-2023", set=11, criterion="6", op="group_max", expect=13, value=16,
         reason="GAP (set 11): CHỈ TIÊU CẢM QUAN = 4 + 12 = 16, part C = 16+5+4+5+2+3 = 35."),
    dict(decision="QD148-2023", set=12, criterion="6.5", op="points", option=2, expect=2, value=3, printed="2",
         reason="GAP (set 12, +2 of 3). 'Vị nước' transcribed 0/1/2/3; 26/2026 set 12 prints the identical "
                "texts as 0/1/3/5. 'Vị đậm, dịu, phù hợp' (****) = 3, as 26/2026."),
    dict(decision="QD148-2023", set=12, criterion="6.5", op="points", option=3, expect=3, value=5, printed="3",
         reason="GAP (set 12): '…, có hậu vị ngọt' = 5, as 26/2026 set 12."),
    dict(decision="QD148-2023", set=12, criterion="6.5", op="max", expect=3, value=5,
         reason="GAP (set 12): Vị nước max 5, as 26/2026 set 12."),
    dict(decision="QD148-2023", set=12, criterion="6.4", op="points", option=3, expect=3, value=4, printed="3",
         reason="GAP (set 12, last +1): same reasoning as set 11 criterion 6.2.2 — 'Mùi nước' top option "
                "'Thơm tự nhiên, mạnh, bền mùi' = 4. Inferred."),
    dict(decision="QD148-2023", set=12, criterion="6.4", op="max", expect=3, value=4,
         reason="GAP (set 12): Mùi nước max 4."),
    dict(decision="QD148-2023", set=12, criterion="6", op="group_max", expect=13, value=16,
         reason="GAP (set 12): CHỈ TIÊU CẢM QUAN = 2+2+3+4+5 = 16, part C = 35."),
    # ---- QĐ 148 set 13 (coffee, cocoa): part C short by 2 (after re-nesting, see NEST_148_13) ------------
    dict(decision="QD148-2023", set=13, criterion="6.2.2", op="points", option=2, expect=2, value=4, printed="2",
         reason="GAP (set 13, +2). Nước pha 'Mùi, vị' is transcribed 0/1/2. 26/2026 set 13 prints the same "
                "texts 0/1/3 (the only point difference between the two coffee sensory blocks, 14 vs 15): +1 "
                "from the official successor. The last +1 has no direct evidence; it is put on the same "
                "(aroma) criterion, set-7 precedent, and the 1048-era coffee sheet (ommani_ocop init.sql) "
                "already weighted it highest (0/1/3/5): 'Mùi vị hấp dẫn, đặc sắc' = 4. Inferred."),
    dict(decision="QD148-2023", set=13, criterion="6.2.2", op="max", expect=2, value=4,
         reason="GAP (set 13): Mùi, vị (nước pha) max 4."),
    dict(decision="QD148-2023", set=13, criterion="6.2", op="max", expect=4, value=6,
         reason="GAP (set 13): Nước pha = 2 + 4 = 6."),
    dict(decision="QD148-2023", set=13, criterion="6", op="group_max", expect=14, value=16,
         reason="GAP (set 13): CHỈ TIÊU CẢM QUAN = 10 + 6 = 16, part C = 16+5+4+5+2+3 = 35."),
    # ---- QĐ 148 (transcription): a note joined to an option text ---------------------------------
    dict(decision="QD148-2023", set=21, criterion="6.2", op="note", option=2,
         value="Ghi chú: Nếu sản phẩm vi phạm sở hữu trí tuệ, sẽ bị loại bỏ",
         reason="As 26/2026 set 21 criterion 6.2: the note was joined to the text of option 3 in the "
                "transcription; it is a criterion note, and an eliminating one (rule 9)."),
    dict(decision="QD148-2023", set=22, criterion="6.2", op="note", option=2,
         value="Ghi chú: Nếu sản phẩm vi phạm sở hữu trí tuệ, sẽ bị loại bỏ",
         reason="As 26/2026 set 21 criterion 6.2."),
]

# QĐ 148 set 13: the transcription flattens the coffee sensory block into 6.1…6.7 with titles
# "a) Ngoại hình - X" / "b) Nước pha - Y". The 26/2026 sheet (and the 148 tea sheet) nest it; the
# titles show the same two-level structure, so it is re-nested: parent (code, title) <- child codes.
NEST_148_13 = [
    ("6.1", "Ngoại hình", [("6.1", "6.1.1"), ("6.2", "6.1.2"), ("6.3", "6.1.3"), ("6.4", "6.1.4"), ("6.5", "6.1.5")]),
    ("6.2", "Nước pha", [("6.6", "6.2.1"), ("6.7", "6.2.2")]),
]


# --------------------------------------------------------------------------------------------------
# Conversion
# --------------------------------------------------------------------------------------------------


class Ctx:
    def __init__(self, vi):
        self.vi = vi
        self.decision = DECISIONS[vi]["id"]
        self.text_hits = {}
        self.marker_log = []       # criterion-level markers
        self.eliminating_log = []  # (set, code, note, in_reference)
        self.inferred_log = []     # (set, code, text, points, why)
        self.structure_log = []    # structural decisions
        self.part_title_log = []
        self.moved_notes = set()   # (set, code, note) cut off an option text by a "note" correction

    def t(self, text):
        text = norm(text)
        if text and self.vi == 0:
            text = fix_text_148(text, self.text_hits)
        return text


def parse_case(label):
    m = re.match(r"^([a-z])\.\s*(.*)$", norm(label))
    if not m:
        raise SystemExit(f"cannot parse case label {label!r}")
    return m.group(1), m.group(2).rstrip(":").strip()


def conv_criterion(ctx, set_no, src):
    where = f"{ctx.decision} set {set_no:02d}"
    crit = {
        "code": src["code"],
        "title": ctx.t(src["title"]),
        "max": src["max"],
        "notes": [ctx.t(n) for n in src.get("notes", [])],
        "eliminating": [],
        "cases": [],
        "options": [],
        "children": [],
    }
    # 148 only: the CSV cell of criterion 5.2 "Trí tuệ/bản sắc địa phương" carries, on a second line,
    # the note "Chỉ áp dụng khi có câu chuyện, đánh giá nội dung câu chuyện:" (other 148 sheets and
    # 26/2026 print it as a note). Split it off the title into the notes.
    if ctx.vi == 0:
        m = re.match(r"^(.*?) (Chỉ áp dụng khi có câu chuyện.*)$", crit["title"])
        if m:
            crit["title"] = m.group(1)
            crit["notes"].insert(0, m.group(2))
            ctx.structure_log.append((set_no, src["code"].split(".")[0],
                                      f"criterion {src['code']}: note '{m.group(2)}' split off the title"))
    case_map = {}
    for label in src.get("cases", []):
        code, text = parse_case(label)
        crit["cases"].append({"code": code, "label": text})
        case_map[label] = code
    for o in src.get("options", []):
        opt = {"text": ctx.t(o["text"]), "points": o["points"]}
        if "min_star" in o:
            opt["min_star"] = o["min_star"]
        if "case" in o:
            opt["case"] = case_map[o["case"]]
        if o.get("inferred") or o.get("points_inferred"):
            opt["inferred"] = True
            if o.get("inferred"):
                ctx.inferred_log.append((set_no, src["code"], opt["text"], opt["points"],
                                         "binary criterion printed without options (only its points)"))
        crit["options"].append(opt)
    for ch in src.get("children", []):
        crit["children"].append(conv_criterion(ctx, set_no, ch))
    if "min_star_criterion" in src:
        apply_criterion_marker(crit, src["min_star_criterion"], ctx.marker_log, f"{ctx.decision} set {set_no:02d}")
    return crit


def finish_notes(ctx, set_no, crit, ref_elim):
    crit["eliminating"] = [n for n in crit["notes"] if is_eliminating(n)]
    for n in crit["notes"]:
        ctx.eliminating_log.append((set_no, crit["code"], n, is_eliminating(n), n in ref_elim))
    for ch in crit["children"]:
        finish_notes(ctx, set_no, ch, ref_elim)


def collect_ref_elim(src, acc):
    for n in src.get("eliminating_notes", []):
        acc.add(norm(n))
    for ch in src.get("children", []):
        collect_ref_elim(ch, acc)


def conv_group(ctx, set_no, src):
    group = {"code": src["code"], "title": ctx.t(src["title"]), "max": src["max"], "criteria": []}
    crits = [conv_criterion(ctx, set_no, c) for c in src["criteria"]]
    gnotes = [ctx.t(n) for n in src.get("notes", [])]
    extra_title, crit_notes = [], []
    for n in gnotes:
        if n.startswith("(") and n.endswith(")"):
            extra_title.append(n)                      # printed as part of the heading
        elif n.startswith("Chất lượng:"):
            extra_title.append("(" + n + ")")          # TÍNH ĐỘC ĐÁO description, as 26/2026 prints it
        else:
            crit_notes.append(n)
    if extra_title:
        new = group["title"] + " " + " ".join(extra_title)
        ctx.structure_log.append((set_no, group["code"], f"group note(s) {extra_title} appended to the group title"))
        group["title"] = new
    if len(crits) == 1 and not crits[0]["children"]:
        c = crits[0]
        if c["code"] != group["code"]:
            ctx.structure_log.append((set_no, group["code"],
                                      f"single criterion '{c['code']}' of a directly scored group recoded '{group['code']}'"))
            c["code"] = group["code"]
        if c["title"] != group["title"]:
            if norm(c["title"]) in group["title"]:
                c["title"] = group["title"]
            else:
                full = group["title"] + " (" + c["title"] + ")"
                ctx.structure_log.append((set_no, group["code"],
                                          f"criterion text '{c['title'][:60]}…' printed under the group heading "
                                          f"joined to the title: '{full[:80]}…'"))
                c["title"] = full
                group["title"] = full
        for n in reversed(crit_notes):
            if n not in c["notes"]:
                c["notes"].insert(0, n)
        if crit_notes:
            ctx.structure_log.append((set_no, group["code"], f"group note(s) moved to its single criterion: {crit_notes}"))
    elif crit_notes:
        raise SystemExit(f"{ctx.decision} set {set_no}: group {group['code']} note without a home: {crit_notes}")
    group["criteria"] = crits
    return group


def find_crit(sheet, code):
    def walk(cs):
        for c in cs:
            yield c
            yield from walk(c["children"])
    for p in sheet["parts"]:
        for g in p["groups"]:
            for c in walk(g["criteria"]):
                if c["code"] == code:
                    return c
    raise SystemExit(f"{sheet['decision']} set {sheet['code']}: criterion {code} not found")


def find_group(sheet, code):
    for p in sheet["parts"]:
        for g in p["groups"]:
            if g["code"] == code:
                return g
    raise SystemExit(f"{sheet['decision']} set {sheet['code']}: group {code} not found")


def renest_148_13(ctx, sheet):
    g = find_group(sheet, "6")
    by_code = {c["code"]: c for c in g["criteria"]}
    new = []
    for pcode, ptitle, kids in NEST_148_13:
        children = []
        for old, newcode in kids:
            c = by_code.pop(old)
            prefix = "a) Ngoại hình - " if pcode == "6.1" else "b) Nước pha - "
            title = c["title"]
            for p in (prefix, prefix[3:]):
                if title.startswith(p):
                    title = title[len(p):]
            c["code"], c["title"] = newcode, title
            children.append(c)
        parent = {"code": pcode, "title": ptitle, "max": sum(c["max"] for c in children), "notes": [],
                  "eliminating": [], "cases": [], "options": [], "children": children}
        new.append(parent)
    if by_code:
        raise SystemExit(f"set 13 re-nesting left {sorted(by_code)}")
    g["criteria"] = new
    ctx.structure_log.append((13, "6", "flat 6.1–6.7 ('a) Ngoại hình - …', 'b) Nước pha - …') re-nested as "
                                       "6.1 Ngoại hình {6.1.1–6.1.5} and 6.2 Nước pha {6.2.1, 6.2.2}, as 26/2026"))


def apply_corrections(ctx, sheets):
    applied = []
    for corr in CORRECTIONS:
        if corr["decision"] != ctx.decision:
            continue
        sheet = sheets[corr["set"]]
        where = f"{ctx.decision} set {corr['set']:02d} criterion {corr['criterion']}"
        op = corr["op"]
        if op == "disqualification":
            assert sheet["disqualification"] == corr["expect"], (where, sheet["disqualification"])
            sheet["disqualification"] = norm(corr["value"])
        elif op == "remark" and corr["criterion"] is None:
            part = [p for p in sheet["parts"] if p["code"] == corr["part"]][0]
            assert part["max"] == corr["expect"], (where, part["max"])
        elif op == "group_max":
            g = find_group(sheet, corr["criterion"])
            assert g["max"] == corr["expect"], (where, g["max"])
            g["max"] = corr["value"]
        elif op == "max":
            c = find_crit(sheet, corr["criterion"])
            assert c["max"] == corr["expect"], (where, c["max"])
            c["max"] = corr["value"]
        else:
            c = find_crit(sheet, corr["criterion"])
            o = c["options"][corr["option"]]
            if op in ("points", "confirm"):
                assert o["points"] == corr["expect"], (where, o["points"], corr["expect"])
                o["points"] = corr["value"]
                o["inferred"] = True
            elif op == "remark":
                assert o["points"] == corr["expect"] and not o.get("inferred"), (where, o)
            elif op == "note":
                note = norm(corr["value"])
                assert o["text"].endswith(" " + note), (where, o["text"])
                o["text"] = norm(o["text"][: -len(note)])
                if note not in c["notes"]:
                    c["notes"].append(note)
                ctx.moved_notes.add((corr["set"], c["code"], note))
            elif op == "min_star":
                o["min_star"] = corr["value"]
            elif op == "strip":
                assert corr["value"] in o["text"], where
                o["text"] = norm(o["text"].replace(corr["value"], ""))
            else:
                raise SystemExit(f"unknown op {op}")
        applied.append(corr)
    return applied


def key_order_crit(c):
    out = {"code": c["code"], "title": c["title"], "max": c["max"], "notes": c["notes"],
           "eliminating": c["eliminating"], "cases": c["cases"], "options": [], "children": []}
    for o in c["options"]:
        oo = {"text": o["text"], "points": o["points"]}
        for k in ("min_star", "case", "inferred"):
            if k in o:
                oo[k] = o[k]
        out["options"].append(oo)
    out["children"] = [key_order_crit(ch) for ch in c["children"]]
    return out


def convert_version(vi, version):
    ctx = Ctx(vi)
    meta = DECISIONS[vi]
    sheets = {}
    for ps in version["product_sets"]:
        no = ps["no"]
        code = f"{no:02d}"
        sub = SUBGROUP[no]
        cat = sub.split(".")[0]
        grp = ".".join(sub.split(".")[:2])
        name = ctx.t(ps["name"])
        sheet = {
            "format": FORMAT_ID,
            "decision": ctx.decision,
            "code": code,
            "no": no,
            "name": name,
            "classification": {
                "category": {"code": cat, "name": CATEGORIES[cat]},
                "group": {"code": grp, "name": GROUPS[grp]},
                "subgroup": {"code": sub, "name": name},
            },
            "disqualification": ctx.t(ps.get("disqualification")) if ps.get("disqualification") else None,
            "parts": [],
        }
        for p in ps["parts"]:
            pcode = p["code"]
            title = PART_TITLES[pcode]
            if norm(p["title"]) != title:
                ctx.part_title_log.append((no, pcode, norm(p["title"])))
            part = {"code": pcode, "title": title, "max": p["max"], "groups": []}
            for g in p["groups"]:
                part["groups"].append(conv_group(ctx, no, g))
            sheet["parts"].append(part)
        if vi == 0 and no == 13:
            renest_148_13(ctx, sheet)
        sheets[no] = sheet
    applied = apply_corrections(ctx, sheets)
    # eliminating notes (after all notes are in place)
    for ps in version["product_sets"]:
        ref_elim = set()
        for p in ps["parts"]:
            for g in p["groups"]:
                for c in g["criteria"]:
                    collect_ref_elim(c, ref_elim)
        for p in sheets[ps["no"]]["parts"]:
            for g in p["groups"]:
                for c in g["criteria"]:
                    finish_notes(ctx, ps["no"], c, ref_elim)
    for no, sheet in sheets.items():
        for p in sheet["parts"]:
            for g in p["groups"]:
                g["criteria"] = [key_order_crit(c) for c in g["criteria"]]
    decision = {
        "format": FORMAT_ID,
        "id": meta["id"],
        "number": meta["number"],
        "title": ctx.t(version["title"]),
        "signed": meta["signed"],
        "effective": meta["effective"],
    }
    if "lapses" in meta:
        decision["lapses"] = meta["lapses"]
    decision["procedures"] = meta["procedures"]
    footers = {ps.get("footer_note") for ps in version["product_sets"]} - {None}
    if footers:
        assert footers == {FOOTER_26}, footers
    decision["footer_note"] = FOOTER_26
    decision["source"] = meta["source"]
    decision["text_confirmation"] = version["criteria_text_confirmation"]
    return decision, sheets, ctx, applied


# --------------------------------------------------------------------------------------------------
# Validation (the invariants of FORMAT.md + text hygiene)
# --------------------------------------------------------------------------------------------------


def text_ok(s):
    return (isinstance(s, str) and s == s.strip() and "  " not in s and "\n" not in s
            and unicodedata.normalize("NFC", s) == s and s != "")


def check_set(data, label):
    errs = []
    dec = data.get("decision")
    setc = data.get("code")

    def err(msg, crit=None):
        where = f"{label}: {dec} set {setc}" + (f" criterion {crit}" if crit else "")
        errs.append(f"{where}: {msg}")

    if data.get("format") != FORMAT_ID:
        err("format is not ocop-criteria/1")
    if not (isinstance(setc, str) and re.fullmatch(r"\d\d", setc) and data.get("no") == int(setc)):
        err("code must be two digits equal to no")
    for k in ("name",):
        if not text_ok(data.get(k)):
            err(f"bad text in {k}")
    cl = data.get("classification") or {}
    for k in ("category", "group", "subgroup"):
        v = cl.get(k) or {}
        if not (text_ok(v.get("code")) and text_ok(v.get("name"))):
            err(f"classification.{k} needs code and name")
    if data.get("disqualification") is not None and not text_ok(data["disqualification"]):
        err("bad disqualification text")
    parts = data.get("parts", [])
    if [p.get("code") for p in parts] != ["A", "B", "C"]:
        err("parts must be exactly A, B, C")
    total = 0
    codes = set()
    leaves = 0

    def check_crit(c):
        nonlocal leaves
        code = c.get("code")
        if code in codes:
            err("duplicate criterion code", code)
        codes.add(code)
        if not text_ok(c.get("title")):
            err("bad title text", code)
        for k in ("notes", "eliminating", "cases", "options", "children"):
            if not isinstance(c.get(k), list):
                err(f"missing list {k}", code)
                return
        for n in c["notes"] + c["eliminating"]:
            if not text_ok(n):
                err("bad note text", code)
        for n in c["eliminating"]:
            if n not in c["notes"]:
                err("eliminating note not among notes", code)
        case_codes = [k.get("code") for k in c["cases"]]
        for k in c["cases"]:
            if not (text_ok(k.get("code")) and text_ok(k.get("label"))):
                err("bad case", code)
        if c["children"]:
            if c["options"]:
                err("criterion with children has options", code)
            s = 0
            for ch in c["children"]:
                check_crit(ch)
                s += ch.get("max", 0)
            if s != c.get("max"):
                err(f"max {c.get('max')} != sum of children {s}", code)
            return
        leaves += 1
        opts = c["options"]
        scopes = case_codes if case_codes else [None]
        for o in opts:
            if not text_ok(o.get("text")):
                err("bad option text", code)
            if not isinstance(o.get("points"), int) or isinstance(o.get("points"), bool) or o["points"] < 0:
                err("option points must be an integer >= 0", code)
            if "min_star" in o and o["min_star"] not in (3, 4, 5):
                err("min_star must be 3, 4 or 5", code)
            if "inferred" in o and o["inferred"] is not True:
                err("inferred must be true when present", code)
            if case_codes:
                if o.get("case") not in case_codes:
                    err(f"option case {o.get('case')!r} not among the criterion's cases", code)
            elif "case" in o:
                err("option has a case but the criterion has none", code)
        for sc in scopes:
            sub = [o for o in opts if o.get("case") == sc] if sc else opts
            if len(sub) < 2:
                err(f"fewer than two options{' in case ' + sc if sc else ''}", code)
                continue
            top = max(o["points"] for o in sub if isinstance(o.get("points"), int))
            if top != c.get("max"):
                err(f"max {c.get('max')} != highest option {top}{' in case ' + sc if sc else ''}", code)
            marked = [o for o in sub if "min_star" in o]
            for a in marked:
                for b in marked:
                    if a["min_star"] < b["min_star"] and a["points"] > b["points"]:
                        err(f"star markers not monotonic: {a['min_star']}★ at {a['points']} > "
                            f"{b['min_star']}★ at {b['points']}", code)

    for p in parts:
        pc = p.get("code")
        if pc in PART_MAX and p.get("max") != PART_MAX[pc]:
            err(f"part {pc} max {p.get('max')} != {PART_MAX[pc]}")
        if not text_ok(p.get("title")):
            err(f"part {pc} bad title")
        gs = 0
        for g in p.get("groups", []):
            if not text_ok(g.get("title")):
                err(f"group {g.get('code')} bad title")
            cs = 0
            for c in g.get("criteria", []):
                check_crit(c)
                cs += c.get("max", 0)
            if cs != g.get("max"):
                err(f"group {g.get('code')} max {g.get('max')} != sum of criteria {cs}")
            gs += g.get("max", 0)
        if gs != p.get("max"):
            err(f"part {pc} max {p.get('max')} != sum of groups {gs}")
        total += p.get("max", 0)
    if total != 100:
        err(f"sheet total {total} != 100")
    return errs, leaves


def check_decision_file(data, label):
    errs = []
    for k in ("format", "id", "number", "title", "signed", "effective", "procedures", "footer_note", "source",
              "text_confirmation"):
        if k not in data:
            errs.append(f"{label}: missing {k}")
    if data.get("format") != FORMAT_ID:
        errs.append(f"{label}: format is not {FORMAT_ID}")
    for k in ("signed", "effective", "lapses"):
        if k in data and not re.fullmatch(r"\d{4}-\d\d-\d\d", str(data[k])):
            errs.append(f"{label}: {k} is not YYYY-MM-DD")
    if data.get("text_confirmation") not in ("official_text", "third_party_digitisation"):
        errs.append(f"{label}: bad text_confirmation")
    for k in ("title", "footer_note", "source", "number"):
        if k in data and not text_ok(data[k]):
            errs.append(f"{label}: bad text in {k}")
    return errs


def check_path(path):
    errs, leaves = [], {}
    path = os.path.abspath(path)

    def load(fp):
        with open(fp, encoding="utf-8") as f:
            return json.load(f)

    def check_dir(dp):
        dj = os.path.join(dp, "decision.json")
        if not os.path.exists(dj):
            errs.append(f"{dp}: missing decision.json")
            return
        dec = load(dj)
        errs.extend(check_decision_file(dec, dj))
        n = 0
        for i in range(1, 27):
            fp = os.path.join(dp, f"{i:02d}.json")
            if not os.path.exists(fp):
                errs.append(f"{fp}: missing")
                continue
            data = load(fp)
            if data.get("decision") != dec.get("id"):
                errs.append(f"{fp}: decision {data.get('decision')} != {dec.get('id')}")
            e, lv = check_set(data, os.path.relpath(fp))
            errs.extend(e)
            n += lv
        leaves[dec.get("id")] = n

    if os.path.isfile(path):
        data = load(path)
        if os.path.basename(path) == "decision.json":
            errs.extend(check_decision_file(data, path))
        else:
            e, lv = check_set(data, os.path.relpath(path))
            errs.extend(e)
            leaves[data.get("decision")] = lv
    elif os.path.exists(os.path.join(path, "decision.json")):
        check_dir(path)
    else:
        subs = sorted(d for d in os.listdir(path) if os.path.exists(os.path.join(path, d, "decision.json")))
        if not subs:
            errs.append(f"{path}: no decision directory found")
        for d in subs:
            check_dir(os.path.join(path, d))
    return errs, leaves


# --------------------------------------------------------------------------------------------------
# NOTES.md
# --------------------------------------------------------------------------------------------------

NOTES_HEAD = """# Criteria data — decisions and their reasons

Generated by `tools/convert.py` from its correction tables and rules; do not edit by hand (edit the
script and regenerate). Source: `shared/domain/criteria-reference.json` (research transcription):
`versions[0]` = QĐ 148/QĐ-TTg (third-party CSV transcription, https://github.com/augustine-tran/ocop,
`db/ocop/*.csv`), `versions[1]` = QĐ 26/2026/QĐ-TTg (official text).

Conventions used below: set numbers are two-digit (`07`), criterion codes are the output codes.
`inferred: true` on an option means its text or its points are not as printed in the source (filled or
corrected by us, reason given here).

## 1. General rules (apply to every sheet)

1. **Text hygiene.** Every text is NFC-normalised, whitespace runs (including line breaks inside table
   cells) are collapsed to one space, and the text is trimmed. Reason: the loader compares and displays
   text; the reference is already clean, the normalisation guards regenerations from other inputs.
2. **Official text kept verbatim.** 26/2026 wording is not corrected, even where it has obvious slips
   (e.g. set 04 criterion 7 "đường khử tự đo" — the 148 sheet reads "tự do" —, set 05 note "Sản Tiêu
   chuẩn", set 08 note "lông, lông"): it is the text of the decision as transcribed. Only its *points*
   typos are corrected (section 3).
3. **148 OCR slips corrected** (third-party transcription, not official text): see section 4.1.
4. **Part titles** are the canonical "SẢN PHẨM VÀ SỨC MẠNH CỦA CỘNG ĐỒNG" / "KHẢ NĂNG TIẾP THỊ" /
   "CHẤT LƯỢNG SẢN PHẨM" on every sheet (list of differing source titles in section 5). Reason: part
   titles are structural labels; the variants are OCR noise ("KHẢ NĂNC", a leading ". ") or one sheet
   omitting "CỦA".
5. **Classification** (ocop-rules.md §2): category I…VI and group codes like `I.5` with the Phụ lục I
   names of 26/2026 (the 148 tree is the same); subgroup = the product set itself, code `I.5.a`, or the
   group code for sets that are directly a group (13 `I.6`, 18–26). `name` and `subgroup.name` are the
   set's name in that decision (26/2026 name for QD26, the 148 sheet name for QD148).
6. **Disqualification header** ("Hồ sơ bị loại khi", on set 19 "Bị loại khi"): taken from each 26/2026
   sheet, without its lead-in; set 19's is missing from the reference and is taken from the official text
   (section 3); `null` where no header is transcribed (26/2026 set 26, every 148 sheet: the 148
   transcription has no such header row; the 148 decision may print one, unknown).
7. **Footer note**: the 26/2026 sheets all print "Dấu sao là yêu cầu tối thiểu phải đạt theo các cấp độ
   sao (*** - 3 sao; **** - 4 sao; ***** - 5 sao)". The 148 transcription has no footer row but uses the
   same markers with the same meaning (reference legend), so the same wording is used in
   `QD148-2023/decision.json`. Not confirmed from the 148 text.
8. **Decision dates**: 148 signed and in force 2023-02-24; `lapses` 2026-07-21 = 60 days after
   22/5/2026, when 26/2026 ends QĐ 148 and QĐ 1489 (ocop-rules.md §0.1). 26/2026 signed and in force
   2026-05-22. Procedures: 148 → `148-district`, `148-province`, `centre`; 26/2026 → `26-province`,
   `centre`. Titles: from the reference (`versions[i].title`).
9. **Eliminating notes.** A printed note goes into `eliminating` (and stays in `notes`) when it takes the
   product out of the ranking or stops the evaluation: it says "Bị loại …"/"loại nếu …", "… không đánh giá
   các bước tiếp theo", "Không xem xét các chỉ tiêu khác nếu …" or "Không đánh giá những sản phẩm …"
   (regex in `ELIMINATING_RE`). Descriptive notes ("Yêu cầu: …", "Chỉ áp dụng khi có câu chuyện …",
   "Lựa chọn một trong hai trường hợp sau:", "Ghi chú: Bản tiêu chuẩn … phải có phiếu kiểm nghiệm …",
   parenthetical explanations) are not eliminating. Full list in section 6. One class differs from the
   reference's own flags: "Ghi chú: Không đánh giá những sản phẩm có tính phổ biến của nhóm sản phẩm chủ
   lực … mà không có sự nổi trội và đặc sắc" (criterion 2.1, 148 and 26/2026 sets 01–04) is eliminating
   here — such a product is not evaluated at all — while the reference left it unflagged.
10. **Criterion-level star markers.** The 148 transcription prints some markers after a criterion title
    (`min_star_criterion` in the reference; only "Sở hữu trí tuệ****", criterion 3.6, on all 26 sheets).
    Rule: a criterion-level marker *s* means the criterion is required for *s* stars, so `min_star: s` is
    put on its lowest option with points > 0, unless that option already carries a lower (or equal)
    marker. Applications listed in section 7. 26/2026 has no criterion-level markers.
11. **Binary criteria** printed with only a title and points (26/2026 "2.4 Ghi nhãn hàng hóa có sử dụng
    song ngữ …", sets 01–20; "2.3" in sets 21–22): two options "Không" = 0 and "Có" = the criterion's
    points, both `inferred: true`. List in section 8. The 148 sheets have no such criterion.
12. **Tourism "choose one of two cases"** (set 26 criteria 8, 9, 15 in both decisions): the printed
    "a. Trường hợp 1: …" / "b. Trường hợp 2: …" become `cases: [{"code":"a","label":"Trường hợp 1: …"},
    {"code":"b",…}]` and each option gets `case: "a"|"b"`; the note "Lựa chọn một trong hai trường hợp
    sau:" stays in `notes`.
13. **Directly scored groups.** A group that holds a single criterion holds it under the group's own
    code (`7`, not `7.1`): the 148 transcription labels these "a)" and numbers them `N.1`. When the 148
    criterion text is a description printed under the heading (e.g. "Chất lượng: Có nét riêng…",
    "Chỉ ra hàm lượng…"), it is joined to the heading in parentheses, as 26/2026 prints it; group notes
    that are parenthetical headings ("(Khuyến khích cơ sở xây dựng, công bố tiêu chuẩn sản phẩm)") are
    appended to the group title; other group notes move to the single criterion. List in section 5.
14. **148 titles carrying a note.** The 148 CSV puts "Chỉ áp dụng khi có câu chuyện, đánh giá nội dung
    câu chuyện:" on a second line of the title cell of criterion 5.2 "Trí tuệ/bản sắc địa phương" on 22
    sheets; it is split off into `notes` (where sets 02, 03, 13, 26 and 26/2026 have it). List in section 5.
15. **Nesting.** Nested sensory blocks keep their nesting in `children` (148 and 26/2026 set 11, 26/2026
    set 13). 148 set 13 is re-nested (section 2.3). Set 12 is flat in both sources and stays flat.
"""

GAPS_TEXT = """## 2. QĐ 148 gaps — how they were filled and from what evidence

The 148 transcription sums to A=40, B=25 on every sheet, but part C of sets 11, 12 and 13 adds up to
32, 32 and 33, and set 7 criterion 6.4 "Mùi" has a header of 4 with options only up to 3.

**Search for the real text.** The CSV files of https://github.com/augustine-tran/ocop (`db/ocop/OCOP -
7. …`, `11. …`, `12. …`, `13. …`) were read directly: they carry the same numbers as the reference
(tea "6. CHỈ TIÊU CẢM QUAN,,1,,13", "b) Nước pha,,2,,9", "- Vị nước,,2,,3"; coffee "6. CHỈ TIÊU CẢM
QUAN,,1,,14", every criterion 0/1/2; set 7 "d) Mùi,,2,,4" with options 1/2/3), so the gaps are in the
transcription's source or in the transcription itself, not in the reference. Searches of the stored code,
page and documentation corpora (score-sheet phrases such as "Thơm tự nhiên, mạnh, bền mùi", "Hình dạng,
màu sắc cánh chè", "Có tổ chức công tác kế toán theo quy định", "Bộ sản phẩm Chè tươi, chè chế biến
148/QĐ-TTg", thuvienphapluat 148 Phụ lục III) found no other copy of the 148 Phụ lục III sheets. The
only other digitised sheets found are the 1048-era ones (https://github.com/tranquangduc24011999/ommani_ocop,
`mysql/init.sql`), used as secondary evidence for coffee. **So every fill below is inferred and marked
`inferred: true` on the options whose points were changed.**

**Evidence used.**
- Part C of the 148 processed-food sheets (sets 05–13) is the sensory group + 7 Độc đáo 5 + 8 Công
  bố/kiểm tra định kỳ 4 (2+2) + 9 Đảm bảo 5 + 10 Hướng dẫn sử dụng 2 + 11 Thị trường 3 = sensory + 19;
  part C = 35 forces the tea and coffee sensory group to **16**, as on sets 05–10 (and 14–15).
- The 26/2026 sheets of sets 11, 12, 13 (official text) have the same sensory criteria with the same
  option texts, in the same order, and a sensory total of **15**.
- Comparing the complete 148/26-2026 pairs of the food sheets: 26/2026 moved the sensory points by one
  or two on most sheets, in different places — taste "Vị" 5 → 4 on sets 05, 08, 09, 10 (5 → 3 on 06),
  aroma "Mùi" 4 → 3 on set 07, "Tạp chất" 3 → 2 on 14–15 — with the option texts largely unchanged. So the
  26/2026 point pattern is the best guide for the criteria it prints identically, and the last missing
  point has no direct evidence; where it was needed it was put on the aroma criterion (the set-07
  precedent, and the criterion whose top option reads as an extra level: "…, bền mùi").

### 2.1 Set 07, criterion 6.4 "Mùi" (header 4, options 1/2/3)
The three printed texts are a complete scale (no flavour of its own / natural / natural, suitable,
appealing) and 26/2026 keeps exactly these three as the whole criterion; a lost fourth text is
therefore unlikely. The top option "Tự nhiên của thành phần nguyên liệu, phù hợp, hấp dẫn" (*****) is
read as **4** → 1/2/4, max 4 (as the header and the totals require). No new option text was invented.

### 2.2 Sets 11 and 12 (tea), +3 each
- "Vị nước" **0/1/3/5** (transcribed 0/1/2/3): the 26/2026 sheets print the identical four texts as
  0/1/3/5 — direct evidence from the successor text. +2.
- "Mùi nước" top option "Thơm tự nhiên, mạnh, bền mùi" **4** (transcribed 3): the last point. No text
  shows where it was; it goes to the aroma criterion (set-07 precedent, see above). +1. This is the
  weakest of the fills: "Màu nước" 0/1/2/4 or a 3-point "Ngoại hình" criterion would also total 16.
- Set 11: 6.2.2 max 4, 6.2.3 max 5, 6.2 Nước pha 12, group 6 = 4 + 12 = 16.
  Set 12 (flat): 6.4 max 4, 6.5 max 5, group 6 = 2+2+3+4+5 = 16. Part C = 35 on both.
- Alternatives considered: +1 on "Màu nước" or on "Ngoại hình" — no evidence for either.

### 2.3 Set 13 (coffee, cocoa), +2
- Structure: the flat 6.1–6.7 ("a) Ngoại hình - …", "b) Nước pha - …") is re-nested as 6.1 Ngoại hình
  {6.1.1 Tạp chất lạ, 6.1.2 Trạng thái/hình dạng, 6.1.3 Màu sắc, 6.1.4 Mùi, 6.1.5 Vị} and 6.2 Nước pha
  {6.2.1 Màu nước, 6.2.2 Mùi, vị}, as the 26/2026 sheet prints it.
- Nước pha "Mùi, vị": top option "Mùi vị hấp dẫn, đặc sắc" **4** (transcribed 0/1/2). 26/2026 prints the
  same texts 0/1/3 — the only point difference between the two coffee blocks (+1, from the official
  successor text). The last point again has no direct evidence; it is put on the same criterion because
  it is the coffee block's aroma criterion (set-07 precedent) and the one the 1048-era coffee sheet
  already weighted most (0/1/3/5, "Hấp dẫn" 5; ommani_ocop init.sql answers 1297–1300). → 0/1/4,
  6.2 = 6, 6.1 = 10, group 6 = 16, part C = 35.
- Alternative considered: 0/1/3 (as 26/2026) plus +1 elsewhere (e.g. Ngoại hình "Vị" 0/1/2/3 as in the
  1048 sheet) — rejected because the 148 "Vị" has three options (0/1/2) like 26/2026.
"""


def write_notes(path, results, leaf_counts):
    out = [NOTES_HEAD, GAPS_TEXT]
    out.append("## 3. Corrections table (every change to points, maxima, markers, notes and headers, and how "
               "damaged or misprinted cells were read)\n")
    out.append("One entry per change, in the order of `CORRECTIONS` in `tools/convert.py`.\n")
    n = 0
    for vi in (1, 0):
        decision, sheets, ctx, applied = results[vi]
        out.append(f"### {decision['id']}\n")
        for c in applied:
            n += 1
            what = {
                "points": f"option {c.get('option', 0) + 1} points: printed {c.get('printed')!r} → **{c.get('value')}** (inferred)",
                "confirm": f"option {c.get('option', 0) + 1} points: printed {c.get('printed')!r} → kept **{c.get('value')}** (inferred)",
                "max": f"criterion max {c.get('expect')} → **{c.get('value')}**",
                "group_max": f"group max {c.get('expect')} → **{c.get('value')}**",
                "min_star": f"option {c.get('option', 0) + 1} min_star → **{c.get('value')}**",
                "strip": f"option {c.get('option', 0) + 1} text: removed {c.get('value')!r}",
                "note": f"option {c.get('option', 0) + 1} text: the note {c.get('value')!r} cut off and moved to "
                        f"the criterion's notes",
                "disqualification": f"disqualification header: null → {c.get('value')!r}",
                "remark": (f"option {c.get('option', 0) + 1} points: printed {c.get('printed')!r} → "
                           f"**{c.get('expect')}**, as printed, not inferred (no change)" if c["criterion"]
                           else f"part {c.get('part')} heading: printed {c.get('printed')!r} → max "
                                f"**{c.get('expect')}** (no change)"),
            }[c["op"]]
            crit = sheets[c["set"]]
            crit_title = ""
            try:
                if c["criterion"] is None:
                    crit_title = crit["name"]
                elif c["op"] == "group_max":
                    crit_title = find_group(crit, c["criterion"])["title"]
                else:
                    crit_title = find_crit(crit, c["criterion"])["title"]
            except SystemExit:
                pass
            label = c["criterion"] or (f"part {c['part']}" if c.get("part") else "sheet")
            out.append(f"{n}. **set {c['set']:02d}, {label}** ({crit_title[:70]}): {what}. {c['reason']}\n")
        out.append("")
    # text fixes
    out.append("## 4. Text\n")
    out.append("### 4.1 QĐ 148 OCR slips (substring replacements, `TEXT_FIXES_148`)\n")
    hits = results[0][2].text_hits
    for wrong, right, why in TEXT_FIXES_148:
        out.append(f"- \"{wrong}\" → \"{right}\" ({hits.get(wrong, 0)} occurrence(s)): {why}.")
    out.append("")
    # structure
    out.append("## 5. Structure and headings\n")
    for vi in (1, 0):
        decision, sheets, ctx, applied = results[vi]
        out.append(f"### {decision['id']}\n")
        if ctx.part_title_log:
            out.append("Part titles normalised (rule 4): " + "; ".join(
                f"set {no:02d} {pc} \"{t}\"" for no, pc, t in ctx.part_title_log) + ".\n")
        for no, g, msg in ctx.structure_log:
            out.append(f"- set {no:02d}, group {g}: {msg}.")
        if not ctx.structure_log:
            out.append("- no structural change.")
        out.append("")
    # eliminating
    out.append("## 6. Eliminating notes (rule 9)\n")
    for vi in (1, 0):
        decision, sheets, ctx, applied = results[vi]
        out.append(f"### {decision['id']}\n")
        groups = {}
        for no, code, note, elim, in_ref in ctx.eliminating_log:
            if elim:
                groups.setdefault(note, []).append(f"{no:02d}:{code}")
        for note, where in groups.items():
            out.append(f"- eliminating — \"{note}\" — sets:criteria {', '.join(where)}.")
        diff = [(no, code, note, elim, in_ref) for no, code, note, elim, in_ref in ctx.eliminating_log if elim != in_ref]
        if diff:
            out.append("\nDiffers from the reference's `eliminating_notes`:")
            for no, code, note, elim, in_ref in diff:
                if (no, code, note) in ctx.moved_notes:
                    why = "eliminating here; the reference has it inside an option text (section 3)"
                elif elim:
                    why = "eliminating here, not in the reference"
                else:
                    why = "not eliminating here, flagged in the reference"
                out.append(f"- set {no:02d} {code}: \"{note[:110]}\" — {why}.")
        out.append("")
    # markers
    out.append("## 7. Criterion-level star markers (rule 10)\n")
    for vi in (1, 0):
        decision, sheets, ctx, applied = results[vi]
        out.append(f"### {decision['id']}\n")
        if not ctx.marker_log:
            out.append("- none.\n")
            continue
        for where, code, level, text, pts, what in ctx.marker_log:
            out.append(f"- {where.split()[-1]} {code}: criterion marked {'*' * level} → min_star {level} on "
                       f"\"{text[:80]}\" ({pts} đ) — {what}.")
        out.append("")
    # inferred binary options
    out.append("## 8. Inferred options of binary criteria (rule 11)\n")
    for vi in (1, 0):
        decision, sheets, ctx, applied = results[vi]
        out.append(f"### {decision['id']}\n")
        seen = {}
        for no, code, text, pts, why in ctx.inferred_log:
            seen.setdefault(code, []).append(f"{no:02d}")
        if not seen:
            out.append("- none.\n")
            continue
        for code, sets in seen.items():
            out.append(f"- criterion {code}: \"Không\" 0 / \"Có\" = max (1), `inferred: true`, sets "
                       f"{', '.join(sorted(set(sets)))}.")
        out.append("")
    out.append("## 9. Counts\n")
    for did, nl in leaf_counts.items():
        out.append(f"- {did}: {nl} leaf criteria over 26 sets.")
    out.append("")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(out).rstrip() + "\n")


# --------------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------------


def dump(path, data):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=2)
        f.write("\n")


def main(argv):
    args = list(argv)
    if "--check" in args:
        i = args.index("--check")
        target = args[i + 1] if len(args) > i + 1 else CRITERIA_DIR
        errs, leaves = check_path(target)
        for e in errs:
            print("REFUSED", e)
        for did, n in sorted(leaves.items()):
            print(f"{did}: {n} leaf criteria")
        print("OK" if not errs else f"{len(errs)} problem(s)")
        return 1 if errs else 0
    out_dir = CRITERIA_DIR
    if "--out" in args:
        i = args.index("--out")
        out_dir = args[i + 1]
        del args[i:i + 2]
    ref = args[0] if args else DEFAULT_REFERENCE
    with open(ref, encoding="utf-8") as f:
        reference = json.load(f)
    results = {}
    for vi, version in enumerate(reference["versions"]):
        results[vi] = convert_version(vi, version)
    for vi in (0, 1):
        decision, sheets, ctx, applied = results[vi]
        d = os.path.join(out_dir, decision["id"])
        os.makedirs(d, exist_ok=True)
        dump(os.path.join(d, "decision.json"), decision)
        for no, sheet in sorted(sheets.items()):
            dump(os.path.join(d, f"{no:02d}.json"), sheet)
    # every correction must have been used
    used = sum(len(results[vi][3]) for vi in results)
    if used != len(CORRECTIONS):
        raise SystemExit(f"{len(CORRECTIONS) - used} correction(s) not applied")
    errs, leaves = check_path(out_dir)
    write_notes(os.path.join(out_dir, "NOTES.md"), results, leaves)
    for e in errs:
        print("REFUSED", e)
    for did, n in sorted(leaves.items()):
        print(f"{did}: {n} leaf criteria")
    print("wrote", out_dir, "OK" if not errs else f"with {len(errs)} problem(s)")
    return 1 if errs else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
