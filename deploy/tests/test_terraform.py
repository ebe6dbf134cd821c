"""Static checks of deploy/terraform: the AWS shape Kinora needs, read from the HCL itself.

Every .tf file is parsed by HashiCorp's HCL parser (@cdktf/hcl2json, run by hcl2json.mjs), so
the checks see exactly what terraform sees; expressions stay as "${...}" strings. No provider is
downloaded and nothing talks to AWS. Run from the repository root:

    npm ci --prefix deploy/tests
    /usr/bin/python3 -m pytest -q -p no:cacheprovider deploy/tests/test_terraform.py
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
TERRAFORM = REPO / "deploy" / "terraform"
TESTS = REPO / "deploy" / "tests"
MODULES = TERRAFORM / "modules"
PROD = TERRAFORM / "environments" / "prod"

EXPECTED_MODULES = {
    "network", "eks", "storage", "queue", "ecr", "iam", "database", "observability", "guardduty",
}


# --------------------------------------------------------------------------------------------
# Loading


class Module:
    """All blocks of one Terraform module (one directory), merged across its .tf files."""

    def __init__(self, directory: Path):
        self.dir = directory
        self.files: list[str] = []
        self.terraform: list[dict] = []
        self.resources: dict[tuple[str, str], dict] = {}
        self.data: dict[tuple[str, str], dict] = {}
        self.variables: dict[str, dict] = {}
        self.outputs: dict[str, dict] = {}
        self.locals: dict[str, object] = {}
        self.calls: dict[str, dict] = {}
        self.providers: dict[str, list[dict]] = {}

    def add(self, name: str, parsed: dict) -> None:
        self.files.append(name)
        self.terraform += parsed.get("terraform", [])
        for kind, target in (("resource", self.resources), ("data", self.data)):
            for rtype, named in parsed.get(kind, {}).items():
                for rname, bodies in named.items():
                    assert (rtype, rname) not in target, f"{self.rel}: {kind} {rtype}.{rname} twice"
                    target[(rtype, rname)] = bodies[0]
        for vname, bodies in parsed.get("variable", {}).items():
            self.variables[vname] = bodies[0]
        for oname, bodies in parsed.get("output", {}).items():
            self.outputs[oname] = bodies[0]
        for block in parsed.get("locals", []):
            self.locals.update(block)
        for mname, bodies in parsed.get("module", {}).items():
            self.calls[mname] = bodies[0]
        for pname, bodies in parsed.get("provider", {}).items():
            self.providers.setdefault(pname, []).extend(bodies)

    @property
    def rel(self) -> str:
        return str(self.dir.relative_to(REPO))

    def resource(self, rtype: str, name: str | None = None) -> dict:
        found = {n: b for (t, n), b in self.resources.items() if t == rtype}
        assert found, f"{self.rel}: no {rtype} resource"
        if name is None:
            assert len(found) == 1, f"{self.rel}: expected one {rtype}, found {sorted(found)}"
            return next(iter(found.values()))
        assert name in found, f"{self.rel}: no {rtype}.{name} (have {sorted(found)})"
        return found[name]

    def all(self, rtype: str) -> dict[str, dict]:
        return {n: b for (t, n), b in self.resources.items() if t == rtype}

    def default(self, var: str):
        assert var in self.variables, f"{self.rel}: no variable {var}"
        return self.variables[var].get("default")

    def local_string(self, text: str) -> str:
        """Replaces ${local.NAME} by the local's value where that value is a plain string."""
        def sub(m: re.Match) -> str:
            value = self.locals.get(m.group(1))
            return value if isinstance(value, str) else m.group(0)
        return re.sub(r"\$\{local\.([A-Za-z0-9_]+)\}", sub, text)


@pytest.fixture(scope="session")
def parsed() -> dict[str, dict]:
    if not (TESTS / "node_modules" / "@cdktf" / "hcl2json").is_dir():
        pytest.fail("deploy/tests/node_modules is missing: run `npm ci --prefix deploy/tests` first")
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not on PATH: it runs deploy/tests/hcl2json.mjs")
    run = subprocess.run(
        [node, "deploy/tests/hcl2json.mjs", "deploy/terraform"],
        cwd=REPO, capture_output=True, text=True, timeout=120,
    )
    assert run.returncode == 0, f"hcl2json failed (HCL syntax error?):\n{run.stderr}"
    return json.loads(run.stdout)


@pytest.fixture(scope="session")
def modules(parsed) -> dict[Path, Module]:
    out: dict[Path, Module] = {}
    for name, body in parsed.items():
        directory = (REPO / name).parent
        out.setdefault(directory, Module(directory)).add(Path(name).name, body)
    return out


@pytest.fixture(scope="session")
def mod(modules):
    def get(name: str) -> Module:
        path = MODULES / name
        assert path in modules, f"missing module deploy/terraform/modules/{name}"
        return modules[path]
    return get


@pytest.fixture(scope="session")
def prod(modules) -> Module:
    assert PROD in modules, "missing root module deploy/terraform/environments/prod"
    return modules[PROD]


def roots(modules: dict[Path, Module]) -> list[Module]:
    return [m for p, m in modules.items() if MODULES not in p.parents]


def effective(root: Module, call: str, module: Module, var: str):
    """Value a module variable gets from the prod root: the argument if passed, else its default."""
    args = root.calls[call]
    return args[var] if var in args else module.default(var)


