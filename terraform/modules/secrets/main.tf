# Only the secret containers: their values never pass through Terraform state. The MySQL login is
# written by the bootstrap task, the others by an operator (docs/deploy.md).
resource "aws_secretsmanager_secret" "this" {
  for_each                = var.secrets
  name                    = each.key
  description             = each.value
  recovery_window_in_days = var.recovery_window_in_days
}
