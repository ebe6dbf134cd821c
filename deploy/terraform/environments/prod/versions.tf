terraform {
  required_version = ">= 1.10"

  # State in S3 with S3-native locking (a .tflock object; no DynamoDB table). The bucket comes
  # from ../../bootstrap. Another environment uses its own key, e.g. staging/terraform.tfstate.
  backend "s3" {
    bucket       = "kinora-terraform-state"
    key          = "prod/terraform.tfstate"
    region       = "us-east-1"
    encrypt      = true
    use_lockfile = true
  }

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.10"
    }
    tls = {
      source  = "hashicorp/tls"
      version = "~> 4.1"
    }
  }
}