def ref(text: str) -> str:
    return "${" + text + "}"


def as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


# --------------------------------------------------------------------------------------------
# Layout, versions, backend


def test_layout_has_a_module_per_concern_and_a_prod_root(modules):
    present = {p.name for p in modules if p.parent == MODULES}
    assert EXPECTED_MODULES <= present, f"missing modules: {sorted(EXPECTED_MODULES - present)}"
    for name in sorted(present):
        files = set(modules[MODULES / name].files)
        missing = {"main.tf", "variables.tf", "outputs.tf", "versions.tf"} - files
        assert not missing, f"modules/{name} lacks {sorted(missing)}"
    assert PROD in modules, "deploy/terraform/environments/prod must exist"


def test_only_local_modules_are_used(modules):
    for m in modules.values():
        for name, call in m.calls.items():
            source = call.get("source", "")
            assert source.startswith("../"), (
                f"{m.rel}: module {name} uses {source!r}; only our own modules (no registry "
                "modules), so these tests see every resource")


def test_every_module_and_root_pins_terraform_and_providers(modules):
    for m in modules.values():
        assert m.terraform, f"{m.rel}: no terraform block"
        required_version = [t["required_version"] for t in m.terraform if "required_version" in t]
        assert required_version and required_version[0].startswith(">="), (
            f"{m.rel}: set required_version (>= 1.10)")
        declared: dict[str, dict] = {}
        for t in m.terraform:
            for block in t.get("required_providers", []):
                declared.update(block)
        used = {t.split("_", 1)[0] for t, _ in list(m.resources) + list(m.data)}
        for provider in used:
            assert provider in declared, f"{m.rel}: uses {provider} but required_providers lacks it"
        for provider, spec in declared.items():
            assert spec.get("source") == f"hashicorp/{provider}", (
                f"{m.rel}: provider {provider} must come from hashicorp/{provider}")
            assert re.fullmatch(r"~> \d+\.\d+(\.\d+)?", spec.get("version", "")), (
                f"{m.rel}: pin provider {provider} with ~> (got {spec.get('version')!r})")
        if "aws" in declared:
            major = int(declared["aws"]["version"].split()[1].split(".")[0])
            assert major in (5, 6), f"{m.rel}: hashicorp/aws must be 5.x or 6.x"


def test_environment_roots_keep_state_in_s3_encrypted_and_locked(modules):
    env_roots = [m for p, m in modules.items() if p.parent == TERRAFORM / "environments"]
    assert env_roots, "no environment roots"
    for m in env_roots:
        backends = [b for t in m.terraform for b in as_list(t.get("backend"))]
        assert len(backends) == 1 and list(backends[0]) == ["s3"], f"{m.rel}: needs backend \"s3\""
        s3 = backends[0]["s3"][0]
        for key in ("bucket", "key", "region"):
            assert s3.get(key), f"{m.rel}: backend s3 lacks {key}"
        assert s3.get("encrypt") is True, f"{m.rel}: backend s3 needs encrypt = true"
        assert s3.get("use_lockfile") is True or s3.get("dynamodb_table"), (
            f"{m.rel}: backend s3 needs locking (use_lockfile = true or dynamodb_table)")
        version = next(t["required_version"] for t in m.terraform if "required_version" in t)
        assert version == ">= 1.10", f"{m.rel}: S3 native locking needs terraform >= 1.10"


META_ARGUMENTS = {"source", "version", "count", "for_each", "depends_on", "providers"}


def test_references_resolve(modules):
    """A small stand-in for `terraform validate` (which needs the providers): every var., local.,
    module. and resource reference names something that exists, and every module call passes
    exactly variables its module declares, including all the required ones."""
    ref_re = re.compile(r"(?<![\w.])(var|local|module|data)\.([A-Za-z_][\w-]*)(?:\.([A-Za-z_][\w-]*))?")
    resource_re = re.compile(r"(?<![\w.:/-])((?:aws|tls)_[a-z0-9_]+)\.([A-Za-z_][\w-]*)")
    problems = []
    for m in modules.values():
        texts = [t for t in _strings([m.resources, m.data, m.outputs, m.locals, m.calls,
                                      m.variables, m.providers]) if "${" in t]
        for text in texts:
            for kind, name, attr in ref_re.findall(text):
                if kind == "var" and name not in m.variables:
                    problems.append(f"{m.rel}: var.{name} is not declared")
                elif kind == "local" and name not in m.locals:
                    problems.append(f"{m.rel}: local.{name} is not defined")
                elif kind == "data" and (name, attr) not in m.data:
                    problems.append(f"{m.rel}: data.{name}.{attr} does not exist")
                elif kind == "module":
                    if name not in m.calls:
                        problems.append(f"{m.rel}: module.{name} is not called")
                        continue
                    target = modules.get((m.dir / m.calls[name]["source"]).resolve())
                    if target is not None and attr not in target.outputs:
                        problems.append(f"{m.rel}: module.{name} has no output {attr}")
            for rtype, name in resource_re.findall(re.sub(r"data\.(?:aws|tls)_[a-z0-9_]+\.", "", text)):
                if (rtype, name) not in m.resources:
                    problems.append(f"{m.rel}: {rtype}.{name} does not exist")
        for name, call in m.calls.items():
            target = modules.get((m.dir / call["source"]).resolve())
            if target is None:
                problems.append(f"{m.rel}: module {name}: no module at {call['source']}")
                continue
            for arg in set(call) - META_ARGUMENTS:
                if arg not in target.variables:
                    problems.append(f"{m.rel}: module {name} passes {arg}, not a variable there")
            for var, body in target.variables.items():
                if "default" not in body and var not in call:
                    problems.append(f"{m.rel}: module {name} does not pass required {var}")
    assert not problems, "\n".join(problems)


