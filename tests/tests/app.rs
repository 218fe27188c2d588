//! The real app, driven through tauri-driver + WebKitWebDriver (run under Xvfb by `.ci/run`).
//! Ignored by a plain `cargo test`: they need the driver and a display.

mod common;

use common::*;
use fantoccini::Locator;

#[tokio::test]
#[ignore = "needs tauri-driver and an X display (see .ci/run)"]
async fn criteria_browser_shows_the_tea_sheet_of_decision_26() {
    let dir = tempfile::tempdir().unwrap();
    let c = launch(dir.path()).await;

    wait_css(&c, "#main-nav a[data-screen=\"criteria\"]").await.click().await.unwrap();
    let decision = wait_css(&c, "select#decision").await;
    decision.select_by_value("QD26-2026").await.unwrap();
    let set = wait_css(&c, "button.set-item[data-code=\"11\"]").await;
    assert!(set.text().await.unwrap().contains("Chè tươi, chè chế biến"));
    set.click().await.unwrap();

    wait_css(
        &c,
        "#sheet[data-state=\"ready\"][data-decision=\"QD26-2026\"][data-set=\"11\"]",
    )
    .await;
    let c11 = wait_css(&c, ".criterion[data-criterion=\"1.1\"]").await;
    let title = c11
        .find(Locator::Css(".crit-title"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(title, "Nguồn nguyên liệu");
    let max = c11
        .find(Locator::Css(".crit-max"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(max, "3 điểm");
    let points: Vec<String> = {
        let mut v = Vec::new();
        for o in c11
            .find_all(Locator::Css("li.option .points"))
            .await
            .unwrap()
        {
            v.push(o.text().await.unwrap());
        }
        v
    };
    assert_eq!(points, ["1", "2", "3"]);
    // The nested sensory block of tea: 6.1.1 under 6.1.
    let nested = wait_css(&c, ".criterion[data-criterion=\"6.1.1\"] .crit-title").await;
    assert_eq!(nested.text().await.unwrap(), "Tạp chất");
    let marker = wait_css(&c, ".criterion[data-criterion=\"6.1.1\"] .marker").await;
    assert_eq!(
        marker.attr("aria-label").await.unwrap().as_deref(),
        Some("Yêu cầu tối thiểu 4 sao")
    );
    screenshot(&c, "criteria-tea-26").await;
    c.close().await.unwrap();
}
