# The CRM application may sign people in through the browser and renew their
# tokens, and do nothing else: a grant of any other type added outside
# Terraform shows in the plan as that type removed from grant_types, and
# apply deletes that grant. This resource never creates a grant: declare each
# allowed grant with identitycenter_application_grant (here the CRM's grants
# are managed elsewhere).
resource "identitycenter_application_grants_exclusive" "crm" {
  application_arn = "arn:aws:sso::123456789012:application/ssoins-1111222233334444/apl-aaaabbbbccccdddd"
  grant_types     = ["authorization_code", "refresh_token"]
}

# No grant at all for the analytics application: an empty set.
resource "identitycenter_application_grants_exclusive" "analytics" {
  application_arn = "arn:aws:sso::123456789012:application/ssoins-1111222233334444/apl-5555666677778888"
  grant_types     = []
}

# The help desk may only sign people in through the browser (it has no grant
# yet; an allowed type that does not exist is no change).
resource "identitycenter_application_grants_exclusive" "helpdesk" {
  application_arn = "arn:aws:sso::123456789012:application/ssoins-1111222233334444/apl-9999aaaabbbbcccc"
  grant_types     = ["authorization_code"]
}
