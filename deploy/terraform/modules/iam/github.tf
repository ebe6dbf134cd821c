# GitHub Actions deploy role: assumed with the workflow's OIDC token, only from the main branch
# of this repository. It pushes images to the two repositories and reaches the cluster.

data "aws_partition" "current" {}

resource "aws_iam_openid_connect_provider" "github" {
  count = var.create_github_oidc_provider ? 1 : 0

  url            = "https://token.actions.githubusercontent.com"
  client_id_list = ["sts.amazonaws.com"]
  # No thumbprint_list: IAM trusts GitHub's issuer through its own root CA library.
}

data "aws_iam_openid_connect_provider" "github" {
  count = var.create_github_oidc_provider ? 0 : 1

  url = "https://token.actions.githubusercontent.com"
}

locals {
  github_oidc_provider_arn = var.create_github_oidc_provider ? aws_iam_openid_connect_provider.github[0].arn : data.aws_iam_openid_connect_provider.github[0].arn
}

data "aws_iam_policy_document" "github_trust" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [local.github_oidc_provider_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:aud"
      values   = ["sts.amazonaws.com"]
    }

    # Exact match: pull requests, other branches, tags and forks cannot deploy. A job that
    # names a GitHub environment (the deploy job: `environment: prod`) presents that instead
    # of the branch; the environment's protection rules then guard it.
    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:sub"
      values = [
        "repo:${var.github_repository}:ref:refs/heads/main",
        "repo:${var.github_repository}:environment:${var.environment}",
      ]
    }
  }
}

resource "aws_iam_role" "github_deploy" {
  name                 = "kinora-${var.environment}-github-deploy"
  description          = "GitHub Actions (${var.github_repository}, main): push images, deploy to EKS"
  assume_role_policy   = data.aws_iam_policy_document.github_trust.json
  max_session_duration = 3600
}

data "aws_iam_policy_document" "github_deploy" {
  # GetAuthorizationToken is account-wide: AWS accepts only Resource "*" for it.
  statement {
    sid       = "EcrLogin"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  statement {
    sid = "PushImages"
    actions = [
      "ecr:BatchCheckLayerAvailability",
      "ecr:InitiateLayerUpload",
      "ecr:UploadLayerPart",
      "ecr:CompleteLayerUpload",
      "ecr:PutImage",
      "ecr:BatchGetImage",
      "ecr:GetDownloadUrlForLayer",
    ]
    resources = var.ecr_repository_arns
  }

  statement {
    sid       = "Kubeconfig"
    actions   = ["eks:DescribeCluster"]
    resources = [var.cluster_arn]
  }
}

resource "aws_iam_role_policy" "github_deploy" {
  name   = "kinora-${var.environment}-github-deploy"
  role   = aws_iam_role.github_deploy.id
  policy = data.aws_iam_policy_document.github_deploy.json
}

# Inside the cluster the role may administer only the environment's namespace (Deployments,
# Services, Ingress, ConfigMaps, NetworkPolicies, ScaledObjects...). Cluster-scoped objects
# (namespaces, CRDs, the controllers) are installed by an operator.
resource "aws_eks_access_entry" "github_deploy" {
  cluster_name  = var.cluster_name
  principal_arn = aws_iam_role.github_deploy.arn
}

resource "aws_eks_access_policy_association" "github_deploy" {
  cluster_name  = var.cluster_name
  principal_arn = aws_iam_role.github_deploy.arn
  policy_arn    = "arn:${data.aws_partition.current.partition}:eks::aws:cluster-access-policy/AmazonEKSAdminPolicy"

  access_scope {
    type       = "namespace"
    namespaces = coalesce(var.deploy_namespaces, [var.environment])
  }

  depends_on = [aws_eks_access_entry.github_deploy]
}

# `kubectl apply -k` reads every object of the overlay first, the Namespace among them; an
# unchanged one is not written, so reading cluster-scoped objects is enough.
resource "aws_eks_access_policy_association" "github_deploy_view" {
  cluster_name  = var.cluster_name
  principal_arn = aws_iam_role.github_deploy.arn
  policy_arn    = "arn:${data.aws_partition.current.partition}:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy"

  access_scope {
    type = "cluster"
  }

  depends_on = [aws_eks_access_entry.github_deploy]
}
