output "bucket_name" {
  description = "Name of the media bucket (S3_BUCKET)."
  value       = aws_s3_bucket.media.bucket
}

output "bucket_arn" {
  description = "ARN of the media bucket."
  value       = aws_s3_bucket.media.arn
}

output "bucket_regional_domain_name" {
  description = "Regional domain name of the bucket (presigned URLs point here)."
  value       = aws_s3_bucket.media.bucket_regional_domain_name
}
