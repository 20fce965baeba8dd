//! The ARN forms AWS's model defines for applications, trusted token
//! issuers and Identity Center instances, checked the way AWS checks them
//! (ASCII digits only, as AWS means them).

use crate::framework::diagnostics::shown;

/// Longest ARN AWS accepts for these shapes.
const MAX_ARN_CHARS: usize = 1224;

/// The expected application ARN form, for messages.
pub(crate) const APPLICATION_ARN_FORM: &str =
    "arn:aws:sso::<12-digit account id>:application/ssoins-<16 characters>/apl-<16 letters or digits>";
/// An application ARN to show in messages.
pub(crate) const APPLICATION_ARN_EXAMPLE: &str =
    "arn:aws:sso::123456789012:application/ssoins-1111222233334444/apl-1111222233334444";
/// The expected trusted token issuer ARN form, for messages.
pub(crate) const ISSUER_ARN_FORM: &str =
    "arn:aws:sso::<12-digit account id>:trustedTokenIssuer/ssoins-<16 characters>/tti-<UUID>";

/// The expected instance ARN form, for messages.
pub(crate) const INSTANCE_ARN_FORM: &str = "arn:aws:sso:::instance/ssoins-<16 characters>";

/// Reads an ARN left to right against the pieces of AWS's patterns. Every
/// piece is unambiguous where it starts and ends, so no backtracking is
/// needed; the tests check it against the patterns themselves.
struct Cursor<'a>(&'a [u8]);

impl Cursor<'_> {
    fn literal(&mut self, text: &str) -> bool {
        match self.0.strip_prefix(text.as_bytes()) {
            Some(rest) => {
                self.0 = rest;
                true
            }
            None => false,
        }
    }

    /// Exactly `n` bytes of `class`.
    fn exactly(&mut self, n: usize, class: fn(u8) -> bool) -> bool {
        if self.0.len() >= n && self.0[..n].iter().all(|b| class(*b)) {
            self.0 = &self.0[n..];
            true
        } else {
            false
        }
    }

    /// `arn:aws(-[a-z]{1,5}){0,3}:sso:`: the partition, `aws-cn` and the like.
    fn partition(&mut self) -> bool {
        if !self.literal("arn:aws") {
            return false;
        }
        for _ in 0..3 {
            if !self.literal("-") {
                break;
            }
            let letters = self.0.iter().take_while(|b| b.is_ascii_lowercase()).count();
            if !(1..=5).contains(&letters) {
                return false;
            }
            self.0 = &self.0[letters..];
        }
        self.literal(":sso:")
    }

    /// `:[0-9]{12}:`, the account.
    fn account(&mut self) -> bool {
        self.literal(":") && self.exactly(12, |b| b.is_ascii_digit()) && self.literal(":")
    }

    /// `(sso)?ins-[a-zA-Z0-9\-.]{16}`, the instance id.
    fn instance(&mut self) -> bool {
        (self.literal("ssoins-") || self.literal("ins-"))
            && self.exactly(16, |b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
    }

    /// `tti-` and a lowercase UUID.
    fn issuer_id(&mut self) -> bool {
        let hex = |b: u8| b.is_ascii_digit() || (b'a'..=b'f').contains(&b);
        self.literal("tti-")
            && self.exactly(8, hex)
            && [4, 4, 4, 12]
                .iter()
                .all(|n| self.literal("-") && self.exactly(*n, hex))
    }

    fn end(&self) -> bool {
        self.0.is_empty()
    }
}

fn is_application_arn(arn: &str) -> bool {
    let mut c = Cursor(arn.as_bytes());
    c.partition()
        && c.account()
        && c.literal("application/")
        && c.instance()
        && c.literal("/apl-")
        && c.exactly(16, |b| b.is_ascii_alphanumeric())
        && c.end()
}

fn is_issuer_arn(arn: &str) -> bool {
    let mut c = Cursor(arn.as_bytes());
    c.partition()
        && c.account()
        && c.literal("trustedTokenIssuer/")
        && c.instance()
        && c.literal("/")
        && c.issuer_id()
        && c.end()
}

fn is_instance_arn(arn: &str) -> bool {
    let mut c = Cursor(arn.as_bytes());
    c.partition() && c.literal("::instance/") && c.instance() && c.end()
}

