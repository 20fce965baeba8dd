//! The SSO Admin operations the emulator serves, named by their `X-Amz-Target`.

/// `X-Amz-Target` prefix of every SSO Admin operation.
pub const TARGET_PREFIX: &str = "SWBExternalService.";

/// One emulated operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Operation {
    /// Create or replace one grant of an application.
    PutApplicationGrant,
    /// Read one grant of an application.
    GetApplicationGrant,
    /// Remove one grant of an application.
    DeleteApplicationGrant,
    /// Page through an application's grants.
    ListApplicationGrants,
    /// List the (single) Identity Center instance.
    ListInstances,
    /// Create an application in the instance.
    CreateApplication,
    /// Read an application.
    DescribeApplication,
    /// Page through the instance's applications.
    ListApplications,
    /// Delete an application and its grants.
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
    /// Every operation, for stats tables.
    pub const ALL: [Operation; 13] = [
        Operation::PutApplicationGrant,
        Operation::GetApplicationGrant,
        Operation::DeleteApplicationGrant,
        Operation::ListApplicationGrants,
        Operation::ListInstances,
        Operation::CreateApplication,
        Operation::DescribeApplication,
        Operation::ListApplications,
        Operation::DeleteApplication,
        Operation::CreateTrustedTokenIssuer,
        Operation::DescribeTrustedTokenIssuer,
        Operation::ListTrustedTokenIssuers,
        Operation::DeleteTrustedTokenIssuer,
    ];

    /// The operation's model name.
    pub fn name(self) -> &'static str {
        match self {
            Operation::PutApplicationGrant => "PutApplicationGrant",
            Operation::GetApplicationGrant => "GetApplicationGrant",
            Operation::DeleteApplicationGrant => "DeleteApplicationGrant",
            Operation::ListApplicationGrants => "ListApplicationGrants",
            Operation::ListInstances => "ListInstances",
            Operation::CreateApplication => "CreateApplication",
            Operation::DescribeApplication => "DescribeApplication",
            Operation::ListApplications => "ListApplications",
            Operation::DeleteApplication => "DeleteApplication",
            Operation::CreateTrustedTokenIssuer => "CreateTrustedTokenIssuer",
            Operation::DescribeTrustedTokenIssuer => "DescribeTrustedTokenIssuer",
            Operation::ListTrustedTokenIssuers => "ListTrustedTokenIssuers",
            Operation::DeleteTrustedTokenIssuer => "DeleteTrustedTokenIssuer",
        }
    }

    /// The operation an `X-Amz-Target` value names, if the emulator serves it.
    pub fn from_target(target: &str) -> Option<Self> {
        let name = target.strip_prefix(TARGET_PREFIX)?;
        Self::ALL.into_iter().find(|op| op.name() == name)
    }

    /// True for the writes whose model lists `ConflictException`: the only operations an
    /// injected conflict may hit.
    pub fn models_conflict(self) -> bool {
        matches!(
            self,
            Operation::PutApplicationGrant
                | Operation::DeleteApplicationGrant
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
        for op in Operation::ALL {
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
