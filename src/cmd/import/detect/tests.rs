use super::*;

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn num(s: &str, decimal: Option<char>) -> Result<f64, String> {
    match classify_number(s) {
        RawNumber::Num(n) => number_value(&n, decimal),
        other => Err(format!("{other:?}")),
    }
}

#[test]
fn dates_that_read_one_way_only() {
    assert_eq!(classify_date("2026-03-04"), RawDate::Known(ymd(2026, 3, 4)));
    assert_eq!(
        classify_date("2026-03-04T23:10:00.000Z"),
        RawDate::Known(ymd(2026, 3, 4))
    );
    assert_eq!(
        classify_date("2026-08-20 00:00"),
        RawDate::Known(ymd(2026, 8, 20))
    );
    assert_eq!(classify_date("4 Mar 2026"), RawDate::Known(ymd(2026, 3, 4)));
    assert_eq!(
        classify_date("March 4, 2026"),
        RawDate::Known(ymd(2026, 3, 4))
    );
    assert_eq!(
        classify_date("3/4/2026 10:22 AM"),
        RawDate::Numeric {
            a: 3,
            b: 4,
            year: 2026
        }
    );
    assert_eq!(classify_date("17-04-05"), RawDate::TwoDigitYear);
    assert!(matches!(classify_date("2026-02-30"), RawDate::Bad(_)));
    assert!(matches!(classify_date("soon"), RawDate::Bad(_)));
    assert!(matches!(classify_date("3/4/2026 lunch"), RawDate::Bad(_)));
    assert!(matches!(classify_date("3/4-2026"), RawDate::Bad(_)));
    assert_eq!(classify_date("  "), RawDate::Empty);
}

#[test]
fn a_column_order_comes_from_all_its_values() {
    let col = |v: &[&str]| -> Vec<(usize, RawDate)> {
        v.iter()
            .enumerate()
            .map(|(i, s)| (i + 2, classify_date(s)))
            .collect()
    };
    assert_eq!(
        date_order(&col(&["05/01/2024", "13/01/2024"])),
        Ok(Some(DateOrder::DayFirst))
    );
    assert_eq!(
        date_order(&col(&["05/01/2024", "01/13/2024"])),
        Ok(Some(DateOrder::MonthFirst))
    );
    assert_eq!(
        date_order(&col(&["05/01/2024", "06/02/2024"])),
        Err(OrderError::Ambiguous(vec![2, 3]))
    );
    assert_eq!(
        date_order(&col(&["13/01/2024", "05/01/2024", "01/13/2024"])),
        Err(OrderError::Conflict {
            day_first: vec![2],
            month_first: vec![4]
        })
    );
    // An ISO column has nothing to decide; an impossible date is no
    // evidence either way.
    assert_eq!(date_order(&col(&["2024-01-05", "13/45/2024"])), Ok(None));
}

#[test]
fn date_formats_as_people_write_them() {
    assert_eq!(chrono_format("DD-MM-YY").unwrap(), "%d-%m-%y");
    assert_eq!(chrono_format("mm/dd/yyyy").unwrap(), "%m/%d/%Y");
    assert_eq!(chrono_format("%d.%m.%Y").unwrap(), "%d.%m.%Y");
    assert!(chrono_format("DD-MM").is_err());
    assert!(chrono_format("%d-%m").is_err());
    assert!(chrono_format("day first").is_err());
    assert_eq!(
        parse_with_format("17-04-05", "%d-%m-%y"),
        RawDate::Known(ymd(2005, 4, 17))
    );
    assert_eq!(
        parse_with_format("2026-04-05", "%d-%m-%y"),
        RawDate::Known(ymd(2026, 4, 5))
    );
    assert!(matches!(
        parse_with_format("17/04/05", "%d-%m-%y"),
        RawDate::Bad(_)
    ));
    assert!(check_year(ymd(5, 4, 17), "0005-04-17").is_err());
    assert!(check_year(ymd(2101, 1, 1), "x").is_err());
    assert!(check_year(ymd(1990, 1, 1), "x").is_ok());
}

