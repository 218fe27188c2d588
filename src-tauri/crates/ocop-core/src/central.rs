//! The central council's results back at the province (QĐ 26/2026 Điều 7.4), and what the
//! province may do with them: a product the province forwarded (mean ≥ 90) is scored again by
//! the central council; at 5★ the Ministry recognises it, and under 90 the provincial chair may
//! recognise it 3★ or 4★ on the central result. A central result reaches the province in a
//! `centre_to_province` bundle, or is keyed from the centre's letter when it comes on paper.
//!
//! Pure: the checks and the verdict. The rows are in `store::central`.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::Result;
use crate::procedure::{Level, Procedure};
use crate::rules::{band_star, returns_to};

/// A central result as keyed from the centre's letter or minutes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CentralResultInput {
    pub product_id: String,
    /// The provincial round that forwarded the product, when known.
    #[serde(default)]
    pub round_id: Option<String>,
    /// The criteria the centre scored under; the product's own when empty.
    #[serde(default)]
    pub decision_id: String,
    #[serde(default)]
    pub body: String,
    /// The centre's minutes or letter, as printed ("Biên bản số 12/BB-HĐTW").
    #[serde(default)]
    pub reference: String,
    /// ISO date of the central council's scoring.
    pub scored_on: String,
    pub mean_total: f64,
    /// The central council's star (its band and minima); null = not recognised.
    #[serde(default)]
    pub star: Option<u8>,
    #[serde(default)]
    pub eliminated: bool,
}

/// What a central result allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum CentralVerdict {
    /// 5★: the Ministry recognises it; the province records the Ministry's decision.
    CentreRecognises,
    /// Under 90 with 3★ or 4★ under QĐ 26/2026: the provincial chair may recognise it.
    ProvinceMayRecognise,
    /// Nothing to recognise (no star, eliminated, or QĐ 148, which provides no return).
    NotRecognised,
}

/// One central result, as the province sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CentralResult {
    pub id: String,
    pub product_id: String,
    pub product: String,
    pub owner: String,
    pub round_id: Option<String>,
    pub decision_id: String,
    pub body: String,
    pub reference: String,
    pub scored_on: String,
    pub mean_total: f64,
    pub star: Option<u8>,
    pub eliminated: bool,
    /// `keyed` or `bundle`.
    pub source: String,
    pub bundle_id: Option<String>,
    pub verdict: CentralVerdict,
    /// The registry entry of the recognition made on this result, once made.
    pub entry_id: Option<String>,
    pub created_at: String,
}

/// The verdict on a central result scored under `decision_id`.
pub fn verdict(decision_id: &str, star: Option<u8>, eliminated: bool) -> CentralVerdict {
    if eliminated {
        return CentralVerdict::NotRecognised;
    }
    match star {
        Some(5) => CentralVerdict::CentreRecognises,
        s => match returns_to(Procedure::Centre, decision_id, s, false, None) {
            Some(Level::Province) => CentralVerdict::ProvinceMayRecognise,
            _ => CentralVerdict::NotRecognised,
        },
    }
}

/// Checks a keyed result: a date, a mean from 0 to 100, and a star the mean's band allows (the
/// centre's minima may lower a star, never raise it).
pub fn check(input: &CentralResultInput) -> Result<()> {
    chrono::NaiveDate::parse_from_str(input.scored_on.trim(), "%Y-%m-%d")
        .map_err(|_| crate::error::msg::BAD_DATE.with("date", &input.scored_on))?;
    if !input.mean_total.is_finite() || !(0.0..=100.0).contains(&input.mean_total) {
        return Err(msg::BAD_MEAN.with("mean", input.mean_total));
    }
    if let Some(s) = input.star {
        let band = band_star(input.mean_total);
        if !(3..=5).contains(&s) || s > band {
            return Err(msg::BAD_STAR
                .with("star", s)
                .with("mean", format!("{:.2}", input.mean_total))
                .with("band", band));
        }
    }
    if input.eliminated && input.star.is_some() {
        return Err(msg::ELIMINATED_WITH_STAR.err());
    }
    Ok(())
}

