-- Recognition decisions (Quyết định công nhận) of finalised rounds and the certificates they issue.
CREATE TABLE recognition (
    id          TEXT PRIMARY KEY,
    round_id    TEXT NOT NULL UNIQUE REFERENCES round(id),
    number      TEXT NOT NULL,                 -- "125/QĐ-UBND"
    date        TEXT NOT NULL,                 -- signing date (ISO)
    signer      TEXT NOT NULL,                 -- Signer as JSON, as printed
    created_at  TEXT NOT NULL
);

CREATE TABLE certificate (
    id             TEXT PRIMARY KEY,
    recognition_id TEXT NOT NULL REFERENCES recognition(id),
    product_id     TEXT NOT NULL REFERENCES product(id),
    number         TEXT NOT NULL,              -- "125/QĐ-UBND-01"
    star           INTEGER NOT NULL CHECK (star BETWEEN 3 AND 5),
    score          REAL NOT NULL,
    issued_on      TEXT NOT NULL,
    valid_until    TEXT NOT NULL,              -- 36 months after issue
    payload        TEXT NOT NULL,              -- the signed QR payload
    revoked_on     TEXT,
    revoked_reason TEXT,
    created_at     TEXT NOT NULL,
    UNIQUE (recognition_id, product_id)
);
CREATE INDEX certificate_product ON certificate(product_id);
