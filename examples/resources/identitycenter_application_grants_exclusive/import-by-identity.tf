# Terraform 1.12 and later: the same, by the allow-list's identity.
import {
  to = identitycenter_application_grants_exclusive.analytics
  identity = {
    application_arn = "arn:aws:sso::123456789012:application/ssoins-1111222233334444/apl-5555666677778888"
  }
}
