//! Parses a lead file and discards the rows: the parser's own speed, for bench/leads.sh.
//!   cargo run --release -p keel-import --example parse_only -- FILE
fn main() {
    let path = std::env::args().nth(1).expect("usage: parse_only FILE");
    let opts = keel_import::Options::default();
    let started = std::time::Instant::now();
    let mut reader = keel_import::open(std::path::Path::new(&path), &opts).expect("readable");
    let (mut good, mut bad) = (0u64, 0u64);
    for item in reader.by_ref() {
        match item {
            Ok(_) => good += 1,
            Err(_) => bad += 1,
        }
    }
    let s = started.elapsed().as_secs_f64();
    println!(
        "{good} rows ({bad} bad) in {s:.2} s: {:.0} rows/s",
        (good + bad) as f64 / s
    );
}
