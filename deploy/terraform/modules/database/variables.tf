variable "identifier" {
  description = "RDS instance identifier, e.g. kinora-prod."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the database."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets for the DB subnet group (three zones, so Multi-AZ can fail over)."
  type        = list(string)
}

variable "client_security_group_ids" {
  description = "Security groups allowed to connect on 5432 (the EKS cluster/node security group)."
  type        = list(string)
}

variable "instance_class" {
  description = "RDS instance class."
  type        = string
  default     = "db.t4g.medium"
}

variable "allocated_storage_gb" {
  description = "Initial gp3 storage in GiB."
  type        = number
  default     = 50
}

variable "max_allocated_storage_gb" {
  description = "Ceiling for storage autoscaling in GiB."
  type        = number
  default     = 500
}

variable "multi_az" {
  description = "Keep a synchronous standby in another zone (automatic failover)."
  type        = bool
  default     = true
}

variable "backup_retention_days" {
  description = "Days of automated backups (point-in-time recovery window)."
  type        = number
  default     = 14
}

variable "deletion_protection" {
  description = "Refuse to delete the instance (true in prod)."
  type        = bool
  default     = true
}

variable "database_name" {
  description = "Database created on the instance."
  type        = string
  default     = "kinora"
}

variable "master_username" {
  description = "Master user name. Its password is generated and kept by RDS in Secrets Manager."
  type        = string
  default     = "kinora"
}
