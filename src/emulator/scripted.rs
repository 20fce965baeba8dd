//! Scripted faults: "the Nth to Mth call of this operation fails with this
//! error", optionally after the call took effect (as when a write commits
//! and the answer is lost). Random fault rates exercise retries in bulk;
//! scripts make one exact sequence happen, to test what a client concludes
//! from it.

use std::collections::BTreeMap;
use std::ops::RangeInclusive;

use super::error::ApiError;
use super::operation::Operation;

/// The error a scripted fault answers with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScriptedError {
    /// `ThrottlingException` (400).
    Throttling,
    /// `InternalServerException` (500).
    InternalServer,
    /// `AccessDeniedException` (400).
    AccessDenied,
    /// `ConflictException` (400).
    Conflict,
    /// No answer at all: the request is accepted and the connection left
    /// open until the client gives up (an endpoint that hangs).
    NoAnswer,
}

/// One scripted fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptedFault {
    /// The operation it hits.
    pub operation: Operation,
    /// Which calls of that operation (1-based, counted since start or reset).
    pub calls: RangeInclusive<u64>,
    /// The error answered.
    pub error: ScriptedError,
    /// Whether the call takes effect before the error is answered.
    pub after_applying: bool,
}

impl ScriptedFault {
    /// Parses `OPERATION:N[-M]:ERROR[:applied]`, e.g.
    /// `PutApplicationGrant:1:InternalServerException:applied`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let form = "expected OPERATION:N[-M]:ERROR[:applied], e.g. PutApplicationGrant:2-3:ThrottlingException or GetApplicationGrant:2:NoAnswer";
        let parts: Vec<&str> = text.split(':').collect();
        let (operation, calls, error, after_applying) = match parts.as_slice() {
            [op, calls, error] => (op, calls, error, false),
            [op, calls, error, "applied"] => (op, calls, error, true),
            _ => return Err(format!("{text:?}: {form}")),
        };
        let operation = Operation::ALL
            .into_iter()
            .find(|o| o.name() == *operation)
            .ok_or_else(|| format!("{text:?}: unknown operation {operation:?}"))?;
        let number = |n: &str| {
            n.parse::<u64>()
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| format!("{text:?}: call numbers start at 1; {form}"))
        };
        let calls = match calls.split_once('-') {
            Some((from, to)) => number(from)?..=number(to)?,
            None => number(calls)?..=number(calls)?,
        };
        let error = match *error {
            "ThrottlingException" => ScriptedError::Throttling,
            "InternalServerException" => ScriptedError::InternalServer,
            "AccessDeniedException" => ScriptedError::AccessDenied,
            "ConflictException" => ScriptedError::Conflict,
            "NoAnswer" => ScriptedError::NoAnswer,
            other => return Err(format!("{text:?}: unknown error {other:?}; {form}")),
        };
        Ok(Self {
            operation,
            calls,
            error,
            after_applying,
        })
    }

    fn answer(&self) -> Option<ApiError> {
        Some(match self.error {
            ScriptedError::Throttling => ApiError::throttling("Rate exceeded"),
            ScriptedError::InternalServer => {
                ApiError::internal("An internal error occurred. Retry the request.")
            }
            ScriptedError::AccessDenied => ApiError::access_denied(format!(
                "User is not authorized to perform: sso:{}",
                self.operation.name()
            )),
            ScriptedError::Conflict => ApiError::conflict(
                "Operation conflicts with a previous write that has not propagated yet. Retry with backoff.",
            ),
            ScriptedError::NoAnswer => return None,
        })
    }
}

/// What a script decides for one call.
#[derive(Debug)]
pub struct ScriptedOutcome {
    /// The error to answer with; `None` to never answer.
    pub error: Option<ApiError>,
    /// Whether to carry out the call first.
    pub after_applying: bool,
}

/// The scripted faults, with per-operation call counts.
#[derive(Debug, Default)]
pub struct Script {
    faults: Vec<ScriptedFault>,
    calls: BTreeMap<&'static str, u64>,
}

impl Script {
    /// A script of `faults`.
    pub fn new(faults: Vec<ScriptedFault>) -> Self {
        Self {
            faults,
            calls: BTreeMap::new(),
        }
    }

    /// Counts a call of `operation` and says whether a scripted fault hits it.
    pub fn on_call(&mut self, operation: Operation) -> Option<ScriptedOutcome> {
        if self.faults.is_empty() {
            return None;
        }
        let n = self.calls.entry(operation.name()).or_default();
        *n += 1;
        let n = *n;
        self.faults
            .iter()
            .find(|f| f.operation == operation && f.calls.contains(&n))
            .map(|f| ScriptedOutcome {
                error: f.answer(),
                after_applying: f.after_applying,
            })
    }

    /// Back to the first call of everything.
    pub fn reset(&mut self) {
        self.calls.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_hit_exactly_the_calls_they_name() {
        let mut script = Script::new(vec![
            ScriptedFault::parse("PutApplicationGrant:1:InternalServerException:applied")
                .expect("valid"),
            ScriptedFault::parse("PutApplicationGrant:2-3:ThrottlingException").expect("valid"),
            ScriptedFault::parse("GetApplicationGrant:2:NoAnswer").expect("valid"),
        ]);
        let put = Operation::PutApplicationGrant;
        let first = script.on_call(put).expect("call 1");
        assert!(first.after_applying);
        assert_eq!(first.error.map(|e| e.code), Some("InternalServerException"));
        assert_eq!(
            script.on_call(put).and_then(|o| o.error).map(|e| e.code),
            Some("ThrottlingException")
        );
        assert_eq!(script.on_call(put).map(|o| o.after_applying), Some(false));
        assert!(script.on_call(put).is_none());
        let get = Operation::GetApplicationGrant;
        assert!(script.on_call(get).is_none());
        assert!(script.on_call(get).is_some_and(|o| o.error.is_none()));
        script.reset();
        assert!(script.on_call(put).is_some());
    }

    #[test]
    fn malformed_scripts_say_the_form() {
        for bad in [
            "PutApplicationGrant",
            "Nope:1:ThrottlingException",
            "PutApplicationGrant:0:ThrottlingException",
            "PutApplicationGrant:1:Teapot",
            "PutApplicationGrant:1:ThrottlingException:later",
        ] {
            assert!(ScriptedFault::parse(bad).is_err(), "{bad}");
        }
    }
}
