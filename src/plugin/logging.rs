//! Logging to stderr as hclog JSON lines, the format go-plugin parses and
//! forwards into Terraform's own log (`TF_LOG`, `TF_LOG_PROVIDER`).
//!
//! Every line carries `@level`, `@message`, `@timestamp` (exactly six
//! fractional digits, which go-plugin requires to recognise the line as JSON)
//! and `@module`; event fields become extra keys. Callers must never put
//! secrets in fields: credentials and tokens are not logged anywhere.

use std::io::Write;
use std::sync::OnceLock;

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::filter::{LevelFilter, Targets};
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::Layer;

/// `@module` value, in the style of terraform-plugin-log:
/// `provider.<binary name>`, set by [`init`].
static MODULE: OnceLock<String> = OnceLock::new();

fn module() -> &'static str {
    MODULE.get().map_or("provider", String::as_str)
}

/// Reads the level Terraform asked for: `TF_LOG_PROVIDER`, else `TF_LOG`.
/// Unset means warnings and errors only; an unrecognised non-empty value
/// means everything, as Terraform itself does.
pub(crate) fn level_from_env(
    provider_level: Option<&str>,
    global_level: Option<&str>,
) -> LevelFilter {
    let chosen = provider_level
        .filter(|v| !v.trim().is_empty())
        .or(global_level.filter(|v| !v.trim().is_empty()));
    match chosen.map(|v| v.trim().to_ascii_uppercase()) {
        None => LevelFilter::WARN,
        Some(v) => match v.as_str() {
            "OFF" => LevelFilter::OFF,
            "ERROR" => LevelFilter::ERROR,
            "WARN" => LevelFilter::WARN,
            "INFO" => LevelFilter::INFO,
            "DEBUG" => LevelFilter::DEBUG,
            _ => LevelFilter::TRACE, // TRACE, JSON and anything else
        },
    }
}

/// Installs the global subscriber writing hclog JSON to stderr. Our own
/// events follow `level`; library internals (HTTP/2 frames, TLS) are capped
/// at WARN so a debug log stays readable.
/// `binary` (`terraform-provider-<name>`) names the plugin in `@module`.
pub fn init(level: LevelFilter, binary: &str) {
    let _ = MODULE.set(format!("provider.{binary}"));
    let filter = Targets::new()
        .with_default(level.min(LevelFilter::WARN))
        .with_target(env!("CARGO_CRATE_NAME"), level);
    let subscriber = tracing_subscriber::registry().with(HclogLayer.with_filter(filter));
    // A second init (tests) keeps the first subscriber.
    let _ = tracing::subscriber::set_global_default(subscriber);
}

/// Formats events as hclog JSON lines on stderr, with the fields of the
/// spans they happen in (e.g. `tf_rpc` and `tf_type_name` of an RPC).
pub(crate) struct HclogLayer;

/// The recorded fields of a span, kept in its extensions.
struct SpanFields(Vec<(String, serde_json::Value)>);

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for HclogLayer {
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let mut fields = FieldCollector::default();
        attrs.record(&mut fields);
        if let Some(span) = ctx.span(id) {
            span.extensions_mut().insert(SpanFields(fields.extra));
        }
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        let mut inherited = Vec::new();
        if let Some(scope) = ctx.event_scope(event) {
            for span in scope.from_root() {
                if let Some(fields) = span.extensions().get::<SpanFields>() {
                    inherited.extend(fields.0.iter().cloned());
                }
            }
        }
        let line = format_event(event, inherited);
        let stderr = std::io::stderr();
        let mut out = stderr.lock();
        let _ = out.write_all(line.as_bytes());
        let _ = out.flush();
    }
}

/// Builds one JSON line (with trailing newline) for an event.
fn format_event(event: &Event<'_>, inherited: Vec<(String, serde_json::Value)>) -> String {
    let mut fields = FieldCollector::default();
    event.record(&mut fields);
    let mut obj = serde_json::Map::new();
    obj.insert("@level".into(), level_name(event.metadata().level()).into());
    obj.insert("@message".into(), fields.message.unwrap_or_default().into());
    obj.insert("@timestamp".into(), timestamp().into());
    obj.insert("@module".into(), module().into());
    for (k, v) in inherited.into_iter().chain(fields.extra) {
        obj.insert(k, v);
    }
    let mut line = serde_json::Value::Object(obj).to_string();
    line.push('\n');
    line
}

/// hclog's level names.
fn level_name(level: &Level) -> &'static str {
    match *level {
        Level::TRACE => "trace",
        Level::DEBUG => "debug",
        Level::INFO => "info",
        Level::WARN => "warn",
        Level::ERROR => "error",
    }
}

/// UTC time with microseconds, matching Go's `2006-01-02T15:04:05.000000Z07:00`.
pub(crate) fn timestamp() -> String {
    chrono::Utc::now()
        .format("%Y-%m-%dT%H:%M:%S%.6fZ")
        .to_string()
}

#[derive(Default)]
struct FieldCollector {
    message: Option<String>,
    extra: Vec<(String, serde_json::Value)>,
}

impl Visit for FieldCollector {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.put(field, value.to_string().into());
    }
    fn record_bool(&mut self, field: &Field, value: bool) {
        self.put(field, value.into());
    }
    fn record_i64(&mut self, field: &Field, value: i64) {
        self.put(field, value.into());
    }
    fn record_u64(&mut self, field: &Field, value: u64) {
        self.put(field, value.into());
    }
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.put(field, format!("{value:?}").into());
    }
}

impl FieldCollector {
    fn put(&mut self, field: &Field, value: serde_json::Value) {
        if field.name() == "message" {
            self.message = Some(match value {
                serde_json::Value::String(s) => s,
                other => other.to_string(),
            });
        } else {
            self.extra.push((field.name().to_string(), value));
        }
    }
}

/// Writes one hclog line directly, for places that cannot go through
/// `tracing` (the panic hook).
pub(crate) fn write_line(level: &str, message: &str, extra: &[(&str, String)]) {
    let mut obj = serde_json::Map::new();
    obj.insert("@level".into(), level.into());
    obj.insert("@message".into(), message.into());
    obj.insert("@timestamp".into(), timestamp().into());
    obj.insert("@module".into(), module().into());
    for (k, v) in extra {
        obj.insert((*k).to_string(), v.clone().into());
    }
    let line = format!("{}\n", serde_json::Value::Object(obj));
    let _ = std::io::stderr().lock().write_all(line.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provider_level_wins_over_global() {
        assert_eq!(
            level_from_env(Some("debug"), Some("ERROR")),
            LevelFilter::DEBUG
        );
        assert_eq!(level_from_env(None, Some("ERROR")), LevelFilter::ERROR);
        assert_eq!(level_from_env(Some(""), Some("INFO")), LevelFilter::INFO);
        assert_eq!(level_from_env(None, None), LevelFilter::WARN);
        assert_eq!(level_from_env(Some("JSON"), None), LevelFilter::TRACE);
        assert_eq!(level_from_env(Some("off"), Some("TRACE")), LevelFilter::OFF);
    }

    #[test]
    fn timestamp_has_six_fractional_digits() {
        let ts = timestamp();
        let frac = ts.split('.').nth(1).expect("fraction");
        assert_eq!(frac.len(), 7, "{ts}"); // six digits and the Z
        assert!(frac.ends_with('Z'));
    }
}
