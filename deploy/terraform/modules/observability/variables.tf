variable "environment" {
  description = "Environment name (prod, staging, dev)."
  type        = string
}

variable "queue_name" {
  description = "Name of the jobs queue."
  type        = string
}

variable "dead_letter_queue_name" {
  description = "Name of the jobs dead-letter queue."
  type        = string
}

variable "alb_arn_suffix" {
  description = <<-EOT
    ARN suffix (app/kinora-<env>/<id>) of the ALB that the AWS Load Balancer Controller creates
    for the ingress. It exists only after the first deploy, so the ALB alarms are created only
    once this is set: after the first rollout, run
      aws elbv2 describe-load-balancers --names kinora-<env> \
        --query 'LoadBalancers[0].LoadBalancerArn' --output text | sed 's|.*:loadbalancer/||'
    and apply again with that value.
  EOT
  type        = string
  default     = ""

  validation {
    condition     = var.alb_arn_suffix == "" || can(regex("^app/[^/]+/[0-9a-f]+$", var.alb_arn_suffix))
    error_message = "Use the app/<name>/<id> suffix of the ALB's ARN, or leave empty."
  }
}

variable "alarm_email" {
  description = "E-mail address subscribed to the alarm topic (confirm the subscription mail); null for none."
  type        = string
  default     = null
}

variable "log_retention_days" {
  description = "Retention of the application logs."
  type        = number
  default     = 30
}

variable "queue_backlog_threshold" {
  description = "Visible jobs in the queue above which the backlog alarm fires."
  type        = number
  default     = 1000
}
