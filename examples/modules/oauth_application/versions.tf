# A reusable module: the grants an OAuth web application needs for user sign-in.
#
# Modules name the provider they need but never configure it: the caller's
# `provider "identitycenter"` block (endpoint, region, credentials) is passed down.
terraform {
  required_version = ">= 1.0"

  required_providers {
    identitycenter = {
      source  = "idc-labs/identitycenter"
      version = ">= 0.1.0"
    }
  }
}
