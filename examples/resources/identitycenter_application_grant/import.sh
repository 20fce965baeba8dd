# The ID is "<application_arn>,<grant_type>"; the grant must exist (the
# emulator's seed creates this one). Any Terraform version.
terraform import identitycenter_application_grant.refresh_token \
  'arn:aws:sso::123456789012:application/ssoins-1111222233334444/apl-2222333344445555,refresh_token'
