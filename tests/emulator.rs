//! Tests of the SSO Admin emulator, driven by `aws-sdk-ssoadmin` itself (and by raw HTTP for
//! what the SDK cannot send), against in-process servers and the real binary.

#[path = "emulator/support.rs"]
mod support;

#[path = "emulator/auth.rs"]
mod auth;
#[path = "emulator/authentication_methods.rs"]
mod authentication_methods;
#[path = "emulator/binary.rs"]
mod binary;
#[path = "emulator/companions.rs"]
mod companions;
#[path = "emulator/concurrency.rs"]
mod concurrency;
#[path = "emulator/consistency.rs"]
mod consistency;
#[path = "emulator/faults.rs"]
mod faults;
#[path = "emulator/grants.rs"]
mod grants;
#[path = "emulator/protocol.rs"]
mod protocol;
#[path = "emulator/validation.rs"]
mod validation;
#[path = "emulator/validation_authentication_methods.rs"]
mod validation_authentication_methods;
#[path = "emulator/validation_companions.rs"]
mod validation_companions;
