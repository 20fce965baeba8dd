# Credentials come from the usual AWS sources unless given here: environment
# variables, the shared config and credentials files (profile, SSO), web
# identity, container and instance roles. The region is that of the IAM
# Identity Center instance.
provider "identitycenter" {
  region = "us-east-1"
}
