# The ID is "<application_arn>,IAM". Any Terraform version.
terraform import identitycenter_application_authentication_method.analytics \
  'arn:aws:sso::123456789012:application/ssoins-1111222233334444/apl-5555666677778888,IAM'
