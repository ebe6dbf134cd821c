terraform {
  required_version = ">= 1.10"

  # Local state on purpose: this root creates the bucket every other root keeps its state in.
  # Run it once per account; keep its terraform.tfstate somewhere safe (or import the bucket).

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.10"
    }
  }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = {
      Project   = "kinora"
      ManagedBy = "terraform"
    }
  }
}
