# ---- where the provider talks to -------------------------------------------

variable "ssoadmin_endpoint" {
  description = "SSO Admin endpoint override, e.g. the local emulator at http://127.0.0.1:PORT. Leave null for real AWS."
  type        = string
  default     = null
}

variable "region" {
  description = "Region of the IAM Identity Center instance. The emulator accepts any region."
  type        = string
  default     = "us-east-1"
}

variable "access_key" {
  description = "Static access key id. Leave null to use the normal AWS credential chain (environment, profile, SSO, instance role...)."
  type        = string
  default     = null
  sensitive   = true
}

variable "secret_key" {
  description = "Static secret access key, set together with access_key."
  type        = string
  default     = null
  sensitive   = true
}

# ---- what to grant ----------------------------------------------------------

variable "application_arn" {
  description = "Customer managed application to grant to (arn:aws:sso::ACCOUNT:application/ssoins-…/apl-…)."
  type        = string
}

variable "trusted_token_issuer_arn" {
  description = "Trusted token issuer whose JWTs the application may exchange (arn:aws:sso::ACCOUNT:trustedTokenIssuer/ssoins-…/tti-…)."
  type        = string
}

variable "redirect_uris" {
  description = "Where Identity Center may send the authorization code after sign-in."
  type        = list(string)
  default = [
    "https://app.example.com/oauth/callback",
    "http://localhost:8080/oauth/callback",
  ]
}

variable "authorized_audiences" {
  description = "Audience (aud) values accepted in tokens from the trusted token issuer."
  type        = list(string)
  default     = ["demo-app-client-id"]
}
