variable "region" {
  description = "AWS region of the environment."
  type        = string
  default     = "us-east-1"
}

variable "environment" {
  description = "Environment name: prefixes resource names and is the Kubernetes namespace of the app."
  type        = string
  default     = "prod"

  validation {
    condition     = contains(["prod", "staging", "dev"], var.environment)
    error_message = "Use prod, staging or dev (the namespaces of deploy/k8s)."
  }
}

variable "github_repository" {
  description = "GitHub repository (owner/name) whose main branch may assume the deploy role."
  type        = string
}

variable "site_origins" {
  description = "Origins the web app is served from (e.g. [\"https://videos.example.com\"]); the media bucket's CORS allows them."
  type        = list(string)
}

variable "eks_public_access_cidrs" {
  description = "CIDRs allowed on the Kubernetes API's public endpoint; empty keeps the API private (reach it from a bastion or VPN in the VPC)."
  type        = list(string)
  default     = []
}

variable "cluster_admin_principal_arns" {
  description = "IAM principals (e.g. the operators' SSO role) given cluster-admin on EKS."
  type        = list(string)
  default     = []
}

variable "database_instance_class" {
  description = "Instance class of the catalog's PostgreSQL."
  type        = string
  default     = "db.t4g.medium"
}

variable "database_multi_az" {
  description = "Run the database with a standby in a second zone."
  type        = bool
  default     = true
}

variable "alb_arn_suffix" {
  description = "ARN suffix (app/kinora-<env>/<id>) of the ingress ALB, known after the first deploy; enables the ALB alarms (see modules/observability)."
  type        = string
  default     = ""
}

variable "alarm_email" {
  description = "E-mail address for alarm notifications; null for none."
  type        = string
  default     = null
}

variable "create_github_oidc_provider" {
  description = "Create the account's GitHub OIDC provider (false if the account already has one)."
  type        = bool
  default     = true
}

variable "enable_guardduty" {
  description = "Create the account's GuardDuty detector (false if the account already has one)."
  type        = bool
  default     = true
}
