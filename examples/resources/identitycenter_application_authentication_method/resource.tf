# Only the portal's backend role may ask Identity Center for tokens on the
# portal application's behalf (sso-oauth:CreateTokenWithIAM). Write the
# policy with jsonencode: policies that differ only in key order,
# whitespace, or one value against a list holding it are the same policy,
# and never show as a change.
resource "identitycenter_application_authentication_method" "portal" {
  application_arn            = "arn:aws:sso::123456789012:application/ssoins-1111222233334444/apl-1111222233334444"
  authentication_method_type = "IAM"

  authentication_method {
    iam {
      actor_policy = jsonencode({
        Version = "2012-10-17"
        Statement = [{
          Effect    = "Allow"
          Principal = { AWS = "arn:aws:iam::123456789012:role/portal-backend" }
          Action    = "sso-oauth:CreateTokenWithIAM"
          Resource  = "*"
        }]
      })
    }
  }
}

# The analytics application's method, set by hand before Terraform and
# adopted by the import block beside this file.
resource "identitycenter_application_authentication_method" "analytics" {
  application_arn            = "arn:aws:sso::123456789012:application/ssoins-1111222233334444/apl-5555666677778888"
  authentication_method_type = "IAM"

  authentication_method {
    iam {
      actor_policy = jsonencode({
        Version = "2012-10-17"
        Statement = [{
          Effect    = "Allow"
          Principal = { AWS = "arn:aws:iam::123456789012:role/analytics-etl" }
          Action    = "sso-oauth:CreateTokenWithIAM"
          Resource  = "*"
        }]
      })
    }
  }
}
