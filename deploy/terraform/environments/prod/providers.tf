provider "aws" {
  region = var.region

  # Every resource says what it belongs to (cost reports, clean-up).
  default_tags {
    tags = {
      Project     = "kinora"
      Environment = var.environment
      ManagedBy   = "terraform"
    }
  }
}
