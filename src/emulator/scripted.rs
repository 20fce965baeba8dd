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
    /// List operations only: the page is answered as usual, but its
    /// `NextToken` is the token the request was sent with (a broken
    /// service's listing that goes round in circles). A call sent without a
    /// token is answered as usual.
    RepeatToken,
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
        let form = "expected OPERATION:N[-M]:ERROR[:applied], e.g. PutApplicationGrant:2-3:ThrottlingException, GetApplicationGrant:2:NoAnswer or ListApplicationGrants:2:RepeatToken";
        let parts: Vec<&str> = text.split(':').collect();
        let (operation, calls, error, after_applying) = match parts.as_slice() {
            [op, calls, error] => (op, calls, error, false),
            [op, calls, error, "applied"] => (op, calls, error, true),
            _ => return Err(format!("{text:?}: {form}")),
        };
        let operation = Operation::ALL
            .iter()
            .copied()
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
            "RepeatToken" => ScriptedError::RepeatToken,
            other => return Err(format!("{text:?}: unknown error {other:?}; {form}")),
        };
        if error == ScriptedError::RepeatToken {
            if !operation.is_list() {
                return Err(format!(
                    "{text:?}: RepeatToken only applies to List operations, not {}",
                    operation.name()
                ));
            }
            if after_applying {
                return Err(format!(
                    "{text:?}: RepeatToken answers the call itself; ':applied' means nothing here"
                ));
            }
        }
        Ok(Self {
            operation,
            calls,
            error,
            after_applying,
        })
    }

    fn effect(&self) -> ScriptedEffect {
        ScriptedEffect::Error(match self.error {
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
            ScriptedError::NoAnswer => return ScriptedEffect::NoAnswer,
            ScriptedError::RepeatToken => return ScriptedEffect::RepeatToken,
        })
    }
}

/// How a scripted fault answers its call.
#[derive(Debug)]
pub enum ScriptedEffect {
    /// With this error.
    Error(ApiError),
    /// Never.
    NoAnswer,
    /// With its page, and the token it was sent as the next one.
    RepeatToken,
}

/// What a script decides for one call.
#[derive(Debug)]
pub struct ScriptedOutcome {
    /// How the call is answered.
    pub effect: ScriptedEffect,
    /// Whether to carry out the call first (for an error answer).
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
                effect: f.effect(),
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
        let code = |outcome: Option<ScriptedOutcome>| match outcome.map(|o| o.effect) {
            Some(ScriptedEffect::Error(e)) => Some(e.code),
            _ => None,
        };
        let first = script.on_call(put).expect("call 1");
        assert!(first.after_applying);
        assert_eq!(code(Some(first)), Some("InternalServerException"));
        assert_eq!(code(script.on_call(put)), Some("ThrottlingException"));
        assert_eq!(script.on_call(put).map(|o| o.after_applying), Some(false));
        assert!(script.on_call(put).is_none());
        let get = Operation::GetApplicationGrant;
        assert!(script.on_call(get).is_none());
        assert!(script
            .on_call(get)
            .is_some_and(|o| matches!(o.effect, ScriptedEffect::NoAnswer)));
        script.reset();
        assert!(script.on_call(put).is_some());
    }

    #[test]
    fn repeated_tokens_are_scripted_for_list_operations() {
        let mut script = Script::new(vec![ScriptedFault::parse(
            "ListApplicationGrants:2:RepeatToken",
        )
        .expect("valid")]);
        let list = Operation::ListApplicationGrants;
        assert!(script.on_call(list).is_none());
        assert!(script
            .on_call(list)
            .is_some_and(|o| matches!(o.effect, ScriptedEffect::RepeatToken)));
    }

    #[test]
    fn malformed_scripts_say_the_form() {
        for bad in [
            "PutApplicationGrant",
            "Nope:1:ThrottlingException",
            "PutApplicationGrant:0:ThrottlingException",
            "PutApplicationGrant:1:Teapot",
            "PutApplicationGrant:1:ThrottlingException:later",
            "GetApplicationGrant:1:RepeatToken",
            "ListApplicationGrants:1:RepeatToken:applied",
        ] {
            assert!(ScriptedFault::parse(bad).is_err(), "{bad}");
        }
    }
}
