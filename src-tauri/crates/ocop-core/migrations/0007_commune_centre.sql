-- The commune's pre-assessment of a dossier (QĐ 26/2026 Điều 7.2, Mẫu 03) and the central
-- council's results as they come back to the province (Điều 7.4), with the province's
-- recognition on a central result under 90.

-- Mẫu 03 "Báo cáo đánh giá một số nội dung" as JSON (`StoredCommuneReport`, with its format);
-- '' = none yet.
ALTER TABLE dossier ADD COLUMN commune_report TEXT NOT NULL DEFAULT '';

-- One central council's result for one of this office's products. `round_id` is the provincial
-- round that forwarded the product, when it is known here. `entry_id` is the registry entry of
-- the recognition made on this result (the province's 3★/4★, or the Ministry's 5★ recorded).
CREATE TABLE central_result (
    id            TEXT PRIMARY KEY,
    product_id    TEXT NOT NULL REFERENCES product(id),
    round_id      TEXT REFERENCES round(id),
    decision_id   TEXT NOT NULL,               -- the criteria the centre scored under
    body          TEXT NOT NULL DEFAULT '',    -- "Hội đồng đánh giá, phân hạng sản phẩm OCOP cấp Trung ương"
    reference     TEXT NOT NULL DEFAULT '',    -- the centre's minutes or letter, as printed
    scored_on     TEXT NOT NULL,               -- ISO
    mean_total    REAL NOT NULL CHECK (mean_total BETWEEN 0 AND 100),
    star          INTEGER CHECK (star BETWEEN 3 AND 5),
    eliminated    INTEGER NOT NULL DEFAULT 0 CHECK (eliminated IN (0, 1)),
    source        TEXT NOT NULL CHECK (source IN ('keyed','bundle')),
    bundle_id     TEXT,
    entry_id      TEXT REFERENCES registry_entry(id),
    created_at    TEXT NOT NULL,
    created_by    TEXT NOT NULL,
    format        INTEGER NOT NULL DEFAULT 1,
    UNIQUE (product_id, scored_on, reference)
);
CREATE INDEX central_result_product ON central_result(product_id);
