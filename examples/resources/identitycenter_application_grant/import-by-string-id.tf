# Terraform 1.5 and later: adopt an existing grant during apply. The grant
# must exist: here the intranet application's refresh_token grant, which
# the emulator's seed (examples/emulator-seed.json) creates.
import {
  to = identitycenter_application_grant.refresh_token
  id = "arn:aws:sso::123456789012:application/ssoins-1111222233334444/apl-2222333344445555,refresh_token"
}
