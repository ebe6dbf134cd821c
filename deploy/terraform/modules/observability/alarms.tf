# Alarms: each looks at one-minute data and fires only after five bad minutes in a row, so a
# single slow request or a short burst does not page anyone.

locals {
  alb_alarms  = var.alb_arn_suffix == "" ? 0 : 1
  alarm_topic = [aws_sns_topic.alarms.arn]
}

# 5xx rate of the ALB: (target 5xx + the ALB's own 5xx) / requests, in percent.
resource "aws_cloudwatch_metric_alarm" "alb_5xx_rate" {
  count = local.alb_alarms

  alarm_name          = "kinora-${var.environment}-alb-5xx-rate"
  alarm_description   = "More than 5 % of requests to kinora-${var.environment} answered 5xx for 5 minutes."
  comparison_operator = "GreaterThanThreshold"
  threshold           = 5
  evaluation_periods  = 5
  datapoints_to_alarm = 5
  treat_missing_data  = "notBreaching" # no traffic is not an outage
  alarm_actions       = local.alarm_topic
  ok_actions          = local.alarm_topic

  metric_query {
    id          = "rate"
    label       = "5xx rate (%)"
    expression  = "IF(requests > 0, 100 * (FILL(target5xx, 0) + FILL(elb5xx, 0)) / requests, 0)"
    return_data = true
  }

  metric_query {
    id = "target5xx"
    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "HTTPCode_Target_5XX_Count"
      dimensions  = { LoadBalancer = var.alb_arn_suffix }
      stat        = "Sum"
      period      = 60
    }
  }

  metric_query {
    id = "elb5xx"
    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "HTTPCode_ELB_5XX_Count"
      dimensions  = { LoadBalancer = var.alb_arn_suffix }
      stat        = "Sum"
      period      = 60
    }
  }

  metric_query {
    id = "requests"
    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "RequestCount"
      dimensions  = { LoadBalancer = var.alb_arn_suffix }
      stat        = "Sum"
      period      = 60
    }
  }
}

# p95 of the time targets take to answer, in seconds.
resource "aws_cloudwatch_metric_alarm" "alb_p95_latency" {
  count = local.alb_alarms

  alarm_name          = "kinora-${var.environment}-alb-p95-latency"
  alarm_description   = "p95 target response time of kinora-${var.environment} above 2 s for 5 minutes."
  namespace           = "AWS/ApplicationELB"
  metric_name         = "TargetResponseTime"
  dimensions          = { LoadBalancer = var.alb_arn_suffix }
  extended_statistic  = "p95"
  period              = 60
  evaluation_periods  = 5
  datapoints_to_alarm = 5
  comparison_operator = "GreaterThanThreshold"
  threshold           = 2
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_topic
  ok_actions          = local.alarm_topic
}

# Jobs piling up: the processors (scaled by KEDA) are not keeping up, or are stuck.
resource "aws_cloudwatch_metric_alarm" "queue_backlog" {
  alarm_name          = "kinora-${var.environment}-jobs-backlog"
  alarm_description   = "More than ${var.queue_backlog_threshold} jobs waiting in ${var.queue_name} for 5 minutes."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = var.queue_name }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 5
  datapoints_to_alarm = 5
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.queue_backlog_threshold
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_topic
  ok_actions          = local.alarm_topic
}

# Any job in the DLQ means a video ended FAILED after every retry: someone should look.
resource "aws_cloudwatch_metric_alarm" "dead_letters" {
  alarm_name          = "kinora-${var.environment}-jobs-dead-letters"
  alarm_description   = "Jobs in ${var.dead_letter_queue_name}: videos failed after every retry."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = var.dead_letter_queue_name }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_topic
  ok_actions          = local.alarm_topic
}
