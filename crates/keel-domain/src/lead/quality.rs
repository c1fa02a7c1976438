//! Lead quality: how many leads a group (a source × offer pair, a campaign, a month) brought,
//! how sales judged them, and whether the group is a poor fit with enough leads to be sure.

use serde::Serialize;

/// Below this acceptance rate a source × offer pair is a poor fit (unless a workspace sets
/// its own threshold).
pub const DEFAULT_POOR_FIT_BELOW: f64 = 0.4;
/// z for a two-sided 95% interval.
const Z95: f64 = 1.959_963_984_540_054;

/// Leads of one group and what sales said about them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub leads: i64,
    pub accepted: i64,
    pub rejected: i64,
    pub pipeline_cents: i64,
    pub won_cents: i64,
}

impl Counts {
    /// Leads sales has not judged yet.
    pub fn pending(&self) -> i64 {
        (self.leads - self.accepted - self.rejected).max(0)
    }

    pub fn judged(&self) -> i64 {
        self.accepted + self.rejected
    }

    /// Accepted among the judged leads; `None` before sales judged any.
    pub fn acceptance_rate(&self) -> Option<f64> {
        (self.judged() > 0).then(|| self.accepted as f64 / self.judged() as f64)
    }

    /// The 95% Wilson score interval of the acceptance rate.
    pub fn acceptance_interval(&self) -> Option<(f64, f64)> {
        wilson(self.accepted, self.judged(), Z95)
    }

    /// A poor fit: even the upper end of the 95% interval is below `threshold`, so the low
    /// rate is not the luck of a few leads.
    pub fn is_poor_fit(&self, threshold: f64) -> bool {
        self.acceptance_interval()
            .is_some_and(|(_, hi)| hi < threshold)
    }

    pub fn add(&mut self, o: &Counts) {
        self.leads += o.leads;
        self.accepted += o.accepted;
        self.rejected += o.rejected;
        self.pipeline_cents += o.pipeline_cents;
        self.won_cents += o.won_cents;
    }
}

/// Acceptance by source (rows) and offer (columns), busiest first: the lead-quality heatmap.
#[derive(Debug, Clone, PartialEq)]
pub struct Heatmap {
    pub sources: Vec<String>,
    pub offers: Vec<String>,
    /// `cells[row][column]`: the pair's counts, `None` where no lead came from it.
    pub cells: Vec<Vec<Option<Counts>>>,
}

/// Lays source × offer pairs out as a grid, sources and offers ordered by their leads (most
/// first, then by name).
pub fn heatmap<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str, &'a Counts)>) -> Heatmap {
    let pairs: Vec<(&str, &str, &Counts)> = pairs.into_iter().collect();
    let sources = ranked(&pairs, |p| p.0);
    let offers = ranked(&pairs, |p| p.1);
    let cells = sources
        .iter()
        .map(|s| {
            offers
                .iter()
                .map(|o| pairs.iter().find(|p| p.0 == s && p.1 == o).map(|p| *p.2))
                .collect()
        })
        .collect();
    Heatmap {
        sources,
        offers,
        cells,
    }
}

/// The names `key` picks from the pairs, by their leads (most first, then by name).
type Pair<'a> = (&'a str, &'a str, &'a Counts);

fn ranked<'a>(pairs: &[Pair<'a>], key: fn(&Pair<'a>) -> &'a str) -> Vec<String> {
    let mut totals: Vec<(String, i64)> = Vec::new();
    for p in pairs {
        match totals.iter_mut().find(|t| t.0 == key(p)) {
            Some(t) => t.1 += p.2.leads,
            None => totals.push((key(p).to_string(), p.2.leads)),
        }
    }
    totals.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    totals.into_iter().map(|t| t.0).collect()
}

/// How warm a heatmap cell is, 0 (sales accepts under a fifth) to 4 (four fifths or more);
/// `None` before sales judged any of its leads.
pub fn heat(c: &Counts) -> Option<u8> {
    c.acceptance_rate()
        .map(|r| ((r * 5.0).floor() as u8).min(4))
}

/// Wilson score interval for `k` successes in `n` trials.
pub fn wilson(k: i64, n: i64, z: f64) -> Option<(f64, f64)> {
    if n <= 0 || k < 0 || k > n {
        return None;
    }
    let (n, p) = (n as f64, k as f64 / n as f64);
    let z2 = z * z;
    let centre = p + z2 / (2.0 * n);
    let spread = z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    let denom = 1.0 + z2 / n;
    Some((
        ((centre - spread) / denom).max(0.0),
        ((centre + spread) / denom).min(1.0),
    ))
}

/// A rate as a whole percentage for pages ("42%"), or "–" when there is none.
pub fn percent(rate: Option<f64>) -> String {
    rate.map(|r| format!("{:.0}%", r * 100.0))
        .unwrap_or_else(|| "–".into())
}

/// ROI of a spend: (won − spend) / spend; `None` without spend.
pub fn roi(won_cents: i64, spend_cents: i64) -> Option<f64> {
    (spend_cents > 0).then(|| (won_cents - spend_cents) as f64 / spend_cents as f64)
}

/// Cost per lead (or per accepted lead) in cents; `None` without leads.
pub fn cost_per(spend_cents: i64, n: i64) -> Option<i64> {
    (n > 0).then(|| spend_cents / n)
}
