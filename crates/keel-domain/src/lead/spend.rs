//! Spend: what a channel or a campaign cost in a month.

use super::{field, parse_cents, parse_month};
use crate::Invalid;

/// Spend as it may be stored: a month, a channel and/or a campaign ('' when not set), cents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpendDraft {
    pub month: i64,
    pub channel: String,
    pub campaign: String,
    pub amount_cents: i64,
}

impl SpendDraft {
    /// Parses what was typed; a spend belongs to a channel, a campaign, or both.
    pub fn parse(
        month: &str,
        channel: &str,
        campaign: &str,
        amount: &str,
    ) -> Result<SpendDraft, Invalid> {
        let mut e = Invalid::new();
        let m = e.take("month", parse_month(month));
        let ch = e.take("channel", field(channel, "Channel")).flatten();
        let ca = e.take("campaign", field(campaign, "Campaign")).flatten();
        if ch.is_none()
            && ca.is_none()
            && e.message_for("channel").is_none()
            && e.message_for("campaign").is_none()
        {
            e.push(
                "channel",
                "Name the channel or the campaign the money went to.",
            );
        }
        let amount_cents = match e.take("amount", parse_cents(amount, "The amount")) {
            Some(Some(c)) => Some(c),
            Some(None) => {
                e.push("amount", "Enter the amount spent, like 2500 or 2500.50.");
                None
            }
            None => None,
        };
        e.into_result(|| SpendDraft {
            month: m.unwrap_or_default(),
            channel: ch.unwrap_or_default(),
            campaign: ca.unwrap_or_default(),
            amount_cents: amount_cents.unwrap_or_default(),
        })
    }
}

/// Cents as an amount with two decimals ("1250.50"), for forms and messages.
pub fn amount(cents: i64) -> String {
    format!("{}.{:02}", cents / 100, (cents % 100).abs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spend_needs_a_month_an_amount_and_a_channel_or_campaign() {
        let s = SpendDraft::parse("2026-03", "Paid search", "", "2,500.50").unwrap();
        assert_eq!(
            (s.month, s.channel.as_str(), s.amount_cents),
            (202603, "Paid search", 250_050)
        );
        let e = SpendDraft::parse("March", "", "", "").unwrap_err();
        let fields: Vec<&str> = e.errors.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["month", "channel", "amount"]);
        assert_eq!(amount(250_050), "2500.50");
    }
}
