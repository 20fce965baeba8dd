# Terraform 1.14 and later: `terraform query` with this file next to the
# configuration that declares and configures the provider.

# Every grant of one application, each with its full settings.
list "identitycenter_application_grant" "portal" {
  provider         = identitycenter
  include_resource = true

  config {
    application_arn = "arn:aws:sso::123456789012:application/ssoins-1111222233334444/apl-1111222233334444"
  }
}

# Every grant of every application of the Identity Center instance, at most 50.
list "identitycenter_application_grant" "instance" {
  provider = identitycenter
  limit    = 50

  config {
    instance_arn = "arn:aws:sso:::instance/ssoins-1111222233334444"
  }
}
