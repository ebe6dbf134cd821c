# Where alarms go, and where the application's logs land.

resource "aws_sns_topic" "alarms" {
  name = "kinora-${var.environment}-alarms"
  # Not KMS-encrypted: CloudWatch alarms cannot publish to a topic under the AWS-managed SNS key,
  # and alarm notifications carry no sensitive data.
}

resource "aws_sns_topic_subscription" "email" {
  count = var.alarm_email == null ? 0 : 1

  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = var.alarm_email
}

# Container logs of every Kinora pod (JSON lines), shipped by Fluent Bit with its IRSA role.
resource "aws_cloudwatch_log_group" "app" {
  name              = "/kinora/${var.environment}/app"
  retention_in_days = var.log_retention_days
}
