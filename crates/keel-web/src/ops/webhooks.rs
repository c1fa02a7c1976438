//! Subscriptions as pages and the API both save them: the domain's rules on what was typed,
//! then the target's name resolved and checked (`webhooks::guard`), so a name that leads to
//! this server or its private network is refused when saved, not only when sent to.

use crate::webhooks::guard;
use crate::AppState;
use keel_domain::webhook::{SubscriptionDraft, SubscriptionInput};
use keel_domain::Invalid;

pub async fn parse(
    state: &AppState,
    input: &SubscriptionInput,
) -> Result<SubscriptionDraft, Invalid> {
    let allow = state.config.webhooks_allow_private;
    let d = SubscriptionDraft::parse(input, allow)?;
    guard::check(&d.url, allow)
        .await
        .map_err(|m| Invalid::one("url", m))?;
    Ok(d)
}
