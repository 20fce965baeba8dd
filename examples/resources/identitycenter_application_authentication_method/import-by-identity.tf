# Terraform 1.12 and later, by the method's identity (shown here commented
# out: the import block beside this file adopts the same method by its ID).
# import {
#   to = identitycenter_application_authentication_method.analytics
#   identity = {
#     application_arn            = "arn:aws:sso::123456789012:application/ssoins-1111222233334444/apl-5555666677778888"
#     authentication_method_type = "IAM"
#   }
# }
