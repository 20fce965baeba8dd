# Terraform 1.5 and later: adopt an existing grant during apply.
import {
  to = identitycenter_application_grant.refresh_token
  id = "arn:aws:sso::123456789012:application/ssoins-1111222233334444/apl-1111222233334444,refresh_token"
}
