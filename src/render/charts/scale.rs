//! The horizontal scale every chart shares: values to x coordinates, a
//! "nice" domain and its ticks, and the numbers written into the SVG (at
//! most one decimal, never NaN, negatives and non-finite values drawn as 0).

use super::{Unit, X0, X1};

/// Maps values to x coordinates: 0 at `X0`, `domain` at `X1`.
pub(super) struct Scale {
    domain: f64,
    step: f64,
}

impl Scale {
    /// The scale, exactly, as a key (its domain and step).
    pub(super) fn bits(&self) -> (u64, u64) {
        (self.domain.to_bits(), self.step.to_bits())
    }

    pub(super) fn new(unit: &Unit, max: f64) -> Scale {
        let mut m = if max.is_finite() && max > 0.0 {
            max
        } else {
            0.0
        };
        match unit {
            Unit::Percent => m = m.max(1.0),
            Unit::Score { max: smax } => {
                let smax = if smax.is_finite() && *smax > 0.0 {
                    *smax
                } else {
                    5.0
                };
                m = m.max(smax);
                if m <= 10.0 {
                    return Scale {
                        domain: m.ceil(),
                        step: 1.0,
                    };
                }
            }
            _ => {}
        }
        if m == 0.0 {
            m = 1.0;
        }
        let mut step = nice_step(m / 5.0);
        let whole = match unit {
            Unit::Money { .. } => true,
            #[cfg(test)]
            Unit::Count => true,
            _ => false,
        };
        if whole && step < 10.0 {
            step = step.ceil().max(1.0);
        }
        let domain = (m / step).ceil() * step;
        if domain.is_finite() && domain >= m {
            Scale { domain, step }
        } else {
            Scale { domain: m, step: m }
        }
    }

    pub(super) fn x(&self, v: f64) -> f64 {
        X0 + draw_value(v).min(self.domain) / self.domain * (X1 - X0)
    }

    pub(super) fn ticks(&self) -> Vec<f64> {
        let n = (self.domain / self.step).round();
        if !(1.0..=12.0).contains(&n) {
            return vec![0.0, self.domain];
        }
        (0..=n as usize).map(|i| i as f64 * self.step).collect()
    }
}

/// A "nice" step at least `raw`: 1, 2, 2.5 or 5 times a power of ten.
fn nice_step(raw: f64) -> f64 {
    if !(raw.is_finite() && raw > 0.0) {
        return 1.0;
    }
    let base = 10f64.powf(raw.log10().floor());
    let f = raw / base;
    let m = if f <= 1.0 {
        1.0
    } else if f <= 2.0 {
        2.0
    } else if f <= 2.5 {
        2.5
    } else if f <= 5.0 {
        5.0
    } else {
        10.0
    };
    let step = m * base;
    if step.is_finite() && step > 0.0 {
        step
    } else {
        raw
    }
}

/// A number for SVG: at most one decimal, never NaN, no `-0`.
pub(super) fn num(v: f64) -> String {
    if !v.is_finite() {
        return "0".to_string();
    }
    // Tenths as an integer: integer formatting is far cheaper than float
    // formatting with a precision, and charts print many numbers.
    let tenths = (v * 10.0).round();
    if tenths.abs() >= 1e15 {
        return format!("{:.0}", v.round());
    }
    let t = tenths as i64;
    if t == 0 {
        "0".to_string()
    } else if t % 10 == 0 {
        (t / 10).to_string()
    } else {
        let sign = if t < 0 { "-" } else { "" };
        format!("{sign}{}.{}", (t / 10).abs(), (t % 10).abs())
    }
}

/// The value a bar is drawn with: negative and non-finite values are 0.
pub(super) fn draw_value(v: f64) -> f64 {
    if v.is_finite() && v > 0.0 {
        v
    } else {
        0.0
    }
}

pub(super) fn clean_target(t: Option<(f64, &str)>) -> Option<(f64, &str)> {
    t.filter(|(v, _)| v.is_finite())
        .map(|(v, l)| (v.max(0.0), l))
}

pub(super) fn clean_band(b: f64) -> f64 {
    if b.is_finite() {
        b.clamp(0.0, 1.0)
    } else {
        0.0
    }
}
