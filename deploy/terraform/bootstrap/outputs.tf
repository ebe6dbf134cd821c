output "state_bucket" {
  description = "Bucket for the environments' backend \"s3\" blocks."
  value       = aws_s3_bucket.state.bucket
}
