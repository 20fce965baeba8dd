# The ID is the application's ARN. Any Terraform version.
terraform import identitycenter_application_grants_exclusive.crm \
  'arn:aws:sso::123456789012:application/ssoins-1111222233334444/apl-aaaabbbbccccdddd'