def test_variables_have_descriptions_and_types(modules):
    for m in modules.values():
        for name, body in m.variables.items():
            assert body.get("description"), f"{m.rel}: variable {name} has no description"
            assert body.get("type"), f"{m.rel}: variable {name} has no type"


def test_prod_defaults(prod):
    assert prod.default("region") == "us-east-1"
    assert prod.default("environment") == "prod"


# --------------------------------------------------------------------------------------------
# Network


def test_vpc_and_subnets_over_three_zones(prod, mod):
    net = mod("network")
    assert effective(prod, "network", net, "vpc_cidr") == "10.0.0.0/16"
    assert effective(prod, "network", net, "public_subnet_cidrs") == [
        "10.0.101.0/24", "10.0.102.0/24", "10.0.103.0/24"]
    assert effective(prod, "network", net, "private_subnet_cidrs") == [
        "10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/24"]

    vpc = net.resource("aws_vpc")
    assert vpc["cidr_block"] == ref("var.vpc_cidr")
    assert vpc["enable_dns_support"] is True and vpc["enable_dns_hostnames"] is True

    assert net.locals.get("az_count") == 3, "the network spans exactly three availability zones"
    three = ref("local.az_count")
    public = net.resource("aws_subnet", "public")
    private = net.resource("aws_subnet", "private")
    for kind, subnet in (("public", public), ("private", private)):
        assert subnet["count"] == three, f"one {kind} subnet per AZ"
        assert subnet["cidr_block"] == ref(f"var.{kind}_subnet_cidrs[count.index]")
        assert subnet["availability_zone"] == ref("local.azs[count.index]")
    assert public["map_public_ip_on_launch"] is True
    assert public["tags"].get("kubernetes.io/role/elb") == "1"
    assert private["tags"].get("kubernetes.io/role/internal-elb") == "1"
    assert "map_public_ip_on_launch" not in private or private["map_public_ip_on_launch"] is False

    igw = net.resource("aws_internet_gateway")
    assert igw["vpc_id"] == ref("aws_vpc.this.id")
    public_rt = net.resource("aws_route_table", "public")
    assert public_rt["route"][0]["gateway_id"] == ref("aws_internet_gateway.this.id")


def test_one_nat_gateway_per_zone_and_private_routes_through_their_own(mod):
    net = mod("network")
    three = ref("local.az_count")
    assert net.resource("aws_eip", "nat")["count"] == three
    nat = net.resource("aws_nat_gateway")
    assert nat["count"] == three, "one NAT gateway per AZ"
    assert nat["allocation_id"] == ref("aws_eip.nat[count.index].id")
    assert nat["subnet_id"] == ref("aws_subnet.public[count.index].id"), "NAT lives in a public subnet"

    private_rt = net.resource("aws_route_table", "private")
    assert private_rt["count"] == three, "one private route table per AZ"
    default_routes = [r for r in private_rt["route"] if r.get("cidr_block") == "0.0.0.0/0"]
    assert default_routes and default_routes[0].get("nat_gateway_id") == ref(
        "aws_nat_gateway.this[count.index].id"), "each private subnet leaves through its AZ's NAT"
    assoc = net.resource("aws_route_table_association", "private")
    assert assoc["count"] == three
    assert assoc["subnet_id"] == ref("aws_subnet.private[count.index].id")
    assert assoc["route_table_id"] == ref("aws_route_table.private[count.index].id")


def test_s3_gateway_endpoint(mod):
    endpoint = mod("network").resource("aws_vpc_endpoint", "s3")
    assert endpoint["vpc_endpoint_type"] == "Gateway"
    assert endpoint["service_name"].endswith(".s3")


# --------------------------------------------------------------------------------------------
# EKS


def test_eks_cluster_is_private_encrypted_and_logged(prod, mod):
    eks = mod("eks")
    cluster = eks.resource("aws_eks_cluster")
    assert effective(prod, "eks", eks, "kubernetes_version") == "1.33"
    assert cluster["version"] == ref("var.kubernetes_version")

    vpc = cluster["vpc_config"][0]
    assert vpc["endpoint_private_access"] is True
    public = vpc["endpoint_public_access"]
    if public is not False:
        # Public only when someone lists allowed CIDRs, and nobody does by default.
        assert public == ref("length(var.public_access_cidrs) > 0"), public
        assert eks.default("public_access_cidrs") == []
        assert prod.calls["eks"]["public_access_cidrs"] == ref("var.eks_public_access_cidrs")
        assert prod.default("eks_public_access_cidrs") == []
    assert vpc["subnet_ids"] == ref("var.private_subnet_ids")
    assert prod.calls["eks"]["private_subnet_ids"] == ref("module.network.private_subnet_ids")

    assert cluster["encryption_config"][0]["resources"] == ["secrets"]
    assert set(cluster["enabled_cluster_log_types"]) >= {"api", "audit", "authenticator"}
    log_group = eks.resource("aws_cloudwatch_log_group", "cluster")
    assert log_group["name"] == "/aws/eks/${var.cluster_name}/cluster"
    assert isinstance(log_group["retention_in_days"], (int, str))

    role = eks.resource("aws_iam_role", "cluster")
    assert cluster["role_arn"] == ref("aws_iam_role.cluster.arn") and role


