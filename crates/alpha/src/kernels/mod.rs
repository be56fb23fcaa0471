//! Numeric kernels: one series at a time for time-series operators, one date at a time for
//! cross-sectional operators, element-wise operators with broadcasting.

pub mod bucket_sort;
pub mod cross;
pub mod elem;
pub mod extrema;
pub mod fused;
pub mod ranker;
pub mod rolling;
pub mod window;
