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
  description = "Customer managed application to grant to (arn:aws:sso::ACCOUNT:application/ssoins-…/apl-…). The default is the emulator seed's portal application."
  type        = string
  default     = "arn:aws:sso::123456789012:application/ssoins-1111222233334444/apl-1111222233334444"
}

variable "trusted_token_issuer_arn" {
  description = "Trusted token issuer whose JWTs the application may exchange (arn:aws:sso::ACCOUNT:trustedTokenIssuer/ssoins-…/tti-…). The default is the emulator seed's corp-idp."
  type        = string
  default     = "arn:aws:sso::123456789012:trustedTokenIssuer/ssoins-1111222233334444/tti-0123abcd-0123-4abc-8def-0123456789ab"
}

variable "redirect_uris" {
  description = "Where Identity Center may send the authorization code after sign-in."
  type        = list(string)
  default = [
    "https://portal.example.com/oauth/callback",
    "http://localhost:8080/oauth/callback",
  ]
}

variable "authorized_audiences" {
  description = "Audience (aud) values accepted in tokens from the trusted token issuer."
  type        = list(string)
  default     = ["portal-api"]
}
