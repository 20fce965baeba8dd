# Terraform 1.12 and later: adopt an existing grant by its identity. The
# grant must exist: here the intranet application's authorization_code
# grant, which the emulator's seed creates with the redirect URIs the
# authorization_code resource declares, so adopting it changes nothing.
import {
  to = identitycenter_application_grant.authorization_code
  identity = {
    application_arn = "arn:aws:sso::123456789012:application/ssoins-1111222233334444/apl-2222333344445555"
    grant_type      = "authorization_code"
  }
}
