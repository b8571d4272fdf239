output "ids" {
  description = "Security group IDs by role: alb, ecs, api, code_server, mlflow, mwaa, rds."
  value       = { for k, g in aws_security_group.this : k => g.id }
}

output "ingress" {
  description = "The inbound rules: group, port and where traffic may come from."
  value = {
    for k, r in local.ingress : k => {
      group  = r.group
      port   = r.port
      source = r.self ? r.group : coalesce(r.source, r.cidr)
    }
  }
}
