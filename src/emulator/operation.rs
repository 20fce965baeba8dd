//! The SSO Admin operations the emulator serves, named by their `X-Amz-Target`.

/// `X-Amz-Target` prefix of every SSO Admin operation.
pub const TARGET_PREFIX: &str = "SWBExternalService.";

/// Declares the operations once: the enum, [`Operation::ALL`] and each
/// model name (the variant's own name).
macro_rules! operations {
    ($($(#[$doc:meta])* $op:ident,)*) => {
        /// One emulated operation.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Operation {
            $($(#[$doc])* $op,)*
        }

        impl Operation {
            /// Every operation, for stats tables.
            pub const ALL: &'static [Operation] = &[$(Operation::$op,)*];

            /// The operation's model name.
            pub fn name(self) -> &'static str {
                match self {
                    $(Operation::$op => stringify!($op),)*
                }
            }
        }
    };
}

operations! {
    /// Create or replace one grant of an application.
    PutApplicationGrant,
    /// Read one grant of an application.
    GetApplicationGrant,
    /// Remove one grant of an application.
    DeleteApplicationGrant,
    /// Page through an application's grants.
    ListApplicationGrants,
    /// Create or replace an application's authentication method of one type.
    PutApplicationAuthenticationMethod,
    /// Read an application's authentication method of one type.
    GetApplicationAuthenticationMethod,
    /// Remove an application's authentication method of one type.
    DeleteApplicationAuthenticationMethod,
    /// Page through an application's authentication methods.
    ListApplicationAuthenticationMethods,
    /// List the (single) Identity Center instance.
    ListInstances,
    /// Create an application in the instance.
    CreateApplication,
    /// Read an application.
    DescribeApplication,
    /// Page through the instance's applications.
    ListApplications,
    /// Delete an application with its grants and authentication methods.
    DeleteApplication,
    /// Create a trusted token issuer.
    CreateTrustedTokenIssuer,
    /// Read a trusted token issuer.
    DescribeTrustedTokenIssuer,
    /// Page through the instance's trusted token issuers.
    ListTrustedTokenIssuers,
    /// Delete a trusted token issuer.
    DeleteTrustedTokenIssuer,
}

impl Operation {
    /// The operation an `X-Amz-Target` value names, if the emulator serves it.
    pub fn from_target(target: &str) -> Option<Self> {
        let name = target.strip_prefix(TARGET_PREFIX)?;
        Self::ALL.iter().copied().find(|op| op.name() == name)
    }

    /// True for the paginated List operations.
    pub fn is_list(self) -> bool {
        matches!(
            self,
            Operation::ListApplicationGrants
                | Operation::ListApplicationAuthenticationMethods
                | Operation::ListInstances
                | Operation::ListApplications
                | Operation::ListTrustedTokenIssuers
        )
    }

    /// True for the writes whose model lists `ConflictException`: the only operations an
    /// injected conflict may hit.
    pub fn models_conflict(self) -> bool {
        matches!(
            self,
            Operation::PutApplicationGrant
                | Operation::DeleteApplicationGrant
                | Operation::PutApplicationAuthenticationMethod
                | Operation::DeleteApplicationAuthenticationMethod
                | Operation::CreateApplication
                | Operation::DeleteApplication
                | Operation::CreateTrustedTokenIssuer
                | Operation::DeleteTrustedTokenIssuer
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_round_trip_and_need_the_service_prefix() {
        for &op in Operation::ALL {
            assert_eq!(
                Operation::from_target(&format!("{TARGET_PREFIX}{}", op.name())),
                Some(op)
            );
        }
        assert_eq!(Operation::from_target("PutApplicationGrant"), None);
        assert_eq!(
            Operation::from_target("SWBExternalService.CreatePermissionSet"),
            None
        );
    }
}
