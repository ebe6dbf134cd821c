"""Invariants of the Kubernetes manifests in deploy/k8s, checked on what each overlay renders.

Every test renders an overlay with `kubectl kustomize` (kustomize v5 built in), parses the
objects and checks one rule across all of them, naming the offending objects when it fails.

    cd <repo> && python3 -m pytest -q deploy/tests/test_manifests.py
"""

from __future__ import annotations

import functools
import ipaddress
import json
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
OVERLAYS_DIR = ROOT / "deploy" / "k8s" / "overlays"
ENVS = ["dev", "staging", "prod"]

ACCOUNT = "111122223333"  # the placeholder AWS account id the manifests ship with
REGISTRY = f"{ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com"
VPC_CIDR = "10.0.0.0/16"
KINORA_ROLES = ["gateway", "uploader", "analytics", "processor"]
REPLICAS = {
    "dev": {"web": 1, "gateway": 1, "analytics": 1, "uploader": 1, "processor": 1},
    "staging": {"web": 2, "gateway": 2, "analytics": 2, "uploader": 1, "processor": 1},
    "prod": {"web": 2, "gateway": 2, "analytics": 2, "uploader": 1, "processor": 1},
}
KEDA_MAX_REPLICAS = {"dev": 2, "staging": 4, "prod": 10}
HOSTS = {"dev": "dev.kinora.example.com", "staging": "staging.kinora.example.com",
         "prod": "kinora.example.com"}
CLUSTER_SCOPED = {"Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition",
                  "PriorityClass", "StorageClass", "IngressClass", "PersistentVolume"}
