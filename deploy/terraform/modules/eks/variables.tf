variable "cluster_name" {
  description = "Name of the EKS cluster, e.g. kinora-prod."
  type        = string
}

variable "kubernetes_version" {
  description = "Kubernetes minor version of the control plane and the node groups."
  type        = string
  default     = "1.33"
}

variable "vpc_id" {
  description = "VPC the cluster runs in."
  type        = string
}

variable "private_subnet_ids" {
  description = "Private subnets for the control-plane network interfaces and the nodes."
  type        = list(string)
}

variable "public_access_cidrs" {
  description = <<-EOT
    CIDRs allowed to reach the Kubernetes API over its public endpoint. Empty (the default)
    disables the public endpoint: operators then reach the API from inside the VPC (a bastion,
    an SSM session or a VPN). Set only narrow ranges, e.g. an office or a VPN egress address.
  EOT
  type        = list(string)
  default     = []
}

variable "node_groups" {
  description = "Managed node groups by name: sizes and instance types (on-demand, AL2023)."
  type = map(object({
    desired_size   = number
    min_size       = number
    max_size       = number
    instance_types = list(string)
    disk_size      = optional(number, 50)
  }))
}

variable "cluster_admin_principal_arns" {
  description = "IAM roles or users given cluster-admin through EKS access entries (besides the creator)."
  type        = list(string)
  default     = []
}

variable "log_retention_days" {
  description = "Retention of the control-plane logs in CloudWatch."
  type        = number
  default     = 90
}

variable "deletion_protection" {
  description = "Refuse to delete the cluster (true in prod)."
  type        = bool
  default     = false
}