def test_eks_oidc_provider_for_irsa(mod):
    eks = mod("eks")
    oidc = eks.resource("aws_iam_openid_connect_provider")
    assert oidc["url"] == ref("aws_eks_cluster.this.identity[0].oidc[0].issuer")
    assert oidc["client_id_list"] == ["sts.amazonaws.com"]
    assert "oidc_provider_arn" in eks.outputs


def test_two_node_groups_sized_and_typed(prod, mod):
    eks = mod("eks")
    groups = prod.calls["eks"]["node_groups"]
    assert set(groups) == {"general-1", "general-2"}, groups
    for name, g in groups.items():
        assert (g["desired_size"], g["min_size"], g["max_size"]) == (4, 3, 5), (name, g)
        assert g["instance_types"] == ["t3.medium", "t3.large", "t3a.medium"], (name, g)

    ng = eks.resource("aws_eks_node_group")
    assert ng["for_each"] == ref("var.node_groups")
    assert ng["node_group_name"] == ref("each.key")
    assert ng["ami_type"] == "AL2023_x86_64_STANDARD"
    assert ng["instance_types"] == ref("each.value.instance_types")
    scaling = ng["scaling_config"][0]
    assert scaling == {
        "desired_size": ref("each.value.desired_size"),
        "min_size": ref("each.value.min_size"),
        "max_size": ref("each.value.max_size"),
    }
    assert ng["subnet_ids"] == ref("var.private_subnet_ids"), "nodes live in the private subnets"

    attachments = eks.resource("aws_iam_role_policy_attachment", "node")
    assert ng["node_role_arn"] == ref("aws_iam_role.node.arn")
    policies = re.findall(r'"([A-Za-z0-9_]+)"', attachments["for_each"])
    assert set(policies) == {
        "AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy", "AmazonEC2ContainerRegistryReadOnly",
    }, attachments["for_each"]
    assert attachments["role"] == ref("aws_iam_role.node.name")


def test_eks_addons(mod):
    addons = {a["addon_name"] for a in mod("eks").all("aws_eks_addon").values()}
    assert addons == {"coredns", "kube-proxy", "vpc-cni", "eks-pod-identity-agent"}, addons


# --------------------------------------------------------------------------------------------
# Storage


def test_media_bucket_is_private_encrypted_versioned(mod):
    s3 = mod("storage")
    bucket = s3.resource("aws_s3_bucket", "media")
    assert bucket["bucket"] == (
        "kinora-${var.environment}-media-${data.aws_caller_identity.current.account_id}")

    sse = s3.resource("aws_s3_bucket_server_side_encryption_configuration")
    rule = sse["rule"][0]["apply_server_side_encryption_by_default"][0]
    assert rule["sse_algorithm"] == "AES256", "SSE-S3"

    versioning = s3.resource("aws_s3_bucket_versioning")
    assert versioning["versioning_configuration"][0]["status"] == "Enabled"

    pab = s3.resource("aws_s3_bucket_public_access_block")
    for flag in ("block_public_acls", "block_public_policy", "ignore_public_acls",
                 "restrict_public_buckets"):
        assert pab.get(flag) is True, f"public access block: {flag} must be true"

    ownership = s3.resource("aws_s3_bucket_ownership_controls")
    assert ownership["rule"][0]["object_ownership"] == "BucketOwnerEnforced"


def test_media_bucket_lifecycle(mod):
    rules = mod("storage").resource("aws_s3_bucket_lifecycle_configuration")["rule"]
    aborts = [r["abort_incomplete_multipart_upload"][0]["days_after_initiation"]
              for r in rules if r.get("status") == "Enabled" and "abort_incomplete_multipart_upload" in r]
    assert aborts == [1], "abort incomplete multipart uploads after 1 day"
    noncurrent = [r for r in rules if r.get("status") == "Enabled" and "noncurrent_version_expiration" in r]
    assert noncurrent, "expire noncurrent versions"
    assert mod("storage").default("noncurrent_version_expiration_days") == 30


def test_media_bucket_cors_and_tls_only_policy(prod, mod):
    s3 = mod("storage")
    cors = s3.resource("aws_s3_bucket_cors_configuration")["cors_rule"][0]
    assert set(cors["allowed_methods"]) == {"GET", "HEAD"}
    assert cors["allowed_origins"] == ref("var.cors_allowed_origins")
    assert "Content-Range" in cors["expose_headers"] and "Accept-Ranges" in cors["expose_headers"]
    assert prod.calls["storage"]["cors_allowed_origins"] == ref("var.site_origins")
    # Direct-to-S3 uploads: the browser PUTs parts and reads their ETags.
    put = s3.resource("aws_s3_bucket_cors_configuration")["cors_rule"][1]
    assert put["allowed_methods"] == ["PUT"] and put["expose_headers"] == ["ETag"]
    assert put["allowed_origins"] == ref("var.cors_allowed_origins")

    policy = s3.resource("aws_s3_bucket_policy")
    assert policy["policy"] == ref("data.aws_iam_policy_document.media.json")
    statements = s3.data[("aws_iam_policy_document", "media")]["statement"]
    deny = [s for s in statements if s.get("effect") == "Deny"]
    assert deny, "the bucket policy denies requests without TLS"
    condition = deny[0]["condition"][0]
    assert (condition["variable"], condition["values"]) == ("aws:SecureTransport", ["false"])


