//! Webhooks, the IO half: the delivery worker every `keel serve` node runs, the signature,
//! and the address checks that resolve names. The rules (events, targets, refused addresses,
//! retry delays) are `keel_domain::webhook`; the queue is the Store's (`webhook_queue.rs`).

pub mod guard;
pub mod sign;
mod worker;

pub use worker::{body, run};

use std::sync::atomic::{AtomicU64, Ordering};

/// What this node's attempts came to, for `/metrics`.
#[derive(Default)]
pub struct Counters {
    pub delivered: AtomicU64,
    /// Failed, with another attempt to come.
    pub retrying: AtomicU64,
    /// Failed for the last time: given up.
    pub failed: AtomicU64,
}

impl Counters {
    pub fn snapshot(&self) -> [(&'static str, u64); 3] {
        [
            ("delivered", self.delivered.load(Ordering::Relaxed)),
            ("retrying", self.retrying.load(Ordering::Relaxed)),
            ("failed", self.failed.load(Ordering::Relaxed)),
        ]
    }
}
