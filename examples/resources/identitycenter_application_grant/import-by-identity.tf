# Terraform 1.12 and later: adopt an existing grant by its identity.
import {
  to = identitycenter_application_grant.authorization_code
  identity = {
    application_arn = "arn:aws:sso::123456789012:application/ssoins-1111222233334444/apl-1111222233334444"
    grant_type      = "authorization_code"
  }
}
