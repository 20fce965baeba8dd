//! Constraints of the SSO Admin service model (API version 2020-07-20) used by the emulator.
//!
//! Written from the published model: lengths, enum value sets and patterns. Patterns are
//! matched against the whole value. Character classes are respelled for the `regex` crate
//! (a literal `-` is escaped) without changing what they accept.
//!
//! Model patterns are ECMA-262 regular expressions, where `\d` and `\w` are ASCII only. The
//! text here stays the model's (validation messages quote it, as AWS does), and
//! [`Pattern`] compiles `\d`/`\w` as `[0-9]`/`[0-9A-Za-z_]`, never as the `regex` crate's
//! Unicode classes. The `\p{..}` classes of ClaimAttributePath, JMESPath and tags are
//! Unicode in the model too and are kept.

use super::shapes::{Pattern, StringRule};

static APPLICATION_ARN_PATTERN: Pattern = Pattern::new(
    r"arn:aws(-[a-z]{1,5}){0,3}:sso::\d{12}:application/(sso)?ins-[a-zA-Z0-9.\-]{16}/apl-[a-zA-Z0-9]{16}",
);
static TRUSTED_TOKEN_ISSUER_ARN_PATTERN: Pattern = Pattern::new(
    r"arn:aws(-[a-z]{1,5}){0,3}:sso::\d{12}:trustedTokenIssuer/(sso)?ins-[a-zA-Z0-9.\-]{16}/tti-[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}",
);
static INSTANCE_ARN_PATTERN: Pattern =
    Pattern::new(r"arn:aws(-[a-z]{1,5}){0,3}:sso:::instance/(sso)?ins-[a-zA-Z0-9.\-]{16}");
static APPLICATION_PROVIDER_ARN_PATTERN: Pattern =
    Pattern::new(r"arn:aws(-[a-z]{1,5}){0,3}:sso::aws:applicationProvider/[a-zA-Z0-9/\-]+");
static TOKEN_PATTERN: Pattern = Pattern::new(r"[-a-zA-Z0-9+=/_]*");
static NAME_PATTERN: Pattern = Pattern::new(r"[\w+=,.@\-]+");
static ANY_TEXT_PATTERN: Pattern = Pattern::new(r"[\S\s]*");
static CLIENT_TOKEN_PATTERN: Pattern = Pattern::new(r"[!-~]+");
static APPLICATION_URL_PATTERN: Pattern =
    Pattern::new(r"http(s)?://[-a-zA-Z0-9+&@#/%?=~_|!:,.;]*[-a-zA-Z0-9+&bb@#/%?=~_|]");
static ISSUER_URL_PATTERN: Pattern =
    Pattern::new(r"https?://[-a-zA-Z0-9+&@/%=~_|!:,.;]*[-a-zA-Z0-9+&@/%=~_|]");
static CLAIM_ATTRIBUTE_PATH_PATTERN: Pattern = Pattern::new(r"\p{L}+(?:(\.|_)\p{L}+){0,2}");
static IDENTITY_STORE_ATTRIBUTE_PATH_PATTERN: Pattern = Pattern::new(r"\p{L}+(?:\.\p{L}+){0,2}");
static TAG_PATTERN: Pattern = Pattern::new(r"([\p{L}\p{Z}\p{N}_.:/=+\-@]*)");
static ACCOUNT_ID_PATTERN: Pattern = Pattern::new(r"\d{12}");

/// `ApplicationArn`.
pub static APPLICATION_ARN: StringRule = StringRule {
    min: 10,
    max: 1224,
    pattern: Some(&APPLICATION_ARN_PATTERN),
    one_of: &[],
};

/// `TrustedTokenIssuerArn`.
pub static TRUSTED_TOKEN_ISSUER_ARN: StringRule = StringRule {
    min: 10,
    max: 1224,
    pattern: Some(&TRUSTED_TOKEN_ISSUER_ARN_PATTERN),
    one_of: &[],
};

/// `InstanceArn`.
pub static INSTANCE_ARN: StringRule = StringRule {
    min: 10,
    max: 1224,
    pattern: Some(&INSTANCE_ARN_PATTERN),
    one_of: &[],
};

/// `ApplicationProviderArn`.
pub static APPLICATION_PROVIDER_ARN: StringRule = StringRule {
    min: 10,
    max: 1224,
    pattern: Some(&APPLICATION_PROVIDER_ARN_PATTERN),
    one_of: &[],
};

/// `Token` (every `NextToken`).
pub static NEXT_TOKEN: StringRule = StringRule {
    min: 0,
    max: 2048,
    pattern: Some(&TOKEN_PATTERN),
    one_of: &[],
};

