//! Where generation spends its time: each stage of the pipeline is run
//! through [`stage`], which, once [`enable`]d on the current thread, records
//! its wall time there; `cargo xtask generate --timings` prints them (the
//! figures behind BENCHMARKS.md, section 6). Off (the default, and in every
//! test), nothing is kept.

use std::cell::RefCell;
use std::time::{Duration, Instant};

thread_local! {
    static RECORDED: RefCell<Option<Vec<(&'static str, Duration)>>> = const { RefCell::new(None) };
}

/// Run `f` as the stage `name`, recording how long it took.
pub fn stage<T>(name: &'static str, f: impl FnOnce() -> T) -> T {
    let outer = crate::stack::entered(name);
    let (out, took) = measured(f);
    crate::stack::left(outer);
    record(name, took);
    out
}

/// Run `f` and return its result with its wall time, recording nothing
/// (for work on another thread; [`record`] it on the pipeline's thread).
pub fn measured<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let out = f();
    (out, start.elapsed())
}

/// Start recording on this thread.
pub fn enable() {
    RECORDED.with(|r| r.borrow_mut().get_or_insert_with(Vec::new).clear());
}

/// Whether this thread records (so work moved to another thread can
/// record there and hand its stages back: [`crate::stack::run`]).
pub fn enabled() -> bool {
    RECORDED.with(|r| r.borrow().is_some())
}

/// Record a stage measured elsewhere (nothing, unless enabled).
pub fn record(name: &'static str, took: Duration) {
    RECORDED.with(|r| {
        if let Some(recorded) = r.borrow_mut().as_mut() {
            recorded.push((name, took));
        }
    });
}

/// The stages recorded on this thread since the last call, in the order
/// they finished (a stage inside another comes before it).
pub fn take() -> Vec<(&'static str, Duration)> {
    RECORDED.with(|r| {
        r.borrow_mut()
            .as_mut()
            .map(std::mem::take)
            .unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_are_recorded_in_order_and_taken_once() {
        assert_eq!(stage("off", || 1), 1);
        assert!(take().is_empty(), "nothing is kept until enabled");
        enable();
        let v = stage("outer", || stage("inner", || 2) + 1);
        assert_eq!(v, 3);
        let names: Vec<_> = take().into_iter().map(|(n, _)| n).collect();
        assert_eq!(names, ["inner", "outer"]);
        assert!(take().is_empty());
    }
}
