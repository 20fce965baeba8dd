# The provider's source and version, and the provider block. Credentials
# come from the usual AWS sources unless given here: environment variables,
# the shared config and credentials files (profile, SSO), web identity,
# container and instance roles. The region is that of the IAM Identity
# Center instance.
terraform {
  required_providers {
    identitycenter = {
      source  = "idc-labs/identitycenter"
      version = "~> 0.2.0"
    }
  }
}

provider "identitycenter" {
  region = "us-east-1"
}
