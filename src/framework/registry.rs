//! One registry per kind of thing a provider can offer. A type name the
//! provider did not register, or a whole kind it does not offer, is answered
//! here and nowhere else.

use std::collections::BTreeMap;

use super::diagnostics::{Diagnostic, Diagnostics};

/// The kinds of things Terraform asks a provider for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Managed resources.
    Resource,
    /// Data sources.
    DataSource,
    /// Provider functions.
    Function,
    /// List resources (`terraform query`).
    ListResource,
    /// Resource identities.
    ResourceIdentity,
    /// Ephemeral resources.
    EphemeralResource,
    /// State stores.
    StateStore,
    /// Actions.
    Action,
}

impl Kind {
    fn singular(self) -> &'static str {
        match self {
            Kind::Resource => "resource type",
            Kind::DataSource => "data source",
            Kind::Function => "function",
            Kind::ListResource => "list resource",
            Kind::ResourceIdentity => "resource identity",
            Kind::EphemeralResource => "ephemeral resource type",
            Kind::StateStore => "state store",
            Kind::Action => "action",
        }
    }

    fn plural(self) -> &'static str {
        match self {
            Kind::Resource => "resource types",
            Kind::DataSource => "data sources",
            Kind::Function => "functions",
            Kind::ListResource => "list resources",
            Kind::ResourceIdentity => "resource identities",
            Kind::EphemeralResource => "ephemeral resource types",
            Kind::StateStore => "state stores",
            Kind::Action => "actions",
        }
    }
}

/// The entries of one kind, by type name.
pub struct Registry<T> {
    provider: &'static str,
    kind: Kind,
    entries: BTreeMap<String, T>,
}

impl<T> Registry<T> {
    /// A registry of `kind` for the provider named `provider`.
    pub fn new(
        provider: &'static str,
        kind: Kind,
        entries: impl IntoIterator<Item = (String, T)>,
    ) -> Self {
        Self {
            provider,
            kind,
            entries: entries.into_iter().collect(),
        }
    }

    /// The entry registered as `name`, or the diagnostic Terraform gets
    /// instead.
    pub fn get(&self, name: &str) -> Result<&T, Diagnostics> {
        self.entries
            .get(name)
            .ok_or_else(|| not_registered(self.provider, self.kind, name, self.names()))
    }

    /// Entries in name order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &T)> {
        self.entries.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// Registered names in order.
    pub fn names(&self) -> Vec<&str> {
        self.entries.keys().map(String::as_str).collect()
    }
}

/// The answer to a request for `name` of a kind the provider does not offer
/// at all.
pub(crate) fn not_offered(provider: &'static str, kind: Kind, name: &str) -> Diagnostics {
    not_registered(provider, kind, name, Vec::new())
}

fn not_registered(provider: &str, kind: Kind, name: &str, offered: Vec<&str>) -> Diagnostics {
    let diagnostic = if offered.is_empty() {
        Diagnostic::error(
            format!("Unsupported {}", kind.singular()),
            format!(
                "The {provider} provider offers no {}, so it has none named {name:?}.",
                kind.plural()
            ),
        )
    } else {
        Diagnostic::error(
            format!("Unknown {}", kind.singular()),
            format!(
                "The {provider} provider has no {} named {name:?}. It offers: {}.",
                kind.singular(),
                offered.join(", ")
            ),
        )
    };
    diagnostic.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn misses_name_what_is_offered() {
        let r = Registry::new("demo", Kind::DataSource, [("demo_a".to_string(), 1)]);
        assert_eq!(r.get("demo_a").ok(), Some(&1));
        let miss = r.get("demo_b").expect_err("not registered");
        let d = miss.iter().next().expect("one diagnostic");
        assert_eq!(d.summary, "Unknown data source");
        assert!(
            d.detail.contains("\"demo_b\"") && d.detail.contains("demo_a"),
            "{}",
            d.detail
        );
        let none = not_offered("demo", Kind::Action, "x");
        let d = none.iter().next().expect("one diagnostic");
        assert_eq!(d.summary, "Unsupported action");
        assert!(d.detail.contains("offers no actions"), "{}", d.detail);
    }
}
