//! Webhooks: which events a workspace can subscribe to, what a subscription may name as its
//! target, which addresses keel refuses to deliver to, and how long it waits before trying a
//! failed delivery again. Pure rules; the store writes the queue, keel-web resolves names and
//! sends.

mod address;
mod target;
#[cfg(test)]
mod tests;

pub use address::{refused, AddressKind};
pub use target::{refusal_message, target, Host, Target, ALLOW_PRIVATE_SETTING};

use crate::work::transition::{EventKind, Outcome};
use crate::work::WorkStatus;
use crate::{text, Invalid};

/// Longest description of a subscription, in characters.
pub const DESCRIPTION_MAX: usize = 200;
/// Longest target address, in characters.
pub const URL_MAX: usize = 2_000;

/// How long keel waits after each failed attempt before the next one, in seconds: at once,
/// then after 10 s, 1 min, 5 min, 30 min and 2 h; after the sixth failure it gives up.
pub const RETRY_DELAYS: [u64; 5] = [10, 60, 300, 1_800, 7_200];

/// The type of the test event "Send test" delivers; no subscription chooses it.
pub const TEST_EVENT: &str = "ping";

/// What happened in the workspace, as a receiver reads it in `type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EventType {
    WorkMoved,
    WorkBlocked,
    WorkLaunched,
    WorkflowChanged,
    DecisionRecorded,
    ImportFinished,
}

impl EventType {
    pub const ALL: [EventType; 6] = [
        EventType::WorkMoved,
        EventType::WorkBlocked,
        EventType::WorkLaunched,
        EventType::WorkflowChanged,
        EventType::DecisionRecorded,
        EventType::ImportFinished,
    ];

    /// The word in payloads, the API and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::WorkMoved => "work.moved",
            EventType::WorkBlocked => "work.blocked",
            EventType::WorkLaunched => "work.launched",
            EventType::WorkflowChanged => "workflow.changed",
            EventType::DecisionRecorded => "decision.recorded",
            EventType::ImportFinished => "import.finished",
        }
    }

    /// What it means, for the subscription form.
    pub fn label(self) -> &'static str {
        match self {
            EventType::WorkMoved => {
                "Work moved (advanced, approved, sent back, unblocked, done, cancelled or reopened)"
            }
            EventType::WorkBlocked => "Work blocked",
            EventType::WorkLaunched => "Work launched",
            EventType::WorkflowChanged => "Workflow (SOP) created, changed or retired",
            EventType::DecisionRecorded => "Decision recorded",
            EventType::ImportFinished => "Lead import finished",
        }
    }

    /// Exactly the word (the form's checkboxes and the API send it as it is).
    pub fn parse(s: &str) -> Option<EventType> {
        EventType::ALL.into_iter().find(|e| e.as_str() == s)
    }

    /// The one event a work item's move sends: a block is `work.blocked`, the move that
    /// launches it `work.launched`, every other move `work.moved`.
    pub fn for_move(o: &Outcome) -> EventType {
        if o.event == EventKind::Blocked {
            EventType::WorkBlocked
        } else if o.next.status == WorkStatus::Launched && o.next.launched_at == Some(o.at) {
            EventType::WorkLaunched
        } else {
            EventType::WorkMoved
        }
    }
}

/// A list of event types as the database keeps it, `,work.moved,work.blocked,`, so "is
/// subscribed to X" is one `LIKE '%,X,%'` on both backends.
pub fn stored_types(types: &[EventType]) -> String {
    let mut s = String::from(",");
    for t in types {
        s.push_str(t.as_str());
        s.push(',');
    }
    s
}

/// The pattern that finds subscriptions to `t` in the stored list.
pub fn subscribed_pattern(t: EventType) -> String {
    format!("%,{},%", t.as_str())
}

/// The stored list back as event types (unknown words are dropped: a newer keel's).
pub fn read_types(stored: &str) -> Vec<EventType> {
    let mut v: Vec<EventType> = stored.split(',').filter_map(EventType::parse).collect();
    v.sort();
    v.dedup();
    v
}

/// What a form or body says about a subscription.
#[derive(Debug, Clone, Default)]
pub struct SubscriptionInput {
    pub url: String,
    pub description: String,
    pub event_types: Vec<String>,
    pub active: bool,
}

/// A subscription as it may be stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubscriptionDraft {
    pub url: String,
    pub description: Option<String>,
    pub event_types: Vec<EventType>,
    pub active: bool,
}

impl SubscriptionDraft {
    /// Every mistake at once. `allow_private` is the operator's setting: without it, an
    /// address that names a loopback, private or otherwise internal IP is refused here (names
    /// are resolved and checked by the caller, which does IO, and again at every delivery).
    pub fn parse(i: &SubscriptionInput, allow_private: bool) -> Result<SubscriptionDraft, Invalid> {
        let mut inv = Invalid::new();
        let url = match target(&i.url) {
            Ok(t) => match t.refusal(allow_private) {
                Some(m) => {
                    inv.push("url", m);
                    None
                }
                None => Some(t.url),
            },
            Err(m) => {
                inv.push("url", m);
                None
            }
        };
        let description = inv.take(
            "description",
            text::optional(&i.description, "the description", DESCRIPTION_MAX),
        );
        let mut types = Vec::new();
        for raw in &i.event_types {
            match EventType::parse(raw) {
                Some(t) => types.push(t),
                None => inv.push(
                    "event_types",
                    format!(
                        "keel sends no event called \"{}\"; choose among {}.",
                        raw.trim(),
                        EventType::ALL.map(|t| t.as_str()).join(", ")
                    ),
                ),
            }
        }
        types.sort();
        types.dedup();
        if types.is_empty() && inv.message_for("event_types").is_none() {
            inv.push(
                "event_types",
                "Choose at least one event to send to this address.",
            );
        }
        inv.into_result(|| SubscriptionDraft {
            url: url.unwrap_or_default(),
            description: description.flatten(),
            event_types: types,
            active: i.active,
        })
    }
}

/// How long to wait after `attempts` failed attempts before the next one, or `None` when
/// keel gives up (every delay of `delays` has been waited).
pub fn retry_delay(attempts: u32, delays: &[u64]) -> Option<u64> {
    let i = usize::try_from(attempts).ok()?.checked_sub(1)?;
    delays.get(i).copied()
}

/// Whether a receiver's answer counts as delivered: any 2xx. A redirect is not followed
/// (it could lead anywhere, an internal address included), so it is a failure.
pub fn delivered(status: u16) -> bool {
    (200..300).contains(&status)
}

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryStatus {
    /// Waiting for its next attempt (or being sent right now).
    Pending,
    Delivered,
    /// Every attempt failed; it will not be tried again unless someone redelivers it.
    Failed,
}

impl DeliveryStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryStatus::Pending => "pending",
            DeliveryStatus::Delivered => "delivered",
            DeliveryStatus::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<DeliveryStatus> {
        [
            DeliveryStatus::Pending,
            DeliveryStatus::Delivered,
            DeliveryStatus::Failed,
        ]
        .into_iter()
        .find(|d| d.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            DeliveryStatus::Pending => "waiting",
            DeliveryStatus::Delivered => "delivered",
            DeliveryStatus::Failed => "gave up",
        }
    }
}
