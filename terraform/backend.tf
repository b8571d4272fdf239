# Remote state in S3, locked with S3's native lock file (no DynamoDB table needed).
# Partial configuration: bucket, key and region come from a backend config file kept out of the
# repository, see backend.hcl.example and docs/deploy.md:
#   terraform init -backend-config=backend.hcl
terraform {
  backend "s3" {
    encrypt      = true
    use_lockfile = true
  }
}
