variable "environment" {
  description = "Environment name; also the Kubernetes namespace of Kinora's service accounts."
  type        = string
}

variable "oidc_provider_arn" {
  description = "ARN of the cluster's IAM OIDC provider."
  type        = string
}

variable "oidc_issuer" {
  description = "Cluster OIDC issuer without https:// (prefix of the :sub and :aud condition keys)."
  type        = string
}

variable "cluster_name" {
  description = "Name of the EKS cluster (the deploy role gets an access entry there)."
  type        = string
}

variable "cluster_arn" {
  description = "ARN of the EKS cluster (the deploy role may describe it)."
  type        = string
}

variable "media_bucket_arn" {
  description = "ARN of the media bucket."
  type        = string
}

variable "queue_arn" {
  description = "ARN of the jobs queue."
  type        = string
}

variable "dead_letter_queue_arn" {
  description = "ARN of the jobs dead-letter queue."
  type        = string
}

variable "ecr_repository_arns" {
  description = "ARNs of the ECR repositories CI pushes to."
  type        = list(string)
}

variable "app_log_group_arn" {
  description = "ARN of the application log group Fluent Bit ships container logs to."
  type        = string
}

variable "github_repository" {
  description = "GitHub repository (owner/name) whose main branch may assume the deploy role."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", var.github_repository))
    error_message = "Use owner/name, e.g. example-org/kinora."
  }
}

variable "create_github_oidc_provider" {
  description = "Create the account's GitHub Actions OIDC provider; false when another stack in the account already has it."
  type        = bool
  default     = true
}

variable "deploy_namespaces" {
  description = "Kubernetes namespaces the GitHub deploy role administers; null means the environment's own namespace."
  type        = list(string)
  default     = null
}
