# The ID is "<application_arn>,<grant_type>".
terraform import identitycenter_application_grant.refresh_token \
  'arn:aws:sso::123456789012:application/ssoins-1111222233334444/apl-1111222233334444,refresh_token'
