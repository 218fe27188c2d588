-- Issue 12: the text a certificate's QR code carries, the compact `OCOP2` payload bound by hash to
-- the full signed record in `payload` (`OCOP1`). NULL for certificates issued before it, which
-- keep printing their `OCOP1` payload.
ALTER TABLE certificate ADD COLUMN qr TEXT;
