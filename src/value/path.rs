//! Attribute paths: where inside a value something happened.
//!
//! The shape mirrors `tfplugin6.AttributePath`, so the protocol layer can turn a
//! codec error (or a validation finding) into a diagnostic that Terraform
//! resolves to the offending attribute in the user's configuration.

use std::fmt;

/// One step of an [`AttributePath`].
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PathStep {
    /// An object attribute or nested block type name.
    Attribute(String),
    /// A map key or map-block label.
    ElementKeyString(String),
    /// A list or tuple index (sets cannot be indexed; paths stop at the set).
    ElementKeyInt(i64),
}

/// A path from the root of a value to one of its parts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct AttributePath(pub Vec<PathStep>);

impl AttributePath {
    /// The empty path: the value itself.
    pub fn root() -> Self {
        AttributePath(Vec::new())
    }

    /// This path extended by an object attribute.
    pub fn attribute(mut self, name: &str) -> Self {
        self.0.push(PathStep::Attribute(name.to_owned()));
        self
    }

    /// This path extended by a map key.
    pub(crate) fn key_string(mut self, key: &str) -> Self {
        self.0.push(PathStep::ElementKeyString(key.to_owned()));
        self
    }

    /// This path extended by a list or tuple index.
    pub(crate) fn key_int(mut self, index: i64) -> Self {
        self.0.push(PathStep::ElementKeyInt(index));
        self
    }

    /// The steps, outermost first.
    pub fn steps(&self) -> &[PathStep] {
        &self.0
    }

    /// True for the root path.
    pub(crate) fn is_root(&self) -> bool {
        self.0.is_empty()
    }

    /// Human label for messages: the Display form, or `(root)` for the empty path.
    pub fn label(&self) -> String {
        if self.is_root() {
            "(root)".to_owned()
        } else {
            self.to_string()
        }
    }

    pub(crate) fn push(&mut self, step: PathStep) {
        self.0.push(step);
    }

    pub(crate) fn pop(&mut self) {
        self.0.pop();
    }
}

/// Terraform-like rendering: `grant.jwt_bearer.authorized_token_issuers`, `a["k"][0]`.
impl fmt::Display for AttributePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, step) in self.0.iter().enumerate() {
            match step {
                PathStep::Attribute(name) => {
                    if i > 0 {
                        f.write_str(".")?;
                    }
                    f.write_str(name)?;
                }
                PathStep::ElementKeyString(key) => {
                    write!(f, "[{}]", serde_json::Value::String(key.clone()))?;
                }
                PathStep::ElementKeyInt(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_joins_attributes_with_dots_and_brackets_keys() {
        let p = AttributePath::root()
            .attribute("a")
            .key_string("k\"q")
            .key_int(0)
            .attribute("b");
        assert_eq!(p.to_string(), r#"a["k\"q"][0].b"#);
        assert_eq!(AttributePath::root().label(), "(root)");
        assert_eq!(
            AttributePath::root()
                .attribute("grant")
                .attribute("jwt_bearer")
                .to_string(),
            "grant.jwt_bearer"
        );
    }
}
