variable "environment" {
  description = "Environment name (prod, staging, dev); part of the queue names."
  type        = string
}

variable "max_receive_count" {
  description = "Attempts a job gets before SQS moves it to the dead-letter queue (the app reads this from the RedrivePolicy)."
  type        = number
  default     = 5
}

variable "visibility_timeout_seconds" {
  description = <<-EOT
    Default visibility timeout of the jobs queue. Kinora's processor asks for its own lease on
    every receive (KINORA_JOB_LEASE_SECONDS) and extends it while a job runs, so this default only
    matters to a consumer that does not: it must then outlast the longest job, i.e. the job
    watchdog (KINORA_JOB_TIMEOUT_SECONDS, 3600 s) plus time to upload the outputs and delete the
    message. 3900 s = 3600 + 300, so a job is never handed to a second worker while the first
    still runs.
  EOT
  type        = number
  default     = 3900

  validation {
    condition     = var.visibility_timeout_seconds > 3600 && var.visibility_timeout_seconds <= 43200
    error_message = "Must exceed the 3600 s job watchdog and stay within SQS's 43200 s limit."
  }
}

variable "message_retention_seconds" {
  description = "How long an unprocessed job waits in the jobs queue (default 4 days)."
  type        = number
  default     = 345600
}