/// Checks an application ARN, returning a message that shows the expected form.
pub(crate) fn check_application_arn(arn: &str) -> Result<(), String> {
    if arn.len() <= MAX_ARN_CHARS && is_application_arn(arn) {
        Ok(())
    } else {
        Err(format!(
            "{} is not an Identity Center application ARN. Expected the form \
             {APPLICATION_ARN_FORM}, e.g. {APPLICATION_ARN_EXAMPLE}.",
            shown(arn)
        ))
    }
}

/// Checks an Identity Center instance ARN.
pub(crate) fn check_instance_arn(arn: &str) -> Result<(), String> {
    if arn.len() <= MAX_ARN_CHARS && is_instance_arn(arn) {
        Ok(())
    } else {
        Err(format!(
            "{} is not an Identity Center instance ARN. Expected the form {INSTANCE_ARN_FORM}, \
             e.g. arn:aws:sso:::instance/ssoins-1111222233334444.",
            shown(arn)
        ))
    }
}

/// Checks a trusted token issuer ARN.
pub(crate) fn check_issuer_arn(arn: &str) -> Result<(), String> {
    if arn.len() <= MAX_ARN_CHARS && is_issuer_arn(arn) {
        Ok(())
    } else {
        Err(format!(
            "{} is not a trusted token issuer ARN. Expected the form {ISSUER_ARN_FORM}.",
            shown(arn)
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn application_arns_match_the_aws_model() {
        assert!(check_application_arn(APPLICATION_ARN_EXAMPLE).is_ok());
        assert!(check_application_arn(
            "arn:aws-us-gov:sso::123456789012:application/ins-1111222233334444/apl-aaaabbbbccccdddd"
        )
        .is_ok());
        for bad in [
            "arn:aws:sso::12345678901:application/ssoins-1111222233334444/apl-1111222233334444",
            "arn:aws:sso::123456789012:application/ssoins-1111222233334444/apl-111122223333444",
            "xarn:aws:sso::123456789012:application/ssoins-1111222233334444/apl-1111222233334444",
            "arn:aws:sso::123456789012:application/ssoins-1111222233334444/apl-1111222233334444/x",
            // Arabic-Indic digits are digits to Unicode, not to AWS.
            "arn:aws:sso::١٢٣٤٥٦٧٨٩٠١٢:application/ssoins-1111222233334444/apl-1111222233334444",
        ] {
            let err = check_application_arn(bad).expect_err(bad);
            assert!(err.contains("apl-<16"), "{err}");
        }
    }

    #[test]
    fn issuer_arns_match_the_aws_model() {
        let good = "arn:aws:sso::123456789012:trustedTokenIssuer/ssoins-1111222233334444/tti-12345678-1234-1234-1234-123456789012";
        assert!(check_issuer_arn(good).is_ok());
        assert!(check_issuer_arn(&good.replace("tti-1", "tti-X")).is_err());
        assert!(check_issuer_arn(&good.replace("::123", "::١٢٣")).is_err());
    }

    #[test]
    fn instance_arns_match_the_aws_model() {
        assert!(check_instance_arn("arn:aws:sso:::instance/ssoins-1111222233334444").is_ok());
        assert!(check_instance_arn("arn:aws-cn:sso:::instance/ins-1111222233334444").is_ok());
        for bad in [
            "arn:aws:sso::123456789012:instance/ssoins-1111222233334444",
            "arn:aws:sso:::instance/ssoins-111122223333444",
            APPLICATION_ARN_EXAMPLE,
        ] {
            assert!(check_instance_arn(bad).is_err(), "{bad}");
        }
    }

    /// AWS's own patterns, as its model writes them (with ASCII classes).
    fn aws_pattern(kind: &'static str) -> &'static regex::Regex {
        static PATTERNS: std::sync::LazyLock<[(&str, regex::Regex); 3]> =
            std::sync::LazyLock::new(|| {
                ["application", "issuer", "instance"].map(|k| (k, compile_pattern(k)))
            });
        &PATTERNS
            .iter()
            .find(|(k, _)| *k == kind)
            .expect("known kind")
            .1
    }

    fn compile_pattern(kind: &str) -> regex::Regex {
        let partition = r"^arn:aws(-[a-z]{1,5}){0,3}:sso:";
        let instance = r"(sso)?ins-[a-zA-Z0-9\-.]{16}";
        let source = match kind {
            "application" => {
                format!(r"{partition}:[0-9]{{12}}:application/{instance}/apl-[a-zA-Z0-9]{{16}}$")
            }
            "issuer" => format!(
                r"{partition}:[0-9]{{12}}:trustedTokenIssuer/{instance}/tti-[a-f0-9]{{8}}-[a-f0-9]{{4}}-[a-f0-9]{{4}}-[a-f0-9]{{4}}-[a-f0-9]{{12}}$"
            ),
            _ => format!(r"{partition}::instance/{instance}$"),
        };
        regex::Regex::new(&source).expect("pattern")
    }

    /// ARNs of every shape, valid or with one byte changed, added or
    /// dropped: the boundaries are where a hand-written matcher goes wrong.
    fn candidates() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let s = |p: &str| proptest::string::string_regex(p).expect("strategy");
        let partition = || s("aws(-[a-z]{1,5}){0,3}");
        let instance = || s("(sso)?ins-[a-zA-Z0-9.-]{16}");
        let shape = prop_oneof![
            (
                partition(),
                s("[0-9]{12}"),
                instance(),
                s("[a-zA-Z0-9]{16}")
            )
                .prop_map(|(p, a, i, id)| format!("arn:{p}:sso::{a}:application/{i}/apl-{id}")),
            (
                partition(),
                s("[0-9]{12}"),
                instance(),
                s("[a-f0-9]{8}(-[a-f0-9]{4}){3}-[a-f0-9]{12}")
            )
                .prop_map(|(p, a, i, id)| format!(
                    "arn:{p}:sso::{a}:trustedTokenIssuer/{i}/tti-{id}"
                )),
            (partition(), instance()).prop_map(|(p, i)| format!("arn:{p}:sso:::instance/{i}")),
        ];
        let edit = prop_oneof![
            Just(None),
            (
                any::<prop::sample::Index>(),
                0..3u8,
                prop::sample::select(&b"a0Z-.:/9f\xd9"[..])
            )
                .prop_map(Some),
        ];
        (shape, edit).prop_map(|(arn, edit)| {
            let mut bytes = arn.into_bytes();
            if let Some((at, kind, byte)) = edit {
                let i = at.index(bytes.len());
                match kind {
                    0 => bytes[i] = byte,
                    1 => bytes.insert(i, byte),
                    _ => {
                        bytes.remove(i);
                    }
                }
            }
            String::from_utf8_lossy(&bytes).into_owned()
        })
    }

    proptest::proptest! {
        #[test]
        fn the_matchers_agree_with_aws_patterns(arn in candidates()) {
            proptest::prop_assert_eq!(is_application_arn(&arn), aws_pattern("application").is_match(&arn), "application {}", arn);
            proptest::prop_assert_eq!(is_issuer_arn(&arn), aws_pattern("issuer").is_match(&arn), "issuer {}", arn);
            proptest::prop_assert_eq!(is_instance_arn(&arn), aws_pattern("instance").is_match(&arn), "instance {}", arn);
        }
    }

    #[test]
    fn the_generator_reaches_matches_of_every_shape() {
        use proptest::strategy::{Strategy, ValueTree};
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        let (mut app, mut issuer, mut instance) = (0, 0, 0);
        for _ in 0..3_000 {
            let arn = candidates().new_tree(&mut runner).expect("value").current();
            app += usize::from(aws_pattern("application").is_match(&arn));
            issuer += usize::from(aws_pattern("issuer").is_match(&arn));
            instance += usize::from(aws_pattern("instance").is_match(&arn));
        }
        assert!(
            app > 0 && issuer > 0 && instance > 0,
            "{app} {issuer} {instance}"
        );
    }

    #[test]
    fn long_values_are_shortened_in_messages() {
        let detail = check_application_arn(&"x".repeat(10_000)).expect_err("invalid");
        assert!(detail.len() < 600, "{} bytes", detail.len());
        assert!(detail.contains("(10000 characters)"));
    }
}
