//! Business-day calendar of the synthetic universe.
//!
//! Business days are Monday to Friday; there are no holidays (this matches pandas'
//! `bdate_range`, which the source documents use). The month-end flag marks the **last business
//! day** of each calendar month (pandas' `BMonthEnd`), decided from the calendar itself, so the
//! last date of a panel is flagged only when it really is the last business day of its month.

use chrono::{Datelike, Days, NaiveDate, Weekday};

/// Whether `d` is a business day (Monday to Friday).
pub fn is_business_day(d: NaiveDate) -> bool {
    !matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The first business day strictly after `d`, or `None` past chrono's last representable date.
pub fn next_business_day(d: NaiveDate) -> Option<NaiveDate> {
    let step = match d.weekday() {
        Weekday::Fri => 3,
        Weekday::Sat => 2,
        _ => 1,
    };
    d.checked_add_days(Days::new(step))
}

/// Whether `d` is the last business day of its calendar month.
pub fn is_month_end_business_day(d: NaiveDate) -> bool {
    is_business_day(d) && next_business_day(d).is_none_or(|n| n.month() != d.month())
}

/// Business days from `start` (inclusive), either through `end` (inclusive) or exactly `count`
/// of them. Exactly one of `end` / `count` is used: `count` wins when both are given.
///
/// The result is empty when `end` is before the first business day on or after `start`; it is
/// shorter than `count` only at the end of chrono's date range.
pub fn business_days(start: NaiveDate, end: NaiveDate, count: Option<usize>) -> Vec<NaiveDate> {
    let mut out = Vec::with_capacity(count.unwrap_or(0));
    let mut d = if is_business_day(start) {
        Some(start)
    } else {
        next_business_day(start)
    };
    while let Some(day) = d {
        match count {
            Some(n) if out.len() >= n => break,
            None if day > end => break,
            _ => {}
        }
        out.push(day);
        d = next_business_day(day);
    }
    out
}

/// Per-date calendar facts used by the generator.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CalendarFlags {
    /// The date is a Monday.
    pub monday: Vec<bool>,
    /// The date is a Friday.
    pub friday: Vec<bool>,
    /// The date is the last business day of its month.
    pub month_end: Vec<bool>,
}

impl CalendarFlags {
    /// Flags of every date.
    pub(crate) fn of(dates: &[NaiveDate]) -> Self {
        CalendarFlags {
            monday: dates.iter().map(|d| d.weekday() == Weekday::Mon).collect(),
            friday: dates.iter().map(|d| d.weekday() == Weekday::Fri).collect(),
            month_end: dates
                .iter()
                .map(|&d| is_month_end_business_day(d))
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn weekends_are_skipped() {
        // 2020-01-03 is a Friday, 2020-01-04/05 the weekend.
        assert_eq!(next_business_day(d(2020, 1, 3)), Some(d(2020, 1, 6)));
        assert_eq!(next_business_day(d(2020, 1, 4)), Some(d(2020, 1, 6)));
        let days = business_days(d(2020, 1, 4), d(2020, 1, 10), None);
        assert_eq!(days, (6..=10).map(|x| d(2020, 1, x)).collect::<Vec<_>>());
        assert_eq!(business_days(d(2020, 1, 4), d(2020, 1, 5), None), vec![]);
        assert_eq!(
            business_days(d(2020, 1, 4), d(2000, 1, 1), Some(2)).len(),
            2
        );
    }

    #[test]
    fn month_end_is_the_last_business_day() {
        // May 2020 ends on a Sunday: its last business day is Friday the 29th.
        assert!(is_month_end_business_day(d(2020, 5, 29)));
        assert!(!is_month_end_business_day(d(2020, 5, 31)));
        assert!(is_month_end_business_day(d(2020, 6, 30)));
        assert!(!is_month_end_business_day(d(2020, 6, 29)));
    }
}
