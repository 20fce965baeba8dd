//! The ARN forms AWS's model defines for applications, trusted token
//! issuers and Identity Center instances, checked the way AWS checks them
//! (ASCII digits only: `\d` in Rust's regex would take any Unicode digit).

use std::sync::OnceLock;

use regex::Regex;

/// Longest ARN AWS accepts for these shapes.
const MAX_ARN_CHARS: usize = 1224;

/// The expected application ARN form, for messages.
pub const APPLICATION_ARN_FORM: &str =
    "arn:aws:sso::<12-digit account id>:application/ssoins-<16 characters>/apl-<16 letters or digits>";
/// An application ARN to show in messages.
pub const APPLICATION_ARN_EXAMPLE: &str =
    "arn:aws:sso::123456789012:application/ssoins-1111222233334444/apl-1111222233334444";
/// The expected trusted token issuer ARN form, for messages.
pub const ISSUER_ARN_FORM: &str =
    "arn:aws:sso::<12-digit account id>:trustedTokenIssuer/ssoins-<16 characters>/tti-<UUID>";

fn pattern(cell: &'static OnceLock<Regex>, source: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(source).unwrap_or_else(|e| unreachable!("static pattern: {e}")))
}

fn application_arn_pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    pattern(
        &RE,
        r"^arn:aws(-[a-z]{1,5}){0,3}:sso::[0-9]{12}:application/(sso)?ins-[a-zA-Z0-9\-.]{16}/apl-[a-zA-Z0-9]{16}$",
    )
}

fn issuer_arn_pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    pattern(
        &RE,
        r"^arn:aws(-[a-z]{1,5}){0,3}:sso::[0-9]{12}:trustedTokenIssuer/(sso)?ins-[a-zA-Z0-9\-.]{16}/tti-[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$",
    )
}

fn instance_arn_pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    pattern(
        &RE,
        r"^arn:aws(-[a-z]{1,5}){0,3}:sso:::instance/(sso)?ins-[a-zA-Z0-9\-.]{16}$",
    )
}

/// The expected instance ARN form, for messages.
pub const INSTANCE_ARN_FORM: &str = "arn:aws:sso:::instance/ssoins-<16 characters>";

/// A configured value quoted for a message, shortened when long: the
/// message must stay readable whatever was written.
pub fn shown(value: &str) -> String {
    const MAX_CHARS: usize = 120;
    if value.chars().count() <= MAX_CHARS {
        format!("{value:?}")
    } else {
        let head: String = value.chars().take(MAX_CHARS).collect();
        format!("{head:?}… ({} characters)", value.chars().count())
    }
}

/// Checks an application ARN, returning a message that shows the expected form.
pub fn check_application_arn(arn: &str) -> Result<(), String> {
    if arn.len() <= MAX_ARN_CHARS && application_arn_pattern().is_match(arn) {
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
pub fn check_instance_arn(arn: &str) -> Result<(), String> {
    if arn.len() <= MAX_ARN_CHARS && instance_arn_pattern().is_match(arn) {
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
pub fn check_issuer_arn(arn: &str) -> Result<(), String> {
    if arn.len() <= MAX_ARN_CHARS && issuer_arn_pattern().is_match(arn) {
        Ok(())
    } else {
        Err(format!(
            "trusted_token_issuer_arn {} is not a trusted token issuer ARN. Expected the form \
             {ISSUER_ARN_FORM}.",
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

    #[test]
    fn long_values_are_shortened_in_messages() {
        let detail = check_application_arn(&"x".repeat(10_000)).expect_err("invalid");
        assert!(detail.len() < 600, "{} bytes", detail.len());
        assert!(detail.contains("(10000 characters)"));
    }
}
