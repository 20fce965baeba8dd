//! `identitycenter_application_authentication_method`: how an application
//! authenticates the AWS principals that ask it for tokens (an IAM actor
//! policy naming who may call CreateTokenWithIAM for it), keyed by
//! (application_arn, authentication_method_type).

pub(crate) mod calls;
pub(crate) mod model;
pub(crate) mod resource;
