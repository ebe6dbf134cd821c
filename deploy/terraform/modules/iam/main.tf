# IRSA: one IAM role per Kubernetes service account, each trusting only that service account
# (sub) and tokens minted for STS (aud), with a policy listing exactly the actions that role's
# code calls.

locals {
  # role => the service account allowed to assume kinora-<env>-<role>
  service_accounts = {
    gateway                        = { namespace = var.environment, name = "kinora-gateway" }
    uploader                       = { namespace = var.environment, name = "kinora-uploader" }
    processor                      = { namespace = var.environment, name = "kinora-processor" }
    analytics                      = { namespace = var.environment, name = "kinora-analytics" }
    keda                           = { namespace = "keda", name = "keda-operator" }
    "aws-load-balancer-controller" = { namespace = "kube-system", name = "aws-load-balancer-controller" }
    "fluent-bit"                   = { namespace = "amazon-cloudwatch", name = "fluent-bit" }
  }

  policies = {
    gateway   = data.aws_iam_policy_document.gateway.json
    uploader  = data.aws_iam_policy_document.uploader.json
    processor = data.aws_iam_policy_document.processor.json
    analytics = data.aws_iam_policy_document.analytics.json
    keda      = data.aws_iam_policy_document.keda.json
    # Published by the controller's maintainers (docs/install/iam_policy.json); copied verbatim.
    "aws-load-balancer-controller" = file("${path.module}/aws-load-balancer-controller-policy.json")
    "fluent-bit"                   = data.aws_iam_policy_document.fluent_bit.json
  }
}

data "aws_iam_policy_document" "irsa_trust" {
  for_each = local.service_accounts

  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [var.oidc_provider_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "${var.oidc_issuer}:sub"
      values   = ["system:serviceaccount:${each.value.namespace}:${each.value.name}"]
    }

    condition {
      test     = "StringEquals"
      variable = "${var.oidc_issuer}:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "irsa" {
  for_each = local.service_accounts

  name               = "kinora-${var.environment}-${each.key}"
  description        = "IRSA role of ${each.value.namespace}/${each.value.name}"
  assume_role_policy = data.aws_iam_policy_document.irsa_trust[each.key].json
}

resource "aws_iam_role_policy" "irsa" {
  for_each = local.service_accounts

  name   = "kinora-${var.environment}-${each.key}"
  role   = aws_iam_role.irsa[each.key].id
  policy = local.policies[each.key]
}
