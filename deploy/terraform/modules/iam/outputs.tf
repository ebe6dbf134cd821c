output "irsa_role_arns" {
  description = "IRSA role ARNs by role (gateway, uploader, processor, analytics, keda, aws-load-balancer-controller, fluent-bit): the eks.amazonaws.com/role-arn annotations."
  value       = { for role, r in aws_iam_role.irsa : role => r.arn }
}

output "github_deploy_role_arn" {
  description = "Role the GitHub Actions workflow assumes (aws-actions/configure-aws-credentials role-to-assume)."
  value       = aws_iam_role.github_deploy.arn
}
