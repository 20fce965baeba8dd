# Every grant of one application, with the full grant settings.
list "identitycenter_application_grant" "web" {
  provider         = identitycenter
  include_resource = true
  config {
    application_arn = var.application_arn
  }
}

# Every grant of every application of the Identity Center instance,
# at most 50 of them.
list "identitycenter_application_grant" "everything" {
  provider = identitycenter
  limit    = 50
  config {
    instance_arn = var.instance_arn
  }
}