# --------------------------------------------------------------------------------------------
# Queue


def test_jobs_queue_with_dead_letter_queue(prod, mod):
    q = mod("queue")
    jobs = q.resource("aws_sqs_queue", "jobs")
    dlq = q.resource("aws_sqs_queue", "dead_letter")
    assert jobs["name"] == "kinora-${var.environment}-jobs"
    assert dlq["name"] == "kinora-${var.environment}-jobs-dlq"

    redrive = jobs["redrive_policy"]
    assert "jsonencode" in redrive
    assert re.search(r"deadLetterTargetArn\s*=\s*aws_sqs_queue\.dead_letter\.arn", redrive), redrive
    m = re.search(r"maxReceiveCount\s*=\s*([^\s,}]+)", redrive)
    assert m and m.group(1) == "var.max_receive_count", redrive
    assert effective(prod, "queue", q, "max_receive_count") == 5

    assert jobs["visibility_timeout_seconds"] == ref("var.visibility_timeout_seconds")
    visibility = effective(prod, "queue", q, "visibility_timeout_seconds")
    assert visibility > 3600, "visibility timeout must outlast the 3600 s job watchdog"
    assert jobs["receive_wait_time_seconds"] == 20
    assert jobs["sqs_managed_sse_enabled"] is True and dlq["sqs_managed_sse_enabled"] is True
    assert dlq["message_retention_seconds"] == 14 * 24 * 3600

    allow = q.resource("aws_sqs_queue_redrive_allow_policy")
    assert allow["queue_url"] == ref("aws_sqs_queue.dead_letter.id")
    assert "byQueue" in allow["redrive_allow_policy"]
    assert "aws_sqs_queue.jobs.arn" in allow["redrive_allow_policy"]


# --------------------------------------------------------------------------------------------
# ECR


def test_ecr_repositories(prod, mod):
    ecr = mod("ecr")
    assert effective(prod, "ecr", ecr, "repository_names") == ["kinora/kinora", "kinora/web"]
    repo = ecr.resource("aws_ecr_repository")
    assert repo["for_each"] == ref("toset(var.repository_names)")
    assert repo["image_scanning_configuration"][0]["scan_on_push"] is True
    mutability = repo["image_tag_mutability"]
    if mutability == "IMMUTABLE_WITH_EXCLUSION":
        filters = repo["image_tag_mutability_exclusion_filter"]
        assert [f["filter"] for f in filters] == ["latest"], "only `latest` may move"
    else:
        assert mutability in ("IMMUTABLE", "MUTABLE"), mutability
    assert repo["encryption_configuration"][0]["encryption_type"] in ("AES256", "KMS")
    lifecycle = ecr.resource("aws_ecr_lifecycle_policy")
    assert "imageCountMoreThan" in lifecycle["policy"]


# --------------------------------------------------------------------------------------------
# IAM: no wildcard actions anywhere


def _statements_of_documents(modules):
    for m in modules.values():
        for (dtype, name), body in m.data.items():
            if dtype != "aws_iam_policy_document":
                continue
            for st in body.get("statement", []):
                yield m, name, st


def test_no_policy_document_allows_a_wildcard_action(modules):
    for m, name, st in _statements_of_documents(modules):
        where = f"{m.rel}: data.aws_iam_policy_document.{name} (sid {st.get('sid')})"
        assert "not_actions" not in st, f"{where}: NotAction grants everything else"
        actions = as_list(st.get("actions"))
        if st.get("effect", "Allow") == "Allow":
            wild = [a for a in actions if "*" in a]
            assert not wild, f"{where}: Allow with wildcard actions {wild}"
        else:
            # A wildcard in a Deny only narrows access; ours is the TLS-only bucket guard.
            if any("*" in a for a in actions):
                conditions = [(c["variable"], c["values"]) for c in st.get("condition", [])]
                assert ("aws:SecureTransport", ["false"]) in conditions, (
                    f"{where}: a wildcard Deny is only for refusing non-TLS requests")


def _json_statements(document: dict):
    statements = document.get("Statement", [])
    return statements if isinstance(statements, list) else [statements]


def test_no_inline_or_file_policy_allows_a_wildcard_action(parsed):
    action_re = re.compile(r'"?(Not)?Action"?\s*[=:]\s*(\[[^\]]*\]|"[^"]*")')
    checked = 0
    for name, body in parsed.items():
        for text in _strings(body):
            if "jsonencode" not in text and '"Action"' not in text:
                continue
            for m in action_re.finditer(text):
                checked += 1
                assert not m.group(1), f"{name}: NotAction in an inline policy"
                assert "*" not in m.group(2), f"{name}: inline policy with wildcard Action {m.group(2)}"
    json_files = sorted(TERRAFORM.rglob("*.json"))
    assert json_files, "the AWS Load Balancer Controller policy JSON is missing"
    for path in json_files:
        document = json.loads(path.read_text())
        for st in _json_statements(document):
            assert "NotAction" not in st, f"{path}: NotAction"
            actions = as_list(st.get("Action"))
            checked += len(actions)
            if st.get("Effect") == "Allow":
                wild = [a for a in actions if "*" in a]
                assert not wild, f"{path.relative_to(REPO)}: wildcard actions {wild}"
    assert checked > 0


