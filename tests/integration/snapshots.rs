//! The tables people read, pinned byte for byte (insta): a refactor of how
//! answers are built must not move a column or a word. Review a change with
//! `cargo insta review`, or `INSTA_UPDATE=always cargo test` then `git diff`.

use crate::util::{NOW, slacalc};

fn table(args: &[&str]) -> String {
    let mut a = vec!["--now", NOW];
    a.extend_from_slice(args);
    slacalc(&a).run().ok().to_string()
}

macro_rules! pin {
    ($name:ident, $($arg:expr),+) => {
        #[test]
        fn $name() {
            insta::assert_snapshot!(table(&[$($arg),+]));
        }
    };
}

pin!(deadline_gold_major, "deadline", "--plan", "gold", "--priority", "major", "--opened", "2026-11-20 17:30");
pin!(
    deadline_explain_over_lunch_and_weekend,
    "deadline",
    "--plan",
    "gold",
    "--priority",
    "minor",
    "--opened",
    "2026-11-20 17:30",
    "--pause",
    "2026-11-23 10:00/2026-11-23 11:00",
    "--explain"
);
pin!(status_cloud_down, "status", "--plan", "cloud", "--priority", "down", "--opened", "2026-11-23 10:30");
pin!(
    status_explain_met,
    "status",
    "--plan",
    "paying",
    "--opened",
    "2026-11-20 10:00",
    "--responded",
    "2026-11-23 09:30",
    "--explain"
);
pin!(quota_cloud_hours, "quota", "--plan", "cloud", "--subscription", "CHF 12500", "--used", "10h");
pin!(quota_basic_requests, "quota", "--plan", "basic", "--used", "3");
pin!(
    credit_cloud_long_outage,
    "credit",
    "--plan",
    "cloud",
    "--subscription",
    "CHF 12500",
    "--period-start",
    "2026-01-01",
    "--outage",
    "2026-03-01 08:00/2026-03-02 08:00:01"
);
pin!(entitlements_premium, "entitlements", "--plan", "premium");
pin!(plans_list, "plans", "list");
pin!(plans_show_otter_premium, "plans", "show", "otter-premium");
pin!(plans_compare_apizee, "plans", "compare", "bronze", "silver", "gold");
pin!(calendar_christmas, "calendar", "--plan", "gold", "--from", "2026-12-21");
pin!(
    calendar_spring_dst_in_new_york,
    "calendar",
    "--plan",
    "cloud",
    "--from",
    "2026-03-23",
    "--weeks",
    "1",
    "--tz",
    "America/New_York"
);
