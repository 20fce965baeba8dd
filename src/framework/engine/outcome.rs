//! What the framework's calls hand back to the protocol layer.

use crate::framework::diagnostics::Diagnostics;
use crate::value::{AttributePath, Value};

/// The object Terraform should store after a read or an apply (null: none),
/// with its private bytes.
#[derive(Debug)]
pub struct ObjectOutcome {
    /// The object to store; null when there is none.
    pub state: Value,
    /// Private bytes to store with it.
    pub private: Vec<u8>,
    /// Its identity (null: none).
    pub identity: Value,
    /// Errors and warnings.
    pub diagnostics: Diagnostics,
}

/// A finished plan.
#[derive(Debug)]
pub struct PlanOutcome {
    /// The planned new state (null for destroy).
    pub planned: Value,
    /// Paths whose change forces replacement.
    pub(crate) requires_replace: Vec<AttributePath>,
    /// Private bytes to carry to apply.
    pub private: Vec<u8>,
    /// The planned identity (null: none).
    pub identity: Value,
    /// Errors and warnings.
    pub diagnostics: Diagnostics,
}

/// One object an import produced.
#[derive(Debug)]
pub struct ImportedObject {
    /// Its resource type.
    pub type_name: String,
    /// Its (possibly sparse) state.
    pub state: Value,
    /// Its private bytes.
    pub private: Vec<u8>,
    /// Its identity (null: none).
    pub identity: Value,
}

/// What an import produced.
#[derive(Debug, Default)]
pub struct ImportOutcome {
    /// The imported objects (one, or none on failure).
    pub imported: Vec<ImportedObject>,
    /// Errors and warnings.
    pub diagnostics: Diagnostics,
}