def _strings(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, list):
        for item in node:
            yield from _strings(item)
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)


# --------------------------------------------------------------------------------------------
# IAM: IRSA roles, exactly


BUCKET = ref("var.media_bucket_arn")
OBJECTS = BUCKET + "/*"
QUEUE = ref("var.queue_arn")
DLQ = ref("var.dead_letter_queue_arn")
LOGS = ref("var.app_log_group_arn")


def pairs(actions, resources):
    return {(a, r) for a in actions for r in resources}


# role -> every (action, resource) its policy allows. A widened policy fails.
EXPECTED_IRSA = {
    "gateway": pairs(["s3:GetObject"], [OBJECTS]) | pairs(["s3:ListBucket"], [BUCKET]),
    "uploader": (
        pairs(["s3:PutObject", "s3:AbortMultipartUpload", "s3:DeleteObject"], [OBJECTS])
        # Probing a stored upload; a direct-to-S3 upload's parts.
        | pairs(["s3:GetObject", "s3:ListMultipartUploadParts"], [OBJECTS])
        | pairs(["s3:ListBucket"], [BUCKET])
        | pairs(["sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"], [QUEUE])
        # The SQS client resolves the DLQ's URL at start and reports its depth in /metrics.
        | pairs(["sqs:GetQueueAttributes", "sqs:GetQueueUrl"], [DLQ])
    ),
    "processor": (
        pairs(["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"], [OBJECTS])
        | pairs(["s3:ListBucket"], [BUCKET])
        | pairs(["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility",
                 "sqs:GetQueueAttributes", "sqs:GetQueueUrl"], [QUEUE])
        | pairs(["sqs:ReceiveMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"], [DLQ])
    ),
    "analytics": (
        pairs(["s3:GetObject"], [OBJECTS])
        | pairs(["s3:PutObject"], [BUCKET + "/metadata/*"])
        | pairs(["s3:ListBucket"], [BUCKET])
    ),
    "keda": pairs(["sqs:GetQueueAttributes"], [QUEUE]),
    "fluent-bit": pairs(["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
                        [LOGS, LOGS + ":*"]),
}

# The action sets the design asks for, role by role (independent of resources).
EXPECTED_ACTIONS = {
    "gateway": {"s3:GetObject", "s3:ListBucket"},
    "uploader": {"s3:PutObject", "s3:AbortMultipartUpload", "s3:DeleteObject", "s3:ListBucket",
                 "s3:GetObject", "s3:ListMultipartUploadParts",
                 "sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"},
    "processor": {"s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload",
                  "s3:ListBucket", "sqs:ReceiveMessage", "sqs:DeleteMessage",
                  "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"},
    "analytics": {"s3:GetObject", "s3:PutObject", "s3:ListBucket"},
    "keda": {"sqs:GetQueueAttributes"},
}

EXPECTED_SERVICE_ACCOUNTS = {
    "gateway": (ref("var.environment"), "kinora-gateway"),
    "uploader": (ref("var.environment"), "kinora-uploader"),
    "processor": (ref("var.environment"), "kinora-processor"),
    "analytics": (ref("var.environment"), "kinora-analytics"),
    "keda": ("keda", "keda-operator"),
    "aws-load-balancer-controller": ("kube-system", "aws-load-balancer-controller"),
    "fluent-bit": ("amazon-cloudwatch", "fluent-bit"),
}


def _document_pairs(module: Module, doc_name: str) -> set[tuple[str, str]]:
    body = module.data[("aws_iam_policy_document", doc_name)]
    out = set()
    for st in body.get("statement", []):
        assert st.get("effect", "Allow") == "Allow", f"{doc_name}: unexpected {st.get('effect')}"
        resources = [module.local_string(r) for r in as_list(st.get("resources"))]
        assert resources, f"{doc_name}: statement {st.get('sid')} has no resources"
        out |= pairs(as_list(st.get("actions")), resources)
    return out


def test_irsa_roles_trust_exactly_their_service_account(mod):
    iam = mod("iam")
    accounts = {role: (sa["namespace"], sa["name"])
                for role, sa in iam.locals["service_accounts"].items()}
    assert accounts == EXPECTED_SERVICE_ACCOUNTS

    role = iam.resource("aws_iam_role", "irsa")
    assert role["for_each"] == ref("local.service_accounts")
    assert role["name"] == "kinora-${var.environment}-${each.key}"
    assert role["assume_role_policy"] == ref("data.aws_iam_policy_document.irsa_trust[each.key].json")

    trust = iam.data[("aws_iam_policy_document", "irsa_trust")]
    assert trust["for_each"] == ref("local.service_accounts")
    (st,) = trust["statement"]
    assert st["actions"] == ["sts:AssumeRoleWithWebIdentity"]
    assert st["principals"][0] == {"type": "Federated", "identifiers": [ref("var.oidc_provider_arn")]}
    conditions = {c["variable"]: (c["test"], c["values"]) for c in st["condition"]}
    assert conditions == {
        "${var.oidc_issuer}:sub": (
            "StringEquals", ["system:serviceaccount:${each.value.namespace}:${each.value.name}"]),
        "${var.oidc_issuer}:aud": ("StringEquals", ["sts.amazonaws.com"]),
    }


def test_irsa_policies_are_exactly_least_privilege(mod):
    iam = mod("iam")
    policies = iam.locals["policies"]
    assert set(policies) == set(EXPECTED_SERVICE_ACCOUNTS), sorted(policies)
    attached = iam.resource("aws_iam_role_policy", "irsa")
    assert attached["for_each"] == ref("local.service_accounts")
    assert attached["policy"] == ref("local.policies[each.key]")

    for role, expected in EXPECTED_IRSA.items():
        m = re.fullmatch(r"\$\{data\.aws_iam_policy_document\.([a-z_]+)\.json\}", policies[role])
        assert m, f"{role}: policy should be an aws_iam_policy_document, got {policies[role]}"
        got = _document_pairs(iam, m.group(1))
        assert got == expected, (
            f"IRSA role {role}: extra {sorted(got - expected)}, missing {sorted(expected - got)}")
        if role in EXPECTED_ACTIONS:
            assert {a for a, _ in got} == EXPECTED_ACTIONS[role], role


def test_load_balancer_controller_uses_the_published_policy(mod):
    iam = mod("iam")
    ref_text = iam.locals["policies"]["aws-load-balancer-controller"]
    m = re.search(r'file\("\$\{path\.module\}/([^"]+)"\)', ref_text)
    assert m, ref_text
    document = json.loads((MODULES / "iam" / m.group(1)).read_text())
    actions = {a for st in _json_statements(document) for a in as_list(st["Action"])}
    for needed in ("elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup",
                   "elasticloadbalancing:RegisterTargets", "ec2:CreateSecurityGroup",
                   "ec2:DescribeSubnets", "wafv2:AssociateWebACL", "iam:CreateServiceLinkedRole"):
        assert needed in actions, f"LB controller policy lacks {needed}"


def test_github_deploy_role(mod):
    iam = mod("iam")
    trust = iam.data[("aws_iam_policy_document", "github_trust")]
    (st,) = trust["statement"]
    assert st["actions"] == ["sts:AssumeRoleWithWebIdentity"]
    conditions = {c["variable"]: (c["test"], c["values"]) for c in st["condition"]}
    assert conditions == {
        "token.actions.githubusercontent.com:aud": ("StringEquals", ["sts.amazonaws.com"]),
        "token.actions.githubusercontent.com:sub": (
            "StringEquals", ["repo:${var.github_repository}:ref:refs/heads/main",
                             "repo:${var.github_repository}:environment:${var.environment}"]),
    }
    provider = iam.resource("aws_iam_openid_connect_provider", "github")
    assert provider["url"] == "https://token.actions.githubusercontent.com"

    got = _document_pairs(iam, "github_deploy")
    ecr_push = ["ecr:BatchCheckLayerAvailability", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart",
                "ecr:CompleteLayerUpload", "ecr:PutImage", "ecr:BatchGetImage",
                "ecr:GetDownloadUrlForLayer"]
    expected = (pairs(["ecr:GetAuthorizationToken"], ["*"])
                | pairs(ecr_push, [ref("var.ecr_repository_arns")])
                | pairs(["eks:DescribeCluster"], [ref("var.cluster_arn")]))
    # resources = var.ecr_repository_arns is one list expression
    got = {(a, r) for a, r in got}
    assert got == expected, f"extra {sorted(got - expected)}, missing {sorted(expected - got)}"


def test_resource_star_only_where_aws_requires_it(modules):
    allowed = {"ecr:GetAuthorizationToken"}
    for m, name, st in _statements_of_documents(modules):
        if st.get("effect", "Allow") != "Allow":
            continue
        if "*" in as_list(st.get("resources")):
            extra = set(as_list(st.get("actions"))) - allowed
            assert not extra, f"{m.rel}: {name} grants {sorted(extra)} on Resource *"


def test_prod_wires_iam_to_the_real_resources(prod):
    call = prod.calls["iam"]
    assert call["oidc_provider_arn"] == ref("module.eks.oidc_provider_arn")
    assert call["media_bucket_arn"] == ref("module.storage.bucket_arn")
    assert call["queue_arn"] == ref("module.queue.queue_arn")
    assert call["dead_letter_queue_arn"] == ref("module.queue.dead_letter_queue_arn")
    assert call["environment"] == ref("var.environment")


# --------------------------------------------------------------------------------------------
# Database


def test_postgres_database(prod, mod):
    db = mod("database")
    inst = db.resource("aws_db_instance")
    assert inst["engine"] == "postgres"
    assert str(inst["engine_version"]).split(".")[0] == "16"
    assert inst["storage_encrypted"] is True
    assert inst["manage_master_user_password"] is True
    assert "password" not in inst, "the password lives in Secrets Manager, not in Terraform"
    assert inst["publicly_accessible"] is False
    assert inst["multi_az"] == ref("var.multi_az")
    assert inst["backup_retention_period"] == ref("var.backup_retention_days")
    assert db.default("backup_retention_days") >= 7
    assert inst["deletion_protection"] == ref("var.deletion_protection")
    assert prod.calls["database"]["deletion_protection"] in (True, ref('var.environment == "prod"'))
    assert prod.calls["database"]["subnet_ids"] == ref("module.network.private_subnet_ids")

    rule = db.resource("aws_vpc_security_group_ingress_rule", "postgres")
    assert (rule["from_port"], rule["to_port"], rule["ip_protocol"]) == (5432, 5432, "tcp")
    assert rule["referenced_security_group_id"] == ref("each.value")
    assert "cidr_ipv4" not in rule
    assert prod.calls["database"]["client_security_group_ids"] == [
        ref("module.eks.cluster_security_group_id")]
    for m_body in db.all("aws_security_group").values():
        assert "ingress" not in m_body, "ingress only through the rule from the cluster SG"

    for m in (prod, db):
        for name in m.variables:
            assert "password" not in name.lower(), f"{m.rel}: variable {name}: no password variables"


# --------------------------------------------------------------------------------------------
# Observability


def _alarm_seconds(alarm: dict) -> int:
    if "metric_query" in alarm:
        periods = {q["metric"][0]["period"] for q in alarm["metric_query"] if "metric" in q}
        assert len(periods) == 1, periods
        period = periods.pop()
    else:
        period = alarm["period"]
    return period * alarm["evaluation_periods"]


def test_alarms(mod):
    obs = mod("observability")
    alarms = obs.all("aws_cloudwatch_metric_alarm")
    for name, alarm in alarms.items():
        assert alarm.get("alarm_actions") == ref("local.alarm_topic"), f"{name} notifies nobody"
    assert obs.locals["alarm_topic"] == [ref("aws_sns_topic.alarms.arn")]

    rate = alarms["alb_5xx_rate"]
    queries = rate["metric_query"]
    metrics = {q["metric"][0]["metric_name"] for q in queries if "metric" in q}
    assert metrics == {"HTTPCode_Target_5XX_Count", "HTTPCode_ELB_5XX_Count", "RequestCount"}
    expression = next(q["expression"] for q in queries if q.get("return_data"))
    assert "100" in expression and "/ requests" in expression, expression
    assert rate["threshold"] == 5 and rate["comparison_operator"] == "GreaterThanThreshold"
    assert _alarm_seconds(rate) == 300

    latency = alarms["alb_p95_latency"]
    assert (latency["metric_name"], latency["extended_statistic"]) == ("TargetResponseTime", "p95")
    assert latency["threshold"] == 2 and _alarm_seconds(latency) == 300

    for alb in (rate, latency):
        assert alb["count"] == ref("local.alb_alarms")
    assert obs.locals["alb_alarms"] == ref('var.alb_arn_suffix == "" ? 0 : 1')

    backlog = alarms["queue_backlog"]
    assert backlog["metric_name"] == "ApproximateNumberOfMessagesVisible"
    assert backlog["dimensions"] == {"QueueName": ref("var.queue_name")}
    assert backlog["threshold"] == ref("var.queue_backlog_threshold")
    assert obs.default("queue_backlog_threshold") == 1000
    assert _alarm_seconds(backlog) == 300

    dead = alarms["dead_letters"]
    assert dead["dimensions"] == {"QueueName": ref("var.dead_letter_queue_name")}
    assert dead["threshold"] == 0 and dead["comparison_operator"] == "GreaterThanThreshold"

    assert obs.resource("aws_sns_topic", "alarms")
    email = obs.resource("aws_sns_topic_subscription", "email")
    assert email["protocol"] == "email" and email["count"] == ref("var.alarm_email == null ? 0 : 1")
    app_logs = obs.resource("aws_cloudwatch_log_group", "app")
    assert app_logs["name"] == "/kinora/${var.environment}/app"


# --------------------------------------------------------------------------------------------
# GuardDuty


def test_guardduty(mod):
    gd = mod("guardduty")
    assert gd.resource("aws_guardduty_detector")["enable"] is True
    features = {f["name"]: f for f in gd.all("aws_guardduty_detector_feature").values()}
    assert {"EKS_AUDIT_LOGS", "S3_DATA_EVENTS"} <= set(features), sorted(features)
    assert {"RUNTIME_MONITORING", "EKS_RUNTIME_MONITORING"} & set(features), sorted(features)
    for name, f in features.items():
        assert f["status"] == "ENABLED", name


# --------------------------------------------------------------------------------------------
# Outputs


def test_prod_outputs_for_the_kubernetes_overlays(prod):
    needed = {"region", "media_bucket", "queue_url", "dead_letter_queue_url", "database_endpoint",
              "database_url", "irsa_role_arns", "ecr_repository_urls", "cluster_name",
              "github_deploy_role_arn"}
    missing = needed - set(prod.outputs)
    assert not missing, f"environments/prod lacks outputs {sorted(missing)}"
    for name, body in prod.outputs.items():
        assert body.get("description"), f"output {name} has no description"
    url = prod.outputs["database_url"]["value"]
    assert url.startswith("postgresql://") and url.endswith("?sslmode=require"), url
    assert "password" not in url.lower()


# --------------------------------------------------------------------------------------------
# Formatting


def test_terraform_fmt():
    terraform = shutil.which("terraform")
    if terraform is None:
        pytest.skip("terraform is not on PATH")
    run = subprocess.run(
        [terraform, "fmt", "-check", "-recursive", "-diff", "deploy/terraform"],
        cwd=REPO, capture_output=True, text=True, timeout=120,
    )
    assert run.returncode == 0, f"terraform fmt would change:\n{run.stdout}{run.stderr}"
