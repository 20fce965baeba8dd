# Terraform 1.5 and later: start governing an application's grant types
# during apply. The ID is the application's ARN; the read that follows
# records every grant type the application has.
import {
  to = identitycenter_application_grants_exclusive.crm
  id = "arn:aws:sso::123456789012:application/ssoins-1111222233334444/apl-aaaabbbbccccdddd"
}
