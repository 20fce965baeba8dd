//! The result table: printed, and written as JSON.

use std::fmt::Write as _;
use std::path::Path;
use std::time::Duration;

use serde_json::json;

/// A target a figure must meet.
#[derive(Clone, Copy, Debug)]
pub enum Target {
    /// value ≤ this, in the figure's unit.
    AtMost(f64),
    /// value / baseline ≤ this.
    RatioAtMost(f64),
}

/// One row.
#[derive(Debug)]
pub struct Figure {
    pub name: String,
    pub value: f64,
    pub unit: &'static str,
    /// What the value is compared with, and its value (same unit).
    pub baseline: Option<(String, f64)>,
    pub targets: Vec<Target>,
    /// How it was measured, or what bounds it.
    pub note: String,
}

impl Figure {
    pub fn new(name: impl Into<String>, value: f64, unit: &'static str) -> Self {
        Figure {
            name: name.into(),
            value,
            unit,
            baseline: None,
            targets: Vec::new(),
            note: String::new(),
        }
    }

    pub fn baseline(mut self, name: impl Into<String>, value: f64) -> Self {
        self.baseline = Some((name.into(), value));
        self
    }

    pub fn target(mut self, target: Target) -> Self {
        self.targets.push(target);
        self
    }

    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.note = note.into();
        self
    }

    pub fn ratio(&self) -> Option<f64> {
        self.baseline
            .as_ref()
            .map(|(_, b)| self.value / b)
            .filter(|r| r.is_finite())
    }

    /// Whether every target is met; `None` without targets.
    pub fn met(&self) -> Option<bool> {
        if self.targets.is_empty() {
            return None;
        }
        Some(self.targets.iter().all(|t| match t {
            Target::AtMost(limit) => self.value <= *limit,
            Target::RatioAtMost(limit) => self.ratio().is_some_and(|r| r <= *limit),
        }))
    }

    fn target_text(&self) -> String {
        let parts: Vec<String> = self
            .targets
            .iter()
            .map(|t| match t {
                Target::AtMost(limit) => format!("≤ {} {}", number(*limit), self.unit),
                Target::RatioAtMost(limit) => format!("≤ {limit}×"),
            })
            .collect();
        if parts.is_empty() {
            "—".into()
        } else {
            parts.join(", ")
        }
    }
}

fn number(v: f64) -> String {
    if v.abs() >= 100.0 {
        format!("{v:.0}")
    } else if v.abs() >= 10.0 {
        format!("{v:.1}")
    } else if v.abs() >= 0.1 {
        format!("{v:.2}")
    } else {
        format!("{v:.3}")
    }
}

#[derive(Default)]
pub struct Table {
    pub figures: Vec<Figure>,
}

impl Table {
    pub fn add(&mut self, figure: Figure) {
        println!(
            "  {}: {} {}{}",
            figure.name,
            number(figure.value),
            figure.unit,
            figure
                .baseline
                .as_ref()
                .map(|(n, b)| format!(" (baseline {n}: {} {})", number(*b), figure.unit))
                .unwrap_or_default()
        );
        self.figures.push(figure);
    }

    /// The table as Markdown, as the README shows it.
    pub fn markdown(&self) -> String {
        let mut out = String::from(
            "| figure | value | baseline | ratio | target | met? |\n|---|---|---|---|---|---|\n",
        );
        for f in &self.figures {
            let _ = writeln!(
                out,
                "| {} | {} {} | {} | {} | {} | {} |",
                f.name,
                number(f.value),
                f.unit,
                f.baseline
                    .as_ref()
                    .map(|(n, b)| format!("{n}: {} {}", number(*b), f.unit))
                    .unwrap_or_else(|| "—".into()),
                f.ratio()
                    .map(|r| format!("{r:.2}×"))
                    .unwrap_or_else(|| "—".into()),
                f.target_text(),
                match f.met() {
                    Some(true) => "yes",
                    Some(false) => "**no**",
                    None => "—",
                }
            );
        }
        out
    }

    pub fn print(&self) {
        println!("\n{}", self.markdown());
        let notes: Vec<&Figure> = self.figures.iter().filter(|f| !f.note.is_empty()).collect();
        if !notes.is_empty() {
            println!("Notes:");
            for f in notes {
                println!("- {}: {}", f.name, f.note);
            }
        }
    }

    pub fn write_json(&self, path: &Path, took: Duration) {
        let figures: Vec<_> = self
            .figures
            .iter()
            .map(|f| {
                json!({
                    "figure": f.name,
                    "value": f.value,
                    "unit": f.unit,
                    "baseline": f.baseline.as_ref().map(|(n, v)| json!({"name": n, "value": v})),
                    "ratio": f.ratio(),
                    "target": f.target_text(),
                    "met": f.met(),
                    "note": f.note,
                })
            })
            .collect();
        let doc = json!({
            "machine": {
                "cpus": std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0),
                "os": std::env::consts::OS,
                "arch": std::env::consts::ARCH,
            },
            "seconds": took.as_secs_f64(),
            "figures": figures,
        });
        std::fs::create_dir_all(path.parent().expect("parent")).expect("bench dir");
        std::fs::write(
            path,
            serde_json::to_string_pretty(&doc).expect("JSON") + "\n",
        )
        .expect("write results");
    }
}
