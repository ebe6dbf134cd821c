# Media bucket: originals (videos/), renditions (processed/), metadata/*.json. Private, encrypted
# with S3-managed keys (SSE-S3: the IRSA roles need no KMS permissions, and presigned GETs just
# work), versioned so a bad delete or overwrite can be undone.

data "aws_caller_identity" "current" {}

resource "aws_s3_bucket" "media" {
  # The account ID makes the name globally unique and tells accounts apart.
  bucket        = "kinora-${var.environment}-media-${data.aws_caller_identity.current.account_id}"
  force_destroy = var.force_destroy
}

resource "aws_s3_bucket_ownership_controls" "media" {
  bucket = aws_s3_bucket.media.id

  rule {
    object_ownership = "BucketOwnerEnforced" # ACLs off: access is decided by IAM alone
  }
}

resource "aws_s3_bucket_public_access_block" "media" {
  bucket = aws_s3_bucket.media.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "media" {
  bucket = aws_s3_bucket.media.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_versioning" "media" {
  bucket = aws_s3_bucket.media.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "media" {
  bucket = aws_s3_bucket.media.id

  # An upload that dies mid-way (a tus upload, or a browser's direct-to-S3 one never completed
  # nor aborted) leaves parts that are billed but invisible; drop them after a day.
  rule {
    id     = "abort-incomplete-multipart-uploads"
    status = "Enabled"

    filter {}

    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }

  # Versioning keeps overwritten and deleted objects; keep them long enough to undo mistakes,
  # not for ever (every re-transcode replaces whole renditions).
  rule {
    id     = "expire-noncurrent-versions"
    status = "Enabled"

    filter {}

    noncurrent_version_expiration {
      noncurrent_days = var.noncurrent_version_expiration_days
    }

    expiration {
      expired_object_delete_marker = true
    }
  }

  depends_on = [aws_s3_bucket_versioning.media]
}

resource "aws_s3_bucket_cors_configuration" "media" {
  bucket = aws_s3_bucket.media.id

  cors_rule {
    allowed_methods = ["GET", "HEAD"]
    allowed_origins = var.cors_allowed_origins
    allowed_headers = ["*"]
    # Range requests: the player seeks in the MP4 and hls.js reads byte ranges.
    expose_headers  = ["Accept-Ranges", "Content-Range", "Content-Length", "Content-Type", "ETag"]
    max_age_seconds = 3600
  }

  # Direct-to-S3 uploads (docs/uploads.md): the browser PUTs each part to a presigned UploadPart
  # URL and must read the part's ETag to complete the upload.
  cors_rule {
    allowed_methods = ["PUT"]
    allowed_origins = var.cors_allowed_origins
    allowed_headers = ["*"]
    expose_headers  = ["ETag"]
    max_age_seconds = 3600
  }
}
