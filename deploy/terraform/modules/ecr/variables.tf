variable "repository_names" {
  description = "ECR repositories to create."
  type        = list(string)
  default     = ["kinora/kinora", "kinora/web"]
}

variable "keep_images" {
  description = "How many tagged images each repository keeps; older ones expire."
  type        = number
  default     = 50
}

variable "untagged_expiry_days" {
  description = "Days after which untagged images (superseded layers, failed pushes) expire."
  type        = number
  default     = 7
}
