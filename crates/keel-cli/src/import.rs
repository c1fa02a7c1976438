//! `keel import leads FILE`: a CRM export into a workspace's leads.
//!
//! `keel_web::import_job` runs it (the web app's background imports run the same way): the
//! file is parsed on its own thread while this one stages batches, then published in one
//! transaction. A bad row, Ctrl-C or a killed process leave the leads as they were.

use crate::cli::ImportLeadsArgs;
use crate::failure::usage;
use crate::users::find_workspace;
use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use keel_import::{export, ImportError, Options, RowError};
use keel_store::{Store, Workspace};
use keel_web::import_job::{ImportJob, Outcome, Stop};
use std::io::Write;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

/// Row errors kept to print; all of them go to --errors.
const SHOWN_ERRORS: usize = 20;

async fn pick_workspace(store: &Store, slug: Option<&str>) -> Result<Workspace> {
    if let Some(slug) = slug {
        return find_workspace(store, slug).await;
    }
    let all = store.list_workspaces().await?;
    match all.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(usage(
            "no workspace yet: create one with `keel workspace create`",
        )),
        many => Err(usage(format!(
            "choose a workspace with --workspace (one of: {})",
            many.iter()
                .map(|w| w.slug.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

/// The reader's question, with the flag that answers it.
fn explain(e: &ImportError) -> String {
    let hint = match e {
        ImportError::AskDates { .. } => " Run again with --dates us or --dates day-first.",
        ImportError::AskDecimal { .. } => " Run again with --decimal point or --decimal comma.",
        ImportError::UnknownColumns(_) => " Use --map external_id=COLUMN --map created=COLUMN (and any other field), or --profile.",
        _ => "",
    };
    format!("{e}{hint}")
}

fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

pub async fn leads(store: &Store, args: ImportLeadsArgs) -> Result<ExitCode> {
    let ws = pick_workspace(store, args.workspace.as_deref()).await?;
    let opts = Options {
        profile: args.profile.clone(),
        mapping: args.mapping.clone(),
        system: args.system.clone(),
        dates: args.dates,
        decimal: args.decimal,
        zone: store.zone_of(ws.id).await?,
    };
    let file_name = args
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| args.file.display().to_string());
    let reader = keel_import::open(&args.file, &opts)
        .map_err(|e| usage(format!("{}: {}", args.file.display(), explain(&e))))?;
    let shape = reader.shape.clone();
    println!(
        "Reading {file_name}: {}, {}, header on {} {}{}.",
        shape.profile.label,
        shape.format_label(),
        shape.line_word(),
        shape.header_line,
        shape
            .dates
            .map(|d| format!(", dates {}", d.label()))
            .unwrap_or_default()
    );
    let mut errors_file = match &args.errors {
        Some(p) => {
            let mut f = std::fs::File::create(p)
                .with_context(|| format!("cannot write {}", p.display()))?;
            f.write_all(export::ERRORS_HEADER.as_bytes())?;
            Some(std::io::BufWriter::new(f))
        }
        None => None,
    };
    let import = store
        .begin_lead_import(
            ws.id,
            &shape.profile.system,
            &file_name,
            &shape.profile.name,
            None,
        )
        .await
        .context("cannot start the import")?;

    let started = Instant::now();
    let mut job = ImportJob::start(store.clone(), ws.id, import, reader, args.skip_bad_rows);
    let bar = ProgressBar::with_draw_target(Some(job.file_len), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{bar:30} {bytes}/{total_bytes} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let cancelled = Arc::new(AtomicBool::new(false));
    let flag = cancelled.clone();
    let ctrl_c = tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            flag.store(true, Ordering::SeqCst);
        }
    });

    let mut shown: Vec<RowError> = Vec::new();
    let mut stop: Option<Stop> = None;
    loop {
        let step = match job.next().await {
            Ok(Some(step)) => step,
            Ok(None) => break,
            Err(e) => {
                stop = Some(Stop::Failed(format!("cannot stage the rows: {e}")));
                break;
            }
        };
        for e in &step.errors {
            if shown.len() < SHOWN_ERRORS || args.skip_bad_rows {
                shown.push(e.clone());
            }
            if let Some(f) = errors_file.as_mut() {
                f.write_all(export::error_line(e).as_bytes())?;
            }
        }
        let secs = started.elapsed().as_secs_f64().max(0.001);
        bar.set_position(step.bytes);
        bar.set_message(format!(
            "{} rows, {} rows/s",
            thousands(step.rows),
            thousands((step.rows as f64 / secs) as u64)
        ));
        if cancelled.load(Ordering::SeqCst) {
            stop = Some(Stop::Cancelled);
            break;
        }
    }
    ctrl_c.abort();
    bar.finish_and_clear();
    if let Some(f) = errors_file.as_mut() {
        f.flush()?;
    }
    let staged = started.elapsed().as_secs_f64();
    let (counts, rows_read, footer) = match job
        .finish(stop)
        .await
        .context("cannot finish the import")?
    {
        Outcome::Published {
            counts,
            rows_read,
            footer_lines,
        } => (counts, rows_read, footer_lines),
        Outcome::Cancelled => return Err(usage("import cancelled: nothing was imported")),
        Outcome::Failed(e) => return Err(anyhow::anyhow!(e)),
        Outcome::Refused { bad, rows_read } => {
            println!(
                "Rows that cannot be imported{}:",
                if bad as usize > shown.len() {
                    format!(" (the first {})", shown.len())
                } else {
                    String::new()
                }
            );
            for e in &shown {
                println!("  {e}");
            }
            return Err(usage(format!(
                "{} of {} rows cannot be imported, so nothing was imported; fix them, or run again with --skip-bad-rows{}",
                thousands(bad),
                thousands(rows_read),
                if args.errors.is_none() { " (--errors FILE lists them all)" } else { "" }
            )));
        }
    };
    let secs = started.elapsed().as_secs_f64();
    if !shown.is_empty() {
        println!("Skipped rows:");
        for e in &shown {
            println!("  {e}");
        }
    }
    if footer > 0 {
        println!("Ignored a report footer of {footer} lines.");
    }
    println!(
        "Imported {} rows into {} in {secs:.1} s ({} rows/s): {} new, {} updated, {} unchanged, {} skipped.",
        thousands(rows_read),
        ws.slug,
        thousands((rows_read as f64 / secs.max(0.001)) as u64),
        thousands(counts.inserted as u64),
        thousands(counts.updated as u64),
        thousands(counts.unchanged as u64),
        thousands(counts.skipped as u64),
    );
    println!(
        "Read and staged in {staged:.1} s, published in {:.1} s.",
        secs - staged
    );
    Ok(ExitCode::SUCCESS)
}
