# What deploy/k8s needs: the ConfigMap's values (AWS_REGION, S3_BUCKET, SQS_QUEUE_URL, KINORA_DB)
# and the overlays' service-account annotations and image names.

output "region" {
  description = "AWS region (AWS_REGION)."
  value       = var.region
}

output "cluster_name" {
  description = "EKS cluster name (aws eks update-kubeconfig --name ...)."
  value       = module.eks.cluster_name
}

output "media_bucket" {
  description = "Media bucket (S3_BUCKET; KINORA_STORAGE=s3)."
  value       = module.storage.bucket_name
}

output "queue_url" {
  description = "Jobs queue URL (SQS_QUEUE_URL; KINORA_QUEUE=sqs)."
  value       = module.queue.queue_url
}

output "dead_letter_queue_url" {
  description = "Dead-letter queue URL (the app finds it from the RedrivePolicy; for operators)."
  value       = module.queue.dead_letter_queue_url
}

output "database_endpoint" {
  description = "Host name of the catalog's PostgreSQL."
  value       = module.database.endpoint
}

output "database_url" {
  description = "KINORA_DB without the password (PGPASSWORD comes from the secret below)."
  value       = "postgresql://${module.database.username}@${module.database.endpoint}:${module.database.port}/${module.database.database_name}?sslmode=require"
}

output "database_master_user_secret_arn" {
  description = "Secrets Manager secret with the database password (username/password JSON), managed by RDS."
  value       = module.database.master_user_secret_arn
}

output "irsa_role_arns" {
  description = "IRSA role ARN by role: annotate service account kinora-<role> (and keda-operator, aws-load-balancer-controller, fluent-bit) with eks.amazonaws.com/role-arn."
  value       = module.iam.irsa_role_arns
}

output "ecr_repository_urls" {
  description = "Image repository URL by name (kinora/kinora, kinora/web)."
  value       = module.ecr.repository_urls
}

output "github_deploy_role_arn" {
  description = "Role for GitHub Actions (configure-aws-credentials role-to-assume)."
  value       = module.iam.github_deploy_role_arn
}

output "alarm_topic_arn" {
  description = "SNS topic of the CloudWatch alarms."
  value       = module.observability.alarm_topic_arn
}

output "app_log_group" {
  description = "CloudWatch log group for the application's container logs."
  value       = module.observability.app_log_group_name
}
