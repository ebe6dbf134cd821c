# Bucket policy: refuse any request that is not over TLS. The Deny names s3:* on purpose: a
# wildcard in a Deny only narrows access, and AWS Config's s3-bucket-ssl-requests-only rule looks
# for exactly this statement. Every Allow elsewhere lists its actions.

data "aws_iam_policy_document" "media" {
  statement {
    sid     = "DenyInsecureTransport"
    effect  = "Deny"
    actions = ["s3:*"]
    resources = [
      aws_s3_bucket.media.arn,
      "${aws_s3_bucket.media.arn}/*",
    ]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "media" {
  bucket = aws_s3_bucket.media.id
  policy = data.aws_iam_policy_document.media.json

  # A bucket policy put before the public access block is in place can race with it.
  depends_on = [aws_s3_bucket_public_access_block.media]
}
