# Jobs queue (standard: jobs are idempotent, so at-least-once delivery is fine) and its
# dead-letter queue. Both encrypted with SQS-managed keys (SSE-SQS), so producers and consumers
# need no KMS permissions.

resource "aws_sqs_queue" "dead_letter" {
  name                      = "kinora-${var.environment}-jobs-dlq"
  message_retention_seconds = 1209600 # 14 days, the SQS maximum: time to look at what failed
  sqs_managed_sse_enabled   = true
}

resource "aws_sqs_queue" "jobs" {
  name                       = "kinora-${var.environment}-jobs"
  visibility_timeout_seconds = var.visibility_timeout_seconds
  message_retention_seconds  = var.message_retention_seconds
  receive_wait_time_seconds  = 20 # long polling: fewer empty receives, lower cost
  sqs_managed_sse_enabled    = true

  # The app derives both the attempt limit and the DLQ from this policy.
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.dead_letter.arn
    maxReceiveCount     = var.max_receive_count
  })
}

# Only the jobs queue may use the DLQ (a separate resource: the two queues reference each other).
resource "aws_sqs_queue_redrive_allow_policy" "dead_letter" {
  queue_url = aws_sqs_queue.dead_letter.id

  redrive_allow_policy = jsonencode({
    redrivePermission = "byQueue"
    sourceQueueArns   = [aws_sqs_queue.jobs.arn]
  })
}