#[test]
fn amounts_exactly_or_not_at_all() {
    assert_eq!(num("$180,000.00", None), Ok(180000.0));
    assert_eq!(num("1.200,50", Some(',')), Ok(1200.5));
    assert!(num("\"350.000,00\"", Some(',')).is_err());
    assert_eq!(num("350.000,00", Some(',')), Ok(350000.0));
    assert_eq!(num("EUR 1.200,50", Some(',')), Ok(1200.5));
    assert_eq!(num("1 200,50 €", Some(',')), Ok(1200.5));
    assert_eq!(num("1'200.50 CHF", Some('.')), Ok(1200.5));
    assert_eq!(num("12k", None), Ok(12000.0));
    assert_eq!(num("12.5k", Some('.')), Ok(12500.0));
    assert_eq!(num("1,5M", Some(',')), Ok(1_500_000.0));
    assert_eq!(num("0.1k", Some('.')), Ok(100.0));
    assert_eq!(num("1.5e5", Some('.')), Ok(150000.0));
    assert_eq!(num("1,200", Some('.')), Ok(1200.0));
    assert_eq!(num("1,200", Some(',')), Ok(1.2));
    // A value that does not fit the column's separator is refused.
    assert!(num("1.200,50", Some('.')).is_err());
    assert!(num("1.2.3", Some('.')).is_err());
    assert!(num("12,00,000", Some('.')).is_err());
    assert_eq!(classify_number("(1,200)"), RawNumber::Negative);
    assert_eq!(classify_number("-5"), RawNumber::Negative);
    assert_eq!(classify_number("$(1,200.00)"), RawNumber::Negative);
    assert_eq!(classify_number("1.200,50-"), RawNumber::Negative);
    for bad in ["lots", "12 units", "TBD", "12m", "1e999", "$", "12kk"] {
        assert!(
            matches!(classify_number(bad), RawNumber::Bad(_)),
            "{bad}: {:?}",
            classify_number(bad)
        );
    }
    assert_eq!(classify_number(""), RawNumber::Empty);
}

#[test]
fn a_column_decimal_separator_comes_from_all_its_values() {
    let col = |v: &[&str]| -> Vec<(usize, RawNumber)> {
        v.iter()
            .enumerate()
            .map(|(i, s)| (i + 2, classify_number(s)))
            .collect()
    };
    let ev = |s: &str| match classify_number(s) {
        RawNumber::Num(n) => evidence(&n),
        _ => Evidence::None,
    };
    assert_eq!(ev("1,200"), Evidence::Ambiguous);
    assert_eq!(ev("1.200"), Evidence::Ambiguous);
    assert_eq!(ev("1.200,50"), Evidence::Decimal(','));
    assert_eq!(ev("1,200.50"), Evidence::Decimal('.'));
    assert_eq!(ev("1.200.000"), Evidence::Decimal(','));
    assert_eq!(ev("12,5"), Evidence::Decimal(','));
    assert_eq!(ev("0,125"), Evidence::Decimal(','));
    assert_eq!(ev("1234,567"), Evidence::Decimal(','));
    assert_eq!(ev("1200"), Evidence::None);
    assert_eq!(
        decimal_separator(&col(&["1,200", "1200"])),
        Err(DecimalError::Ambiguous(vec![2]))
    );
    assert_eq!(
        decimal_separator(&col(&["1,200", "350.000,00"])),
        Ok(Some(','))
    );
    assert_eq!(decimal_separator(&col(&["1,200", "99.5"])), Ok(Some('.')));
    assert_eq!(decimal_separator(&col(&["100", "200"])), Ok(None));
    assert_eq!(
        decimal_separator(&col(&["1.200,50", "1,200.50"])),
        Err(DecimalError::Conflict {
            dot: vec![3],
            comma: vec![2]
        })
    );
}

/// No cell makes the readers panic: every short string over an
/// alphabet of the characters they treat specially.
#[test]
fn no_cell_panics() {
    let alphabet: Vec<char> = "0123456789.,-/ :T()kKMeE+%$€'\"ZAPUSD\u{a0}\u{2212}é名"
        .chars()
        .collect();
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for _ in 0..200_000 {
        let len = (next() % 14) as usize;
        let s: String = (0..len)
            .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
            .collect();
        let _ = classify_date(&s);
        let _ = parse_with_format(&s, "%d-%m-%y");
        let _ = chrono_format(&s);
        if let RawNumber::Num(n) = classify_number(&s) {
            let _ = evidence(&n);
            let _ = number_value(&n, Some(','));
            let _ = number_value(&n, Some('.'));
        }
    }
}
