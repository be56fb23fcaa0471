//! Basic alphas and technical factors (PRODUCT A1 / M1), written in the expression language so
//! that they share sub-expressions with everything else in a batch.
//!
//! | name | formula | meaning |
//! |---|---|---|
//! | `mom5`, `mom20` | `close / delay(close, d) − 1` | d-day momentum |
//! | `meanrev20` | `−(close / ts_mean(close, 20) − 1)` | mean reversion to the 20-day average |
//! | `rsi14` | `100·U / (U + D)`, U, D = 14-day mean up / down moves | RSI with simple averages (Cutler) |
//! | `bollinger20` | `(close − (m − 2s)) / (4s)`, m, s = 20-day mean, std | %B position in the bands |
//! | `macd` | `ema(close, 12) − ema(close, 26)` | Appel's MACD line |
//! | `macd_signal` | `ema(macd, 9)` | its signal line |
//! | `macd_hist` | `macd − macd_signal` | histogram |
//! | `sma5_20`, `sma20_50` | `ts_mean(close, a) / ts_mean(close, b) − 1` | moving-average crossover |
//! | `volume_ratio20` | `volume / adv20` | volume relative to its 20-day mean |
//! | `volume_spike` | `(volume > 2·adv20) ? 1 : 0` | volume spike flag |
//! | `vol_breakout` | `(close − open) / (delay(high, 1) − delay(low, 1))` | Williams' volatility breakout ratio (> 0.5 is the classic entry) |
//! | `vol_breakout_flag` | `vol_breakout > 0.5 ? 1 : 0` | the entry signal |
//! | `volatility20` | `stddev(returns, 20)` | 20-day realised volatility |

/// `(name, source)` of every technical factor, addressable as `tech:<name>`.
pub const TECHNICALS: [(&str, &str); 15] = [
    ("mom5", "close / delay(close, 5) - 1"),
    ("mom20", "close / delay(close, 20) - 1"),
    ("meanrev20", "-(close / ts_mean(close, 20) - 1)"),
    (
        "rsi14",
        "100 * ts_mean(greatest(delta(close, 1), 0), 14) / (ts_mean(greatest(delta(close, 1), 0), 14) + ts_mean(greatest(-delta(close, 1), 0), 14))",
    ),
    (
        "bollinger20",
        "(close - (ts_mean(close, 20) - 2 * stddev(close, 20))) / (4 * stddev(close, 20))",
    ),
    ("macd", "ema(close, 12) - ema(close, 26)"),
    ("macd_signal", "ema(ema(close, 12) - ema(close, 26), 9)"),
    (
        "macd_hist",
        "(ema(close, 12) - ema(close, 26)) - ema(ema(close, 12) - ema(close, 26), 9)",
    ),
    ("sma5_20", "ts_mean(close, 5) / ts_mean(close, 20) - 1"),
    ("sma20_50", "ts_mean(close, 20) / ts_mean(close, 50) - 1"),
    ("volume_ratio20", "volume / adv20"),
    ("volume_spike", "(volume > 2 * adv20) ? 1 : 0"),
    (
        "vol_breakout",
        "(close - open) / (delay(high, 1) - delay(low, 1))",
    ),
    (
        "vol_breakout_flag",
        "((close - open) / (delay(high, 1) - delay(low, 1)) > 0.5) ? 1 : 0",
    ),
    ("volatility20", "stddev(returns, 20)"),
];
