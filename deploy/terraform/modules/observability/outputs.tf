output "alarm_topic_arn" {
  description = "SNS topic the alarms notify."
  value       = aws_sns_topic.alarms.arn
}

output "app_log_group_name" {
  description = "CloudWatch log group of the application's container logs."
  value       = aws_cloudwatch_log_group.app.name
}

output "app_log_group_arn" {
  description = "ARN of the application log group."
  value       = aws_cloudwatch_log_group.app.arn
}

output "alb_alarms_enabled" {
  description = "Whether the ALB alarms exist (alb_arn_suffix was set)."
  value       = var.alb_arn_suffix != ""
}
