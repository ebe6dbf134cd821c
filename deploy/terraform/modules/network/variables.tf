variable "name" {
  description = "Name prefix for every network resource, e.g. kinora-prod."
  type        = string
}

variable "cluster_name" {
  description = "EKS cluster that will use these subnets (tagged so its load balancers find them)."
  type        = string
}

variable "vpc_cidr" {
  description = "CIDR block of the VPC."
  type        = string
  default     = "10.0.0.0/16"
}

variable "public_subnet_cidrs" {
  description = "One public subnet per availability zone (load balancers, NAT gateways), in AZ order."
  type        = list(string)
  default     = ["10.0.101.0/24", "10.0.102.0/24", "10.0.103.0/24"]

  validation {
    condition     = length(var.public_subnet_cidrs) == 3
    error_message = "Give exactly three public subnets, one per availability zone."
  }
}

variable "private_subnet_cidrs" {
  description = "One private subnet per availability zone (nodes, pods, database), in AZ order."
  type        = list(string)
  default     = ["10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/24"]

  validation {
    condition     = length(var.private_subnet_cidrs) == 3
    error_message = "Give exactly three private subnets, one per availability zone."
  }
}

variable "availability_zones" {
  description = "Three availability zones to use; empty means the region's first three that need no opt-in."
  type        = list(string)
  default     = []

  validation {
    condition     = length(var.availability_zones) == 0 || length(var.availability_zones) == 3
    error_message = "Give three availability zones, or none to pick them automatically."
  }
}
