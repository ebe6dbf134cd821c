# Managed node groups in the private subnets (one group spans all three zones). Two identical
# groups, so one can be replaced or upgraded while the other carries the load.

resource "aws_eks_node_group" "this" {
  for_each = var.node_groups

  cluster_name    = aws_eks_cluster.this.name
  node_group_name = each.key
  version         = var.kubernetes_version
  node_role_arn   = aws_iam_role.node.arn
  subnet_ids      = var.private_subnet_ids

  ami_type       = "AL2023_x86_64_STANDARD"
  capacity_type  = "ON_DEMAND"
  instance_types = each.value.instance_types
  disk_size      = each.value.disk_size

  scaling_config {
    desired_size = each.value.desired_size
    min_size     = each.value.min_size
    max_size     = each.value.max_size
  }

  update_config {
    max_unavailable = 1
  }

  labels = {
    "kinora.io/node-group" = each.key
  }

  # A cluster autoscaler may move desired_size between min and max; do not fight it.
  lifecycle {
    ignore_changes = [scaling_config[0].desired_size]
  }

  depends_on = [
    aws_iam_role_policy_attachment.node,
    # Nodes only become Ready once the CNI is there (no self-managed add-ons on this cluster).
    aws_eks_addon.vpc_cni,
    aws_eks_addon.kube_proxy,
  ]
}