/// `GrantType`.
pub static GRANT_TYPE: StringRule = StringRule {
    min: 0,
    max: usize::MAX,
    pattern: None,
    one_of: &[
        "authorization_code",
        "refresh_token",
        "urn:ietf:params:oauth:grant-type:jwt-bearer",
        "urn:ietf:params:oauth:grant-type:token-exchange",
    ],
};

/// `AuthenticationMethodType`.
pub static AUTHENTICATION_METHOD_TYPE: StringRule = StringRule {
    min: 0,
    max: usize::MAX,
    pattern: None,
    one_of: &["IAM"],
};

/// `TokenIssuerAudience`.
pub static TOKEN_ISSUER_AUDIENCE: StringRule = StringRule {
    min: 1,
    max: 512,
    pattern: None,
    one_of: &[],
};

/// `ApplicationNameType` (CreateApplication's `Name`).
pub static APPLICATION_NAME: StringRule = StringRule {
    min: 1,
    max: 100,
    pattern: Some(&ANY_TEXT_PATTERN),
    one_of: &[],
};

/// `Description`.
pub static DESCRIPTION: StringRule = StringRule {
    min: 1,
    max: 128,
    pattern: None,
    one_of: &[],
};

/// `ClientToken`.
pub static CLIENT_TOKEN: StringRule = StringRule {
    min: 1,
    max: 64,
    pattern: Some(&CLIENT_TOKEN_PATTERN),
    one_of: &[],
};

/// `ApplicationStatus` and `ApplicationVisibility` share the same value set.
pub static ENABLED_OR_DISABLED: StringRule = StringRule {
    min: 0,
    max: usize::MAX,
    pattern: None,
    one_of: &["ENABLED", "DISABLED"],
};

/// `SignInOrigin`.
pub static SIGN_IN_ORIGIN: StringRule = StringRule {
    min: 0,
    max: usize::MAX,
    pattern: None,
    one_of: &["IDENTITY_CENTER", "APPLICATION"],
};

/// `ApplicationUrl`.
pub static APPLICATION_URL: StringRule = StringRule {
    min: 1,
    max: 512,
    pattern: Some(&APPLICATION_URL_PATTERN),
    one_of: &[],
};

/// `TagKey`.
pub static TAG_KEY: StringRule = StringRule {
    min: 1,
    max: 128,
    pattern: Some(&TAG_PATTERN),
    one_of: &[],
};

/// `TagValue`.
pub static TAG_VALUE: StringRule = StringRule {
    min: 0,
    max: 256,
    pattern: Some(&TAG_PATTERN),
    one_of: &[],
};

/// `AccountId`.
pub static ACCOUNT_ID: StringRule = StringRule {
    min: 12,
    max: 12,
    pattern: Some(&ACCOUNT_ID_PATTERN),
    one_of: &[],
};

/// `TrustedTokenIssuerName`.
pub static TRUSTED_TOKEN_ISSUER_NAME: StringRule = StringRule {
    min: 1,
    max: 255,
    pattern: Some(&NAME_PATTERN),
    one_of: &[],
};

/// `TrustedTokenIssuerType`.
pub static TRUSTED_TOKEN_ISSUER_TYPE: StringRule = StringRule {
    min: 0,
    max: usize::MAX,
    pattern: None,
    one_of: &["OIDC_JWT"],
};

/// `TrustedTokenIssuerUrl`.
pub static ISSUER_URL: StringRule = StringRule {
    min: 1,
    max: 512,
    pattern: Some(&ISSUER_URL_PATTERN),
    one_of: &[],
};

/// `ClaimAttributePath`.
pub static CLAIM_ATTRIBUTE_PATH: StringRule = StringRule {
    min: 1,
    max: 255,
    pattern: Some(&CLAIM_ATTRIBUTE_PATH_PATTERN),
    one_of: &[],
};

/// `JMESPath` (the identity store attribute path).
pub static IDENTITY_STORE_ATTRIBUTE_PATH: StringRule = StringRule {
    min: 1,
    max: 255,
    pattern: Some(&IDENTITY_STORE_ATTRIBUTE_PATH_PATTERN),
    one_of: &[],
};

/// `JwksRetrievalOption`.
pub static JWKS_RETRIEVAL_OPTION: StringRule = StringRule {
    min: 0,
    max: usize::MAX,
    pattern: None,
    one_of: &["OPEN_ID_DISCOVERY"],
};

/// `RegionScope` (ListInstances).
pub static REGION_SCOPE: StringRule = StringRule {
    min: 0,
    max: usize::MAX,
    pattern: None,
    one_of: &["CURRENT_REGION", "ALL_REGIONS"],
};

