variable "environment" {
  description = "Environment name (prod, staging, dev); part of the bucket name."
  type        = string
}

variable "cors_allowed_origins" {
  description = <<-EOT
    Origins of the site (e.g. https://videos.example.com) allowed to fetch media straight from
    the bucket: the player loads HLS segments and the MP4 from presigned S3 URLs with
    fetch/XHR, which needs CORS.
  EOT
  type        = list(string)

  validation {
    condition     = length(var.cors_allowed_origins) > 0 && alltrue([for o in var.cors_allowed_origins : can(regex("^https?://[^/*]+$", o))])
    error_message = "Give at least one origin, each scheme://host[:port] without a path or wildcard."
  }
}

variable "noncurrent_version_expiration_days" {
  description = "Days a replaced or deleted object version is kept (undo window) before it expires."
  type        = number
  default     = 30
}

variable "force_destroy" {
  description = "Let terraform destroy the bucket with objects in it (never in prod)."
  type        = bool
  default     = false
}