WORKLOADS = {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob"}

env_param = pytest.mark.parametrize("env", ENVS)


# --- rendering and lookup helpers ----------------------------------------------------------

@functools.lru_cache(maxsize=None)
def render(env: str) -> tuple[list[dict], str]:
    """The overlay's objects and kustomize's stderr."""
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        pytest.fail("kubectl is not installed: these tests render the overlays with "
                    "`kubectl kustomize` (kubectl >= 1.27, kustomize v5)")
    version = subprocess.run([kubectl, "version", "--client"], capture_output=True, text=True,
                             check=False).stdout
    match = re.search(r"Kustomize Version: v(\d+)", version)
    if not match or int(match.group(1)) < 5:
        pytest.fail(f"kubectl's kustomize is too old for these overlays ({version.strip()!r}): "
                    "they need kustomize v5 (kubectl >= 1.27); Debian 12's kubernetes-client "
                    "(1.20) is older")
    cmd = [kubectl, "kustomize", str(OVERLAYS_DIR / env)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        pytest.fail(f"`{' '.join(cmd)}` failed ({proc.returncode}):\n{proc.stderr}")
    docs = [d for d in yaml.safe_load_all(proc.stdout) if d]
    return docs, proc.stderr


def objects(env: str, kind: str | None = None) -> list[dict]:
    docs, _ = render(env)
    return [d for d in docs if kind is None or d["kind"] == kind]


def by_name(env: str, kind: str) -> dict[str, dict]:
    return {o["metadata"]["name"]: o for o in objects(env, kind)}


def ident(obj: dict) -> str:
    return f"{obj['kind']}/{obj['metadata']['name']}"


def pod_spec(workload: dict) -> dict:
    spec = workload["spec"]
    if workload["kind"] == "CronJob":
        spec = spec["jobTemplate"]["spec"]
    return spec["template"]["spec"]


def pod_labels(workload: dict) -> dict:
    spec = workload["spec"]
    if workload["kind"] == "CronJob":
        spec = spec["jobTemplate"]["spec"]
    return spec["template"]["metadata"].get("labels", {})


def workloads(env: str) -> list[dict]:
    return [o for o in objects(env) if o["kind"] in WORKLOADS]


def all_containers(workload: dict) -> list[tuple[str, dict]]:
    """(where, container) for every container and init container of a workload's pods."""
    spec = pod_spec(workload)
    return ([(f"{ident(workload)} container {c['name']}", c) for c in spec.get("containers", [])]
            + [(f"{ident(workload)} initContainer {c['name']}", c)
               for c in spec.get("initContainers", [])])


def selects(selector: dict | None, labels: dict) -> bool:
    """Whether a Kubernetes label selector (matchLabels/matchExpressions) matches labels."""
    if selector is None:
        return False
    for key, value in (selector.get("matchLabels") or {}).items():
        if labels.get(key) != value:
            return False
    for expr in selector.get("matchExpressions") or []:
        key, op, values = expr["key"], expr["operator"], expr.get("values") or []
        ok = {"In": key in labels and labels[key] in values,
              "NotIn": key not in labels or labels[key] not in values,
              "Exists": key in labels,
              "DoesNotExist": key not in labels}[op]
        if not ok:
            return False
    return True


def deployment_of(env: str, component: str) -> dict:
    deployment = by_name(env, "Deployment").get(component)
    assert deployment is not None, f"{env}: no Deployment named {component!r}"
    return deployment


# --- network policy evaluation --------------------------------------------------------------

def _port_allowed(rule: dict, port: int, protocol: str, named: dict[str, int]) -> bool:
    """Whether a policy rule's ports admit port/protocol; `named` maps the receiving
    container's port names to numbers (a rule may name a port)."""
    ports = rule.get("ports")
    if not ports:
        return True  # a rule without ports allows every port
    for p in ports:
        if p.get("protocol", "TCP") != protocol:
            continue
        if "port" not in p or p["port"] == port or named.get(p["port"]) == port:
            return True
        if isinstance(p["port"], int) and p.get("endPort", p["port"]) >= port >= p["port"]:
            return True
    return False


def _peer_is_pod(peer: dict, peer_ns: str, peer_labels: dict, own_ns: str,
                 ns_labels: dict) -> bool:
    if "ipBlock" in peer:
        return False  # pod addresses are not known here; only selectors count
    if "namespaceSelector" in peer:
        if not selects(peer["namespaceSelector"], ns_labels):
            return False
    elif peer_ns != own_ns:
        return False
    return selects(peer.get("podSelector", {}), peer_labels)


def _policy_types(spec: dict) -> list[str]:
    """policyTypes, or the API server's default when it is left out."""
    return spec.get("policyTypes") or ["Ingress"] + (["Egress"] if spec.get("egress") else [])


def _ns_labels(ns: str) -> dict:
    return {"kubernetes.io/metadata.name": ns}


def policy_allows(env: str, direction: str, own: dict, peer_ns: str, peer: dict, port: int,
                  protocol: str = "TCP", named_ports: dict[str, int] | None = None) -> list[str]:
    """Names of the policies that let pods labelled `own` (in env) send (egress) to, or receive
    (ingress) from, pods labelled `peer` in namespace peer_ns on port/protocol."""
    key, peers_key = ("egress", "to") if direction == "egress" else ("ingress", "from")
    found = []
    for np in objects(env, "NetworkPolicy"):
        spec = np["spec"]
        if direction.capitalize() not in _policy_types(spec) or not selects(spec["podSelector"],
                                                                           own):
            continue
        for rule in spec.get(key) or []:
            if not _port_allowed(rule, port, protocol, named_ports or {}):
                continue
            peers = rule.get(peers_key)
            if not peers or any(_peer_is_pod(p, peer_ns, peer, env, _ns_labels(peer_ns))
                                for p in peers):
                found.append(np["metadata"]["name"])
    return found


def flow_allowed(env: str, src: str, dst: str, port: int = 8080) -> bool:
    """src -> dst between two Deployments' pods in env: needs src's egress and dst's ingress."""
    src_labels = pod_labels(deployment_of(env, src))
    dst_labels = pod_labels(deployment_of(env, dst))
    names = {p["name"]: p["containerPort"] for _, c in all_containers(deployment_of(env, dst))
             for p in c.get("ports", []) if "name" in p}
    return bool(policy_allows(env, "egress", src_labels, env, dst_labels, port,
                              named_ports=names)
                and policy_allows(env, "ingress", dst_labels, env, src_labels, port,
                                  named_ports=names))


def cidr_ingress_allowed(env: str, dst: str, cidr: str, port: int) -> list[str]:
    labels = pod_labels(deployment_of(env, dst))
    found = []
    for np in objects(env, "NetworkPolicy"):
        spec = np["spec"]
        if "Ingress" not in _policy_types(spec) or not selects(spec["podSelector"], labels):
            continue
        for rule in spec.get("ingress") or []:
            if _port_allowed(rule, port, "TCP", {"http": 8080}) and any(
                    p.get("ipBlock", {}).get("cidr") == cidr for p in rule.get("from") or []):
                found.append(np["metadata"]["name"])
    return found


def ip_egress_allowed(env: str, src: str, address: str, port: int) -> list[str]:
    """Names of the policies that let src's pods send to an address outside the cluster."""
    labels = pod_labels(deployment_of(env, src))
    ip = ipaddress.ip_address(address)
    found = []
    for np in objects(env, "NetworkPolicy"):
        spec = np["spec"]
        if "Egress" not in _policy_types(spec) or not selects(spec["podSelector"], labels):
            continue
        for rule in spec.get("egress") or []:
            if not _port_allowed(rule, port, "TCP", {}):
                continue
            for peer in rule.get("to") or [{"ipBlock": {"cidr": "0.0.0.0/0"}}]:
                block = peer.get("ipBlock")
                if block and ip in ipaddress.ip_network(block["cidr"]) and not any(
                        ip in ipaddress.ip_network(e) for e in block.get("except") or []):
                    found.append(np["metadata"]["name"])
    return found


# --- the invariants -------------------------------------------------------------------------

@env_param
def test_overlay_renders_without_warnings(env):
    docs, stderr = render(env)
    assert stderr == "", f"kubectl kustomize {env} printed on stderr:\n{stderr}"
    assert docs, f"{env} rendered no objects"


@env_param
def test_every_object_is_in_the_overlay_namespace(env):
    namespaces = [o["metadata"]["name"] for o in objects(env, "Namespace")]
    assert namespaces == [env], f"{env}: Namespace objects are {namespaces}, want [{env!r}]"
    wrong = [f"{ident(o)} in {o['metadata'].get('namespace')!r}" for o in objects(env)
             if o["kind"] not in CLUSTER_SCOPED and o["metadata"].get("namespace") != env]
    assert not wrong, f"{env}: objects outside namespace {env!r}: {wrong}"


@env_param
def test_every_namespace_has_a_default_deny_policy(env):
    namespaces = {o["metadata"]["name"] for o in objects(env, "Namespace")}
    namespaces |= {o["metadata"]["namespace"] for o in objects(env)
                   if o["metadata"].get("namespace")}
    for ns in sorted(namespaces):
        deny = [np for np in objects(env, "NetworkPolicy")
                if np["metadata"].get("namespace") == ns
                and np["spec"].get("podSelector") == {}
                and set(np["spec"].get("policyTypes") or []) == {"Ingress", "Egress"}
                and not np["spec"].get("ingress") and not np["spec"].get("egress")]
        assert deny, (f"{env}: namespace {ns!r} has no default-deny NetworkPolicy (empty "
                      "podSelector, policyTypes Ingress and Egress, no rules)")


@env_param
def test_containers_are_locked_down(env):
    problems = []
    for w in workloads(env):
        pod_sc = pod_spec(w).get("securityContext") or {}
        for where, c in all_containers(w):
            sc = c.get("securityContext") or {}
            # These three may be set on the pod; a container's own setting wins.
            setting = {k: sc.get(k, pod_sc.get(k))
                       for k in ("runAsNonRoot", "runAsUser", "seccompProfile")}
            if setting["runAsNonRoot"] is not True:
                problems.append(f"{where}: runAsNonRoot is not true")
            if setting["runAsUser"] in (None, 0):
                problems.append(f"{where}: runAsUser is unset or 0")
            if sc.get("readOnlyRootFilesystem") is not True:
                problems.append(f"{where}: readOnlyRootFilesystem is not true")
            if sc.get("allowPrivilegeEscalation") is not False:
                problems.append(f"{where}: allowPrivilegeEscalation is not false")
            if "ALL" not in ((sc.get("capabilities") or {}).get("drop") or []):
                problems.append(f"{where}: capabilities do not drop ALL")
            if sc.get("capabilities", {}).get("add"):
                problems.append(f"{where}: adds capabilities {sc['capabilities']['add']}")
            if sc.get("privileged"):
                problems.append(f"{where}: is privileged")
            if (setting["seccompProfile"] or {}).get("type") != "RuntimeDefault":
                problems.append(f"{where}: seccompProfile is not RuntimeDefault")
    assert not problems, f"{env}:\n  " + "\n  ".join(problems)


@env_param
def test_roles_run_as_their_image_users(env):
    for component in REPLICAS[env]:
        uid = 101 if component == "web" else 1000
        pod_sc = pod_spec(deployment_of(env, component)).get("securityContext") or {}
        for key in ("runAsUser", "runAsGroup", "fsGroup"):
            assert pod_sc.get(key) == uid, (
                f"{env}: Deployment/{component} pod securityContext {key} is "
                f"{pod_sc.get(key)!r}, want {uid}")


@env_param
def test_containers_have_probes_and_resources(env):
    problems = []
    for w in workloads(env):
        for where, c in all_containers(w):
            # Plain init containers run to completion and cannot have probes; sidecars
            # (restartPolicy: Always) and regular containers must.
            long_running = "initContainer" not in where or c.get("restartPolicy") == "Always"
            for probe in ("livenessProbe", "readinessProbe"):
                if long_running and not c.get(probe):
                    problems.append(f"{where}: no {probe}")
            res = c.get("resources") or {}
            for part in ("requests", "limits"):
                for resource in ("cpu", "memory"):
                    if not (res.get(part) or {}).get(resource):
                        problems.append(f"{where}: no {resource} in resources.{part}")
    assert not problems, f"{env}:\n  " + "\n  ".join(problems)


@env_param
def test_kinora_roles_run_their_role_with_the_health_endpoints(env):
    for role in KINORA_ROLES:
        [(where, c)] = all_containers(deployment_of(env, role))
        assert c.get("args") == [role], f"{env}: {where} args are {c.get('args')}, want [{role!r}]"
        assert {"name": "http", "containerPort": 8080, "protocol": "TCP"} in c["ports"], (
            f"{env}: {where} does not expose containerPort 8080 named http")
        assert c["livenessProbe"]["httpGet"]["path"] == "/health", f"{env}: {where} liveness"
        assert c["readinessProbe"]["httpGet"]["path"] == "/ready", f"{env}: {where} readiness"
    [(where, web)] = all_containers(deployment_of(env, "web"))
    for probe in ("livenessProbe", "readinessProbe"):
        assert web[probe]["httpGet"]["path"] == "/healthz", f"{env}: {where} {probe} path"


@env_param
def test_scratch_directories_are_empty_dirs(env):
    for role in KINORA_ROLES:
        deployment = deployment_of(env, role)
        volumes = {v["name"]: v for v in pod_spec(deployment).get("volumes", [])}
        [(where, c)] = all_containers(deployment)
        mounts = {m["mountPath"]: m["name"] for m in c.get("volumeMounts", [])}
        for path in ("/var/lib/kinora", "/tmp"):
            assert path in mounts, f"{env}: {where} mounts nothing at {path}"
            assert "emptyDir" in volumes[mounts[path]], f"{env}: {where} {path} is not an emptyDir"
        if role == "processor":  # jobs transcode in the data directory
            size = volumes[mounts["/var/lib/kinora"]]["emptyDir"].get("sizeLimit", "")
            assert size.endswith("Gi") and int(size[:-2]) >= 10, (
                f"{env}: {where} work directory sizeLimit {size!r} is too small to transcode in")


@env_param
def test_replicas_match_the_environment(env):
    got = {name: d["spec"].get("replicas") for name, d in by_name(env, "Deployment").items()}
    assert got == REPLICAS[env], f"{env}: Deployment replicas are {got}, want {REPLICAS[env]}"


@env_param
def test_rolling_updates_never_drop_below_the_replica_count(env):
    for d in objects(env, "Deployment"):
        strategy = d["spec"].get("strategy") or {}
        assert strategy.get("type") == "RollingUpdate", f"{env}: {ident(d)} strategy {strategy}"
        rolling = strategy.get("rollingUpdate") or {}
        assert rolling.get("maxUnavailable") in (0, "0%"), (
            f"{env}: {ident(d)} rollingUpdate.maxUnavailable is {rolling.get('maxUnavailable')!r}")
        assert rolling.get("maxSurge") == 1, f"{env}: {ident(d)} rollingUpdate.maxSurge"


@env_param
def test_each_service_selects_exactly_one_deployment_and_its_port(env):
    deployments = objects(env, "Deployment")
    assert set(by_name(env, "Service")) == set(REPLICAS[env]), (
        f"{env}: Services are {sorted(by_name(env, 'Service'))}")
    for svc in objects(env, "Service"):
        selector = svc["spec"].get("selector") or {}
        assert selector, f"{env}: {ident(svc)} has no selector"
        matched = [d for d in deployments if selects({"matchLabels": selector}, pod_labels(d))]
        assert [ident(d) for d in matched] == [f"Deployment/{svc['metadata']['name']}"], (
            f"{env}: {ident(svc)} selector {selector} matches {[ident(d) for d in matched]}")
        # ...and the Deployment's own selector picks the same pods.
        assert matched[0]["spec"]["selector"]["matchLabels"] == selector, (
            f"{env}: {ident(svc)} and {ident(matched[0])} select different labels")
        assert svc["spec"].get("type", "ClusterIP") == "ClusterIP", f"{env}: {ident(svc)} type"
        container_ports = [p for _, c in all_containers(matched[0]) for p in c.get("ports", [])]
        for port in svc["spec"]["ports"]:
            target = port.get("targetPort", port["port"])
            ok = any(p.get("name") == target or p["containerPort"] == target
                     for p in container_ports)
            assert ok, (f"{env}: {ident(svc)} targetPort {target!r} is not a port of "
                        f"{ident(matched[0])} ({container_ports})")
        assert {"name": "http", "port": 8080, "targetPort": "http", "protocol": "TCP"} in \
            svc["spec"]["ports"], f"{env}: {ident(svc)} has no port 8080 named http -> http"


@env_param
def test_images_are_pinned_to_a_tag_from_ecr(env):
    want = {"web": f"{REGISTRY}/kinora/web"}
    want.update({role: f"{REGISTRY}/kinora/kinora" for role in KINORA_ROLES})
    for w in workloads(env):
        for where, c in all_containers(w):
            image = c["image"]
            name = image.partition("@")[0]  # a digest may follow the tag
            repo, sep, tag = name.rpartition(":")
            if not sep or "/" in tag:  # no tag (the colon belonged to a registry port)
                repo, tag = name, ""
            assert tag, f"{env}: {where} image {image!r} has no tag"
            assert tag != "latest", f"{env}: {where} image {image!r} uses the latest tag"
            component = pod_labels(w).get("app.kubernetes.io/component")
            if w["kind"] == "Deployment" and component in want:
                assert repo == want[component], (
                    f"{env}: {where} image {image!r} is not from {want[component]}")


@env_param
def test_kinora_roles_get_config_and_secrets(env):
    assert not objects(env, "Secret"), f"{env}: Secrets must not be in git (kinora-secrets is " \
        "created by the operator)"
    for role in KINORA_ROLES:
        [(where, c)] = all_containers(deployment_of(env, role))
        env_from = c.get("envFrom") or []
        assert {"configMapRef": {"name": "kinora-config"}} in env_from, (
            f"{env}: {where} does not load ConfigMap kinora-config")
        secrets = [e["secretRef"] for e in env_from if "secretRef" in e]
        assert any(s["name"] == "kinora-secrets" and not s.get("optional", False)
                   for s in secrets), f"{env}: {where} does not require Secret kinora-secrets"


@env_param
def test_config_names_existing_services_and_the_environment(env):
    (config,) = [c for c in objects(env, "ConfigMap") if c["metadata"]["name"] == "kinora-config"]
    data = config["data"]
    services = by_name(env, "Service")
    for key in ("KINORA_UPLOADER_URL", "KINORA_ANALYTICS_URL"):
        url = urlsplit(data[key])
        assert url.scheme == "http" and url.hostname in services, (
            f"{env}: {key}={data[key]!r} does not name a Service ({sorted(services)})")
        ports = [p["port"] for p in services[url.hostname]["spec"]["ports"]]
        assert url.port in ports, f"{env}: {key}={data[key]!r}: Service ports are {ports}"
    expected = {
        "AWS_REGION": "us-east-1",
        "KINORA_STORAGE": "s3",
        "KINORA_QUEUE": "sqs",
        "KINORA_LISTEN": "0.0.0.0:8080",
        "KINORA_INTERNAL_LISTEN": "0.0.0.0:9090",
        "KINORA_DATA_DIR": "/var/lib/kinora",
        "KINORA_LOG_LEVEL": "debug" if env == "dev" else "info",
        "S3_BUCKET": f"kinora-{env}-media-{ACCOUNT}",
        "SQS_QUEUE_URL": f"https://sqs.us-east-1.amazonaws.com/{ACCOUNT}/kinora-{env}-jobs",
    }
    wrong = {k: data.get(k) for k, v in expected.items() if data.get(k) != v}
    assert not wrong, f"{env}: ConfigMap/kinora-config has {wrong}, want " \
        f"{ {k: expected[k] for k in wrong} }"
    db = urlsplit(data["KINORA_DB"])
    assert db.scheme == "postgresql" and db.hostname.startswith(f"kinora-{env}.") \
        and db.password is None, f"{env}: KINORA_DB={data['KINORA_DB']!r}"


@env_param
def test_ingress_routes_to_existing_services(env):
    services = by_name(env, "Service")
    (ingress,) = objects(env, "Ingress")
    assert ingress["metadata"]["name"] == "kinora"
    assert ingress["spec"].get("ingressClassName") == "alb", f"{env}: Ingress class"
    routes = {}
    for rule in ingress["spec"]["rules"]:
        assert rule.get("host") == HOSTS[env], f"{env}: Ingress host {rule.get('host')!r}"
        for path in rule["http"]["paths"]:
            backend = path["backend"]["service"]
            svc = services.get(backend["name"])
            assert svc is not None, f"{env}: Ingress path {path['path']} -> missing Service " \
                f"{backend['name']!r}"
            port = backend["port"]
            ok = any(p["port"] == port.get("number") or p.get("name") == port.get("name")
                     for p in svc["spec"]["ports"])
            assert ok, f"{env}: Ingress path {path['path']} -> {ident(svc)} has no port {port}"
            routes[path["path"]] = (path["pathType"], backend["name"])
    assert routes == {"/api": ("Prefix", "gateway"), "/media": ("Prefix", "gateway"),
                      "/": ("Prefix", "web")}, f"{env}: Ingress routes are {routes}"


@env_param
def test_ingress_configures_the_alb(env):
    (ingress,) = objects(env, "Ingress")
    a = ingress["metadata"].get("annotations") or {}
    prefix = "alb.ingress.kubernetes.io/"
    want = {"scheme": "internet-facing", "target-type": "ip", "ssl-redirect": "443",
            "load-balancer-name": f"kinora-{env}"}
    wrong = {k: a.get(prefix + k) for k, v in want.items() if a.get(prefix + k) != v}
    assert not wrong, f"{env}: Ingress/kinora annotations {wrong}, want {want}"
    ports = json.loads(a[prefix + "listen-ports"])
    assert {"HTTP": 80} in ports and {"HTTPS": 443} in ports, f"{env}: listen-ports {ports}"
    assert a[prefix + "certificate-arn"].startswith(f"arn:aws:acm:us-east-1:{ACCOUNT}:certificate/")
    assert "idle_timeout.timeout_seconds=900" in a[prefix + "load-balancer-attributes"]
    assert a.get(prefix + "healthcheck-path"), f"{env}: Ingress has no healthcheck-path"


@env_param
def test_each_role_uses_its_own_service_account(env):
    accounts = by_name(env, "ServiceAccount")
    for role in KINORA_ROLES:
        spec = pod_spec(deployment_of(env, role))
        sa_name = spec.get("serviceAccountName")
        assert sa_name == f"kinora-{role}", (
            f"{env}: Deployment/{role} uses ServiceAccount {sa_name!r}")
        assert sa_name in accounts, f"{env}: ServiceAccount/{sa_name} does not exist"
        arn = (accounts[sa_name]["metadata"].get("annotations") or {}).get(
            "eks.amazonaws.com/role-arn")
        assert arn == f"arn:aws:iam::{ACCOUNT}:role/kinora-{env}-{role}", (
            f"{env}: ServiceAccount/{sa_name} role-arn is {arn!r}")
    web_sa = accounts.get("kinora-web")
    assert web_sa is not None, f"{env}: ServiceAccount/kinora-web does not exist"
    assert pod_spec(deployment_of(env, "web")).get("serviceAccountName") == "kinora-web"
    assert web_sa.get("automountServiceAccountToken") is False, f"{env}: kinora-web automounts"
    assert "eks.amazonaws.com/role-arn" not in (web_sa["metadata"].get("annotations") or {}), (
        f"{env}: ServiceAccount/kinora-web must have no IAM role")


@env_param
def test_hpas_target_existing_deployments(env):
    deployments = by_name(env, "Deployment")
    hpas = by_name(env, "HorizontalPodAutoscaler")
    assert set(hpas) == {"gateway", "analytics"}, f"{env}: HPAs are {sorted(hpas)}"
    for hpa in hpas.values():
        ref = hpa["spec"]["scaleTargetRef"]
        assert ref["kind"] == "Deployment" and ref["name"] in deployments, (
            f"{env}: {ident(hpa)} targets missing {ref['kind']}/{ref['name']}")
        assert ref["name"] != "processor", f"{env}: KEDA owns the processor's scaling"
        replicas = deployments[ref["name"]]["spec"]["replicas"]
        assert hpa["spec"]["minReplicas"] == replicas, (
            f"{env}: {ident(hpa)} minReplicas {hpa['spec']['minReplicas']} != replicas {replicas}")
        assert hpa["spec"]["maxReplicas"] > replicas, f"{env}: {ident(hpa)} cannot scale up"
        metrics = hpa["spec"]["metrics"]
        assert any(m["type"] == "Resource" and m["resource"]["name"] == "cpu"
                   and m["resource"]["target"] == {"type": "Utilization",
                                                   "averageUtilization": 70}
                   for m in metrics), f"{env}: {ident(hpa)} does not scale on CPU 70 %"


@env_param
def test_keda_scales_the_processor_on_its_queue(env):
    (scaled,) = objects(env, "ScaledObject")
    spec = scaled["spec"]
    ref = spec["scaleTargetRef"]
    assert ref.get("kind", "Deployment") == "Deployment" and ref["name"] == "processor", (
        f"{env}: {ident(scaled)} targets {ref}")
    assert spec["minReplicaCount"] == 1 and spec["maxReplicaCount"] == KEDA_MAX_REPLICAS[env], (
        f"{env}: {ident(scaled)} replicas {spec['minReplicaCount']}..{spec['maxReplicaCount']}")
    (trigger,) = spec["triggers"]
    (config,) = [c for c in objects(env, "ConfigMap") if c["metadata"]["name"] == "kinora-config"]
    assert trigger["type"] == "aws-sqs-queue"
    assert trigger["metadata"] == {"queueURL": config["data"]["SQS_QUEUE_URL"],
                                   "queueLength": "5", "awsRegion": "us-east-1"}, (
        f"{env}: {ident(scaled)} trigger metadata {trigger['metadata']}")
    auths = by_name(env, "TriggerAuthentication")
    auth = auths.get(trigger["authenticationRef"]["name"])
    assert auth is not None, f"{env}: {ident(scaled)} names a missing TriggerAuthentication"
    assert auth["spec"]["podIdentity"] == {
        "provider": "aws", "roleArn": f"arn:aws:iam::{ACCOUNT}:role/kinora-{env}-keda"}, (
        f"{env}: {ident(auth)} podIdentity {auth['spec']['podIdentity']}")


@env_param
def test_disruption_budgets_cover_every_deployment_without_blocking_drains(env):
    pdbs = objects(env, "PodDisruptionBudget")
    for d in objects(env, "Deployment"):
        covering = [p for p in pdbs if selects(p["spec"]["selector"], pod_labels(d))]
        assert len(covering) == 1, f"{env}: {ident(d)} is covered by {[ident(p) for p in covering]}"
        spec, replicas = covering[0]["spec"], d["spec"]["replicas"]
        if "minAvailable" in spec:
            assert isinstance(spec["minAvailable"], int) and spec["minAvailable"] < replicas, (
                f"{env}: {ident(covering[0])} minAvailable {spec['minAvailable']} blocks "
                f"every eviction of {ident(d)} ({replicas} replicas)")
        else:
            assert spec.get("maxUnavailable", 0) not in (0, "0%"), (
                f"{env}: {ident(covering[0])} maxUnavailable blocks every eviction")


@env_param
def test_required_network_flows_are_allowed(env):
    for src, dst in (("web", "gateway"), ("gateway", "uploader"), ("gateway", "analytics")):
        assert flow_allowed(env, src, dst), (
            f"{env}: NetworkPolicies do not allow {src} -> {dst} on 8080 (need an egress allow "
            f"on {src} and an ingress allow on {dst})")
    # ...and nothing else between the roles: the policies are not just open.
    for src, dst in (("web", "uploader"), ("web", "analytics"), ("uploader", "analytics"),
                     ("processor", "gateway"), ("analytics", "uploader")):
        assert not flow_allowed(env, src, dst), f"{env}: NetworkPolicies allow {src} -> {dst}"


@env_param
def test_every_pod_may_resolve_names(env):
    dns = {"k8s-app": "kube-dns"}
    for d in objects(env, "Deployment"):
        for protocol in ("UDP", "TCP"):
            assert policy_allows(env, "egress", pod_labels(d), "kube-system", dns, 53, protocol), (
                f"{env}: {ident(d)} pods may not reach kube-dns on {protocol} 53")


@env_param
def test_alb_and_prometheus_can_reach_the_pods(env):
    for component in ("web", "gateway"):
        assert cidr_ingress_allowed(env, component, VPC_CIDR, 8080), (
            f"{env}: no NetworkPolicy lets the ALB ({VPC_CIDR}) reach {component} on 8080")
    for component in ("uploader", "analytics", "processor"):
        assert not cidr_ingress_allowed(env, component, VPC_CIDR, 8080), (
            f"{env}: {component} is reachable from the whole VPC")
    for role in KINORA_ROLES:
        labels = pod_labels(deployment_of(env, role))
        assert policy_allows(env, "ingress", labels, "monitoring", {}, 9090), (
            f"{env}: Prometheus in namespace monitoring may not scrape {role} on 9090")
        assert not policy_allows(env, "ingress", labels, "monitoring", {}, 8080), (
            f"{env}: Prometheus needs only the internal listener, not {role}'s 8080")
        [(where, c)] = all_containers(deployment_of(env, role))
        assert {"name": "internal", "containerPort": 9090, "protocol": "TCP"} in c["ports"], (
            f"{env}: {where} does not expose the internal listener on 9090")
        annotations = deployment_of(env, role)["spec"]["template"]["metadata"]["annotations"]
        assert annotations.get("prometheus.io/port") == "9090", f"{env}: {where} scrape port"


@env_param
def test_only_the_roles_that_need_aws_reach_it(env):
    s3 = "52.216.1.1"         # an address outside the VPC (AWS public endpoints)
    postgres = "10.0.20.5"    # an address in the VPC (RDS)
    for role in KINORA_ROLES:
        assert ip_egress_allowed(env, role, s3, 443), f"{env}: {role} may not reach AWS on 443"
        assert not ip_egress_allowed(env, role, postgres, 443), (
            f"{env}: {role} may reach any address in the VPC on 443")
    # The gateway too: it reads sessions, tokens and media generations (the accounts issue).
    for role in ("gateway", "uploader", "analytics", "processor"):
        assert ip_egress_allowed(env, role, postgres, 5432), (
            f"{env}: {role} may not reach PostgreSQL in the VPC on 5432")
    for port in (443, 5432, 80):
        assert not ip_egress_allowed(env, "web", s3, port), f"{env}: web may reach {s3}:{port}"