pub mod msg {
    crate::messages! {
        BAD_MEAN = "central.bad_mean" {
            vi: "Điểm trung bình của Hội đồng Trung ương phải từ 0 đến 100 (đã nhập {mean})",
            en: "The central council's mean must be from 0 to 100 (entered {mean})",
        }
        BAD_STAR = "central.bad_star" {
            vi: "Hạng {star} sao không khớp điểm trung bình {mean} (tối đa {band} sao)",
            en: "A {star}-star rating does not match a mean of {mean} (at most {band} stars)",
        }
        ELIMINATED_WITH_STAR = "central.eliminated_with_star" {
            vi: "Sản phẩm bị loại ở cấp Trung ương thì không có hạng sao",
            en: "A product eliminated at the centre has no star",
        }
        NOT_FORWARDED = "central.not_forwarded" {
            vi: "Sản phẩm \"{product}\" chưa được tỉnh chuyển lên Trung ương (cần đạt từ 90 điểm ở cấp tỉnh)",
            en: "\"{product}\" was not forwarded to the centre by the province (it needs 90 points or more there)",
        }
        DUPLICATE = "central.duplicate" {
            vi: "Kết quả này của Trung ương đã được ghi nhận ngày {date}",
            en: "This central result was already recorded on {date}",
        }
        NOT_PROVINCE = "central.not_province" {
            vi: "Kết quả này không cho phép UBND tỉnh công nhận (chỉ sản phẩm đạt 3 hoặc 4 sao ở Trung ương theo QĐ 26/2026)",
            en: "The province may not recognise on this result (only a 3- or 4-star central result under Decision 26/2026)",
        }
        NOT_CENTRE = "central.not_centre" {
            vi: "Chỉ ghi quyết định của Bộ cho sản phẩm đạt 5 sao ở Trung ương",
            en: "The Ministry's decision is recorded only for a 5-star central result",
        }
        ALREADY_RECOGNISED = "central.already_recognised" {
            vi: "Đã có quyết định công nhận trên kết quả này",
            en: "A recognition was already made on this result",
        }
        DECISION_NO_MISSING = "central.decision_no_missing" {
            vi: "Cần nhập số quyết định của Bộ",
            en: "Enter the Ministry's decision number",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(mean: f64, star: Option<u8>) -> CentralResultInput {
        CentralResultInput {
            product_id: "p".into(),
            round_id: None,
            decision_id: "QD26-2026".into(),
            body: String::new(),
            reference: String::new(),
            scored_on: "2026-09-20".into(),
            mean_total: mean,
            star,
            eliminated: false,
        }
    }

    #[test]
    fn the_verdict_follows_the_decision_and_the_star() {
        use CentralVerdict::*;
        for (decision, star, eliminated, want) in [
            ("QD26-2026", Some(5), false, CentreRecognises),
            ("QD26-2026", Some(4), false, ProvinceMayRecognise),
            ("QD26-2026", Some(3), false, ProvinceMayRecognise),
            ("QD26-2026", None, false, NotRecognised),
            ("QD26-2026", None, true, NotRecognised),
            ("QD148-2023", Some(5), false, CentreRecognises),
            ("QD148-2023", Some(4), false, NotRecognised),
            ("QD148-2023", Some(3), false, NotRecognised),
        ] {
            assert_eq!(
                verdict(decision, star, eliminated),
                want,
                "{decision} {star:?}"
            );
        }
    }

    #[test]
    fn a_keyed_result_must_agree_with_its_band() {
        assert!(check(&input(88.5, Some(4))).is_ok());
        assert!(
            check(&input(88.5, Some(3))).is_ok(),
            "minima may lower a star"
        );
        assert!(check(&input(91.0, Some(5))).is_ok());
        assert!(check(&input(45.0, None)).is_ok());
        for (mean, star, code) in [
            (88.5, Some(5), "central.bad_star"),
            (60.0, Some(4), "central.bad_star"),
            (45.0, Some(3), "central.bad_star"),
            (80.0, Some(2), "central.bad_star"),
            (100.5, None, "central.bad_mean"),
            (-1.0, None, "central.bad_mean"),
            (f64::NAN, None, "central.bad_mean"),
        ] {
            let e = check(&input(mean, star)).unwrap_err();
            assert_eq!(e.code(), code, "{mean} {star:?}");
        }
        let mut bad_date = input(80.0, Some(4));
        bad_date.scored_on = "20/9/2026".into();
        assert_eq!(check(&bad_date).unwrap_err().code(), "input.bad_date");
        let mut both = input(80.0, Some(4));
        both.eliminated = true;
        assert_eq!(
            check(&both).unwrap_err().code(),
            "central.eliminated_with_star"
        );
    }
}
