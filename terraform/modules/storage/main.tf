data "aws_caller_identity" "current" {}

data "aws_elb_service_account" "current" {}

locals {
  # Every bucket of the platform, the access-log bucket included, gets the same baseline.
  all_buckets = merge(var.buckets, { (var.access_log_bucket) = var.access_log_expiration_days })

  # The landing bucket holds users' files at its top level and the platform's zones under the
  # prefixes of facturas_assets/pipeline/keys.py. S3 lifecycle filters select by prefix, tag or
  # size, never "keys without a slash", so no rule can expire the top-level landing files alone:
  # the old bucket-wide 90-day expiry also deleted the immutable raw zone, the quarantine and
  # the batch manifests. So this bucket has no bucket-wide expiry, and each zone is decided here:
  landing_zones = {
    # Immutable originals and rejected files: kept forever, colder after a month (read on re-runs).
    "raw/"        = { expire_days = null, infrequent_access_days = 30 }
    "quarantine/" = { expire_days = null, infrequent_access_days = 30 }
    # Manifests and per-stage Parquet: kept forever, and small (IA bills 128 KB per object).
    "batches/" = { expire_days = null, infrequent_access_days = null }
    # A cache of reading results by sha256 and reader version: redone when missing.
    "read/" = { expire_days = 90, infrequent_access_days = null }
  }
  # Landing files themselves need no expiry: intake removes each one once it is copied into
  # raw/, and what it leaves (hidden names, sub-folders) waits for a person, never deleted unseen.
  landing_zone_rules = {
    for prefix, zone in local.landing_zones : prefix => zone
    if zone.expire_days != null || zone.infrequent_access_days != null
  }
}

resource "aws_s3_bucket" "this" {
  for_each = local.all_buckets
  bucket   = each.key
}

resource "aws_s3_bucket_versioning" "this" {
  for_each = aws_s3_bucket.this
  bucket   = each.value.id
  versioning_configuration {
    status = "Enabled"
  }
}

# SSE-S3 (AES256), as the design states; it is also the only encryption ALB log delivery accepts.
resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  for_each = aws_s3_bucket.this
  bucket   = each.value.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_public_access_block" "this" {
  for_each                = aws_s3_bucket.this
  bucket                  = each.value.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "this" {
  for_each = aws_s3_bucket.this
  bucket   = each.value.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "this" {
  for_each = local.all_buckets
  bucket   = aws_s3_bucket.this[each.key].id

  # Current objects expire bucket-wide only where the design says so (MLflow 180 d, drift 30 d);
  # the landing bucket's expiry is per zone (landing_zones above).
  dynamic "rule" {
    for_each = each.value == null ? [] : [each.value]
    content {
      id     = "expire-current"
      status = "Enabled"
      filter {}
      expiration {
        days = rule.value
      }
      abort_incomplete_multipart_upload {
        days_after_initiation = 7
      }
    }
  }

  dynamic "rule" {
    for_each = each.key == var.landing_bucket ? local.landing_zone_rules : {}
    content {
      id     = "zone-${trimsuffix(rule.key, "/")}"
      status = "Enabled"
      filter {
        prefix = rule.key
      }
      dynamic "transition" {
        for_each = rule.value.infrequent_access_days == null ? [] : [rule.value.infrequent_access_days]
        content {
          days          = transition.value
          storage_class = "STANDARD_IA"
        }
      }
      dynamic "expiration" {
        for_each = rule.value.expire_days == null ? [] : [rule.value.expire_days]
        content {
          days = expiration.value
        }
      }
    }
  }

  # Only versions already overwritten or deleted (a deliberate act; raw/ is never overwritten)
  # go after this many days, in every bucket.
  rule {
    id     = "tidy-versions-and-uploads"
    status = "Enabled"
    filter {}
    noncurrent_version_expiration {
      noncurrent_days = var.noncurrent_version_expiration_days
    }
    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }

  depends_on = [aws_s3_bucket_versioning.this]
}

resource "aws_s3_bucket_logging" "this" {
  for_each      = var.buckets
  bucket        = aws_s3_bucket.this[each.key].id
  target_bucket = aws_s3_bucket.this[var.access_log_bucket].id
  target_prefix = "s3/${each.key}/"
}

# TLS only, for every bucket.
data "aws_iam_policy_document" "bucket" {
  for_each = local.all_buckets

  statement {
    sid     = "DenyInsecureTransport"
    effect  = "Deny"
    actions = ["s3:*"]
    resources = [
      aws_s3_bucket.this[each.key].arn,
      "${aws_s3_bucket.this[each.key].arn}/*",
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

  # The access-log bucket accepts S3 server access logs and the ALB's access logs.
  dynamic "statement" {
    for_each = each.key == var.access_log_bucket ? [1] : []
    content {
      sid       = "S3ServerAccessLogs"
      actions   = ["s3:PutObject"]
      resources = ["${aws_s3_bucket.this[each.key].arn}/s3/*"]
      principals {
        type        = "Service"
        identifiers = ["logging.s3.amazonaws.com"]
      }
      condition {
        test     = "StringEquals"
        variable = "aws:SourceAccount"
        values   = [data.aws_caller_identity.current.account_id]
      }
    }
  }

  dynamic "statement" {
    for_each = each.key == var.access_log_bucket ? [1] : []
    content {
      sid       = "AlbAccessLogs"
      actions   = ["s3:PutObject"]
      resources = ["${aws_s3_bucket.this[each.key].arn}/alb/AWSLogs/${data.aws_caller_identity.current.account_id}/*"]
      principals {
        type        = "AWS"
        identifiers = [data.aws_elb_service_account.current.arn]
      }
    }
  }
}

resource "aws_s3_bucket_policy" "this" {
  for_each   = local.all_buckets
  bucket     = aws_s3_bucket.this[each.key].id
  policy     = data.aws_iam_policy_document.bucket[each.key].json
  depends_on = [aws_s3_bucket_public_access_block.this]
}
