# GuardDuty for the account and region: threat detection on the EKS audit log, runtime
# monitoring of the nodes' containers (the agent is installed and updated as an EKS add-on by
# GuardDuty itself), and S3 data events on the media bucket. One detector per account and
# region: an environment sharing an account with another sets enable_guardduty = false.

resource "aws_guardduty_detector" "this" {
  enable                       = true
  finding_publishing_frequency = var.finding_publishing_frequency
}

resource "aws_guardduty_detector_feature" "eks_audit_logs" {
  detector_id = aws_guardduty_detector.this.id
  name        = "EKS_AUDIT_LOGS"
  status      = "ENABLED"
}

resource "aws_guardduty_detector_feature" "s3_data_events" {
  detector_id = aws_guardduty_detector.this.id
  name        = "S3_DATA_EVENTS"
  status      = "ENABLED"
}

# RUNTIME_MONITORING supersedes EKS_RUNTIME_MONITORING (the API refuses both at once).
resource "aws_guardduty_detector_feature" "runtime_monitoring" {
  detector_id = aws_guardduty_detector.this.id
  name        = "RUNTIME_MONITORING"
  status      = "ENABLED"

  additional_configuration {
    name   = "EKS_ADDON_MANAGEMENT"
    status = "ENABLED"
  }
}
