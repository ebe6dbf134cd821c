# Kinora on AWS, one environment: network, EKS, media bucket, job queues, image repositories,
# IRSA roles, the catalog database, alarms and GuardDuty.

locals {
  name = "kinora-${var.environment}"
}

module "network" {
  source = "../../modules/network"

  name                 = local.name
  cluster_name         = local.name
  vpc_cidr             = "10.0.0.0/16"
  public_subnet_cidrs  = ["10.0.101.0/24", "10.0.102.0/24", "10.0.103.0/24"]
  private_subnet_cidrs = ["10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/24"]
}

module "eks" {
  source = "../../modules/eks"

  cluster_name                 = local.name
  kubernetes_version           = "1.33"
  vpc_id                       = module.network.vpc_id
  private_subnet_ids           = module.network.private_subnet_ids
  public_access_cidrs          = var.eks_public_access_cidrs
  cluster_admin_principal_arns = var.cluster_admin_principal_arns
  deletion_protection          = var.environment == "prod"

  node_groups = {
    "general-1" = {
      desired_size   = 4
      min_size       = 3
      max_size       = 5
      instance_types = ["t3.medium", "t3.large", "t3a.medium"]
    }
    "general-2" = {
      desired_size   = 4
      min_size       = 3
      max_size       = 5
      instance_types = ["t3.medium", "t3.large", "t3a.medium"]
    }
  }
}

module "storage" {
  source = "../../modules/storage"

  environment          = var.environment
  cors_allowed_origins = var.site_origins
}

module "queue" {
  source = "../../modules/queue"

  environment                = var.environment
  max_receive_count          = 5
  visibility_timeout_seconds = 3900 # job watchdog (3600 s) + 5 min to publish; see the module
}

module "ecr" {
  source = "../../modules/ecr"

  repository_names = ["kinora/kinora", "kinora/web"]
}

module "observability" {
  source = "../../modules/observability"

  environment            = var.environment
  queue_name             = module.queue.queue_name
  dead_letter_queue_name = module.queue.dead_letter_queue_name
  alb_arn_suffix         = var.alb_arn_suffix
  alarm_email            = var.alarm_email
}

module "iam" {
  source = "../../modules/iam"

  environment                 = var.environment
  oidc_provider_arn           = module.eks.oidc_provider_arn
  oidc_issuer                 = module.eks.oidc_issuer
  cluster_name                = module.eks.cluster_name
  cluster_arn                 = module.eks.cluster_arn
  media_bucket_arn            = module.storage.bucket_arn
  queue_arn                   = module.queue.queue_arn
  dead_letter_queue_arn       = module.queue.dead_letter_queue_arn
  ecr_repository_arns         = values(module.ecr.repository_arns)
  app_log_group_arn           = module.observability.app_log_group_arn
  github_repository           = var.github_repository
  create_github_oidc_provider = var.create_github_oidc_provider
}

module "database" {
  source = "../../modules/database"

  identifier                = local.name
  vpc_id                    = module.network.vpc_id
  subnet_ids                = module.network.private_subnet_ids
  client_security_group_ids = [module.eks.cluster_security_group_id]
  instance_class            = var.database_instance_class
  multi_az                  = var.database_multi_az
  deletion_protection       = var.environment == "prod"
}

module "guardduty" {
  source = "../../modules/guardduty"
  count  = var.enable_guardduty ? 1 : 0
}
