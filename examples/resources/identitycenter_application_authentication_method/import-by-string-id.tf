# Terraform 1.5 and later: adopt an existing authentication method during
# apply. The ID is "<application_arn>,IAM"; the method must exist (the
# emulator's seed sets this one).
import {
  to = identitycenter_application_authentication_method.analytics
  id = "arn:aws:sso::123456789012:application/ssoins-1111222233334444/apl-5555666677778888,IAM"
}
