# What each role's code calls, and nothing more. Object actions are on bucket/*, ListBucket on
# the bucket (HeadBucket is authorised by s3:ListBucket, and without it a missing key answers 403
# instead of 404). The SQS client resolves the DLQ's URL from the RedrivePolicy at start
# (GetQueueUrl on the DLQ) and reads both queues' depths for /metrics (GetQueueAttributes).

locals {
  objects = "${var.media_bucket_arn}/*"
}

# Gateway: presigns media URLs, reads and re-signs HLS playlists, readiness = HeadBucket.
data "aws_iam_policy_document" "gateway" {
  statement {
    sid       = "ReadMedia"
    actions   = ["s3:GetObject"]
    resources = [local.objects]
  }

  statement {
    sid       = "HeadAndListBucket"
    actions   = ["s3:ListBucket"]
    resources = [var.media_bucket_arn]
  }
}

# Uploader: streams originals in (multipart), writes metadata, undoes a failed upload, deletes
# videos (listing processed/<id>/); enqueues jobs. Probes a stored upload (its head and tail
# ranges) and lists a direct-to-S3 upload's parts (docs/uploads.md); the presigned part URLs it
# hands out act with its PutObject.
data "aws_iam_policy_document" "uploader" {
  statement {
    sid       = "WriteMedia"
    actions   = ["s3:PutObject", "s3:AbortMultipartUpload", "s3:DeleteObject"]
    resources = [local.objects]
  }

  statement {
    sid       = "ReadUploads"
    actions   = ["s3:GetObject", "s3:ListMultipartUploadParts"]
    resources = [local.objects]
  }

  statement {
    sid       = "HeadAndListBucket"
    actions   = ["s3:ListBucket"]
    resources = [var.media_bucket_arn]
  }

  statement {
    sid       = "EnqueueJobs"
    actions   = ["sqs:SendMessage", "sqs:GetQueueAttributes"]
    resources = [var.queue_arn]
  }

  statement {
    sid       = "ResolveQueues"
    actions   = ["sqs:GetQueueUrl"]
    resources = [var.queue_arn, var.dead_letter_queue_arn]
  }

  statement {
    sid       = "DeadLetterDepth"
    actions   = ["sqs:GetQueueAttributes"]
    resources = [var.dead_letter_queue_arn]
  }
}

# Processor: reads originals, writes renditions and metadata, replaces old outputs; consumes
# jobs with leases it extends; peeks the DLQ (receive with zero visibility) to mark videos FAILED.
data "aws_iam_policy_document" "processor" {
  statement {
    sid       = "ReadWriteMedia"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"]
    resources = [local.objects]
  }

  statement {
    sid       = "HeadAndListBucket"
    actions   = ["s3:ListBucket"]
    resources = [var.media_bucket_arn]
  }

  statement {
    sid = "ConsumeJobs"
    actions = [
      "sqs:ReceiveMessage",
      "sqs:DeleteMessage",
      "sqs:ChangeMessageVisibility",
      "sqs:GetQueueAttributes",
    ]
    resources = [var.queue_arn]
  }

  statement {
    sid       = "ResolveQueues"
    actions   = ["sqs:GetQueueUrl"]
    resources = [var.queue_arn, var.dead_letter_queue_arn]
  }

  statement {
    sid       = "PeekDeadLetters"
    actions   = ["sqs:ReceiveMessage", "sqs:GetQueueAttributes"]
    resources = [var.dead_letter_queue_arn]
  }
}

# Analytics: presigns media URLs for /video/{id}; writes nothing but metadata/*.json.
data "aws_iam_policy_document" "analytics" {
  statement {
    sid       = "ReadMedia"
    actions   = ["s3:GetObject"]
    resources = [local.objects]
  }

  statement {
    sid       = "WriteMetadata"
    actions   = ["s3:PutObject"]
    resources = ["${var.media_bucket_arn}/metadata/*"]
  }

  statement {
    sid       = "HeadAndListBucket"
    actions   = ["s3:ListBucket"]
    resources = [var.media_bucket_arn]
  }
}

# KEDA's aws-sqs-queue scaler reads the backlog to scale the processor.
data "aws_iam_policy_document" "keda" {
  statement {
    sid       = "ReadQueueDepth"
    actions   = ["sqs:GetQueueAttributes"]
    resources = [var.queue_arn]
  }
}

# Fluent Bit (aws-for-fluent-bit, cloudwatch_logs output) ships container logs into the
# application log group that Terraform created; it may not create groups of its own.
data "aws_iam_policy_document" "fluent_bit" {
  statement {
    sid       = "ShipLogs"
    actions   = ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"]
    resources = [var.app_log_group_arn, "${var.app_log_group_arn}:*"]
  }
}
