variable "region" {
  description = "Region of the state bucket (the environments' backend region)."
  type        = string
  default     = "us-east-1"
}

variable "state_bucket_name" {
  description = "Globally unique name of the Terraform state bucket (the environments' backend bucket)."
  type        = string
  default     = "kinora-terraform-state"
}
