# The grants an OAuth application needs: browser sign-in, token renewal and,
# optionally, JWT exchange with trusted token issuers and trusted identity
# propagation.
#
# Modules name the provider they need but never configure it: the caller's
# `provider "identitycenter"` block (or the environment) is passed down.
terraform {
  required_version = ">= 1.0"

  required_providers {
    identitycenter = {
      source  = "idc-labs/identitycenter"
      version = ">= 0.2.0"
    }
  }
}