/// `MaxResults` bounds.
pub const MAX_RESULTS: (i64, i64) = (1, 100);
/// `RedirectUris`, `AuthorizedTokenIssuers` and `TokenIssuerAudiences` all hold 1–10 items.
pub const GRANT_LIST_LEN: (usize, usize) = (1, 10);
/// `TagList` holds up to 75 tags.
pub const TAG_LIST_LEN: (usize, usize) = (0, 75);
/// Quota: applications per instance.
pub const MAX_APPLICATIONS: usize = 7000;
/// Quota: trusted token issuers per instance (not adjustable).
pub const MAX_TRUSTED_TOKEN_ISSUERS: usize = 10;
/// `ApplicationList` holds at most 50 items per page.
pub const MAX_APPLICATIONS_PAGE: usize = 50;
/// Provider ARN of custom OAuth 2.0 applications, the kind that carries grants.
pub const CUSTOM_APPLICATION_PROVIDER_ARN: &str = "arn:aws:sso::aws:applicationProvider/custom";

#[cfg(test)]
mod tests {
    use super::*;

    fn all_patterns() -> Vec<&'static Pattern> {
        vec![
            &APPLICATION_ARN_PATTERN,
            &TRUSTED_TOKEN_ISSUER_ARN_PATTERN,
            &INSTANCE_ARN_PATTERN,
            &APPLICATION_PROVIDER_ARN_PATTERN,
            &TOKEN_PATTERN,
            &NAME_PATTERN,
            &ANY_TEXT_PATTERN,
            &CLIENT_TOKEN_PATTERN,
            &APPLICATION_URL_PATTERN,
            &ISSUER_URL_PATTERN,
            &CLAIM_ATTRIBUTE_PATH_PATTERN,
            &IDENTITY_STORE_ATTRIBUTE_PATH_PATTERN,
            &TAG_PATTERN,
            &ACCOUNT_ID_PATTERN,
        ]
    }

    #[test]
    fn every_model_pattern_compiles() {
        for p in all_patterns() {
            assert!(p.compiles(), "{}", p.source());
        }
    }

    #[test]
    fn arn_patterns_accept_aws_shapes_and_reject_near_misses() {
        let app =
            "arn:aws:sso::123456789012:application/ssoins-1111222233334444/apl-1111222233334444";
        assert!(APPLICATION_ARN_PATTERN.full_match(app));
        assert!(APPLICATION_ARN_PATTERN.full_match(
            "arn:aws-us-gov:sso::123456789012:application/ins-1111.22-33334444/apl-aBcD222233334444"
        ));
        assert!(!APPLICATION_ARN_PATTERN.full_match(&format!("{app}x")));
        assert!(!APPLICATION_ARN_PATTERN.full_match(&format!("x{app}")));
        let tti = "arn:aws:sso::123456789012:trustedTokenIssuer/ssoins-1111222233334444/tti-0123abcd-0123-4abc-8def-0123456789ab";
        assert!(TRUSTED_TOKEN_ISSUER_ARN_PATTERN.full_match(tti));
        assert!(!TRUSTED_TOKEN_ISSUER_ARN_PATTERN.full_match(&tti.to_uppercase()));
        assert!(INSTANCE_ARN_PATTERN.full_match("arn:aws:sso:::instance/ssoins-1111222233334444"));
        assert!(APPLICATION_PROVIDER_ARN_PATTERN.full_match(CUSTOM_APPLICATION_PROVIDER_ARN));
        assert!(ISSUER_URL_PATTERN.full_match("https://example.com"));
        assert!(!ISSUER_URL_PATTERN.full_match("https://example.com/?q"));
        assert!(CLAIM_ATTRIBUTE_PATH_PATTERN.full_match("email"));
        assert!(IDENTITY_STORE_ATTRIBUTE_PATH_PATTERN.full_match("emails.value"));
        assert!(TOKEN_PATTERN.full_match(""));
        assert!(!TOKEN_PATTERN.full_match("a b"));
    }

    #[test]
    fn digit_and_word_classes_accept_ascii_only() {
        let arabic_indic =
            "arn:aws:sso::١٢٣٤٥٦٧٨٩٠١٢:application/ssoins-1111222233334444/apl-1111222233334444";
        assert!(!APPLICATION_ARN_PATTERN.full_match(arabic_indic));
        assert!(!ACCOUNT_ID_PATTERN.full_match("١٢٣٤٥٦٧٨٩٠١٢"));
        assert!(NAME_PATTERN.full_match("corp_Issuer-1+=,.@"));
        assert!(!NAME_PATTERN.full_match("naïve-名前"));
        // Genuinely Unicode in the model: letters and numbers of any script.
        assert!(CLAIM_ATTRIBUTE_PATH_PATTERN.full_match("naïve.名前"));
        assert!(TAG_PATTERN.full_match("名前 ١٢"));
    }
}
