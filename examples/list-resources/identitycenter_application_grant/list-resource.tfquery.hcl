# Terraform 1.14 and later: `terraform query` with this file next to the
# configuration that declares and configures the provider (provider.tf).

# Every grant of every application of the Identity Center instance, each
# with its full settings.
list "identitycenter_application_grant" "instance" {
  provider         = identitycenter
  include_resource = true

  config {
    instance_arn = "arn:aws:sso:::instance/ssoins-1111222233334444"
  }
}

# To look at one application instead, give its ARN:
#
#   config {
#     application_arn = "arn:aws:sso::123456789012:application/ssoins-1111222233334444/apl-aaaabbbbccccdddd"
#   }
#
# Keep list blocks from overlapping (an application and its whole instance,
# say): `terraform query -generate-config-out` writes a resource block and an
# import block for every result of every list block, so a grant two blocks
# find would be imported twice, under two addresses.
