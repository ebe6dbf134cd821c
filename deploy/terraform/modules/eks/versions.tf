terraform {
  required_version = ">= 1.10"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.10"
    }
    # Reads the OIDC issuer's certificate for the IAM OIDC provider's thumbprint.
    tls = {
      source  = "hashicorp/tls"
      version = "~> 4.1"
    }
  }
}
