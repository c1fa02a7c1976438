//! `keel check`: the health checks of keel-domain over one or every workspace, as text for
//! people or JSON for scripts, with an exit code CI can act on.

use crate::cli::{CheckArgs, Format};
use crate::users::find_workspace;
use anyhow::{Context, Result};
use keel_domain::health;
use keel_domain::Finding;
use keel_store::{Store, Workspace};
use std::process::ExitCode;

pub async fn run(store: &Store, args: CheckArgs) -> Result<ExitCode> {
    let workspaces = match &args.workspace {
        Some(slug) => vec![find_workspace(store, slug).await?],
        None => store.list_workspaces().await?,
    };
    let mut results = Vec::with_capacity(workspaces.len());
    for ws in workspaces {
        let findings = findings(store, &ws)
            .await
            .with_context(|| format!("cannot read the operating model of {}", ws.slug))?;
        results.push((ws, findings));
    }
    match args.format {
        Format::Text => print_text(&results),
        Format::Json => print_json(&results)?,
    }
    let errors = results.iter().any(|(_, f)| health::has_errors(f));
    Ok(if errors {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

pub async fn findings(store: &Store, ws: &Workspace) -> Result<Vec<Finding>> {
    Ok(health::check(&store.model(ws.id).await?))
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// One line per finding: severity, rule id, subject, evidence, then the action.
pub fn line(f: &Finding) -> String {
    format!(
        "{:<7}  {}  {} \"{}\": {} → {}",
        f.severity.as_str(),
        f.rule,
        f.subject.kind,
        f.subject.label,
        f.evidence,
        f.action
    )
}

fn print_text(results: &[(Workspace, Vec<Finding>)]) {
    if results.is_empty() {
        println!("No workspaces yet: nothing to check.");
        return;
    }
    for (i, (ws, findings)) in results.iter().enumerate() {
        if i > 0 {
            println!();
        }
        let (errors, warnings, infos) = health::summary(findings);
        let mut counts = vec![plural(errors, "error"), plural(warnings, "warning")];
        if infos > 0 {
            counts.push(plural(infos, "note"));
        }
        println!("{} ({}): {}", ws.slug, ws.name, counts.join(", "));
        for f in findings {
            println!("  {}", line(f));
        }
    }
}

/// An array of findings, each with the workspace it belongs to.
fn print_json(results: &[(Workspace, Vec<Finding>)]) -> Result<()> {
    let mut all = Vec::new();
    for (ws, findings) in results {
        for f in findings {
            let mut v = serde_json::to_value(f)?;
            if let Some(o) = v.as_object_mut() {
                o.insert("workspace".into(), ws.slug.clone().into());
            }
            all.push(v);
        }
    }
    println!("{}", serde_json::to_string_pretty(&all)?);
    Ok(())
}

#[cfg(test)]
mod tests {
    use keel_domain::{Finding, Severity, Subject};

    #[test]
    fn a_finding_reads_as_one_line() {
        let f = Finding {
            rule: "function.no-business-owner",
            severity: Severity::Error,
            subject: Subject {
                kind: "function",
                id: 3,
                label: "Content".into(),
            },
            evidence: "Nobody is accountable for decisions in Content.".into(),
            action: "Name one internal person as business owner.".into(),
        };
        assert_eq!(
            super::line(&f),
            "error    function.no-business-owner  function \"Content\": Nobody is accountable for decisions in Content. → Name one internal person as business owner."
        );
    }
}
