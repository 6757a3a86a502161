"""deploy/kubernetes.yaml is well-formed and consistent: every document a known kind with its
required fields, the probes name a declared port, the Service and Ingress reach the Deployment,
and the database URL comes from a Secret that the manifest references but does not define (so
`kubectl apply` never overwrites the real password; deploy/database-secret.example.yaml shows
it), never written into the Deployment."""

from pathlib import Path

import yaml

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
MANIFEST = DEPLOY / "kubernetes.yaml"
SECRET_EXAMPLE = DEPLOY / "database-secret.example.yaml"
API = {"Deployment": "apps/v1", "Service": "v1", "Ingress": "networking.k8s.io/v1"}


def documents(path: Path = MANIFEST) -> dict[str, dict]:
    docs = [d for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if d]
    kinds = [d["kind"] for d in docs]
    assert len(kinds) == len(set(kinds)), kinds
    return {d["kind"]: d for d in docs}


def test_every_document_is_a_known_kind_with_its_fields():
    docs = documents()
    assert set(docs) == set(API)
    for kind, doc in docs.items():
        assert doc["apiVersion"] == API[kind]
        assert doc["metadata"]["name"]


def test_the_deployment_the_service_and_the_ingress_fit_together():
    docs = documents()
    deployment = docs["Deployment"]["spec"]
    labels = deployment["template"]["metadata"]["labels"]
    assert deployment["selector"]["matchLabels"].items() <= labels.items()
    assert docs["Service"]["spec"]["selector"].items() <= labels.items()
    (container,) = deployment["template"]["spec"]["containers"]
    ports = {p["name"] for p in container["ports"]}
    for probe in ("readinessProbe", "livenessProbe"):
        assert container[probe]["httpGet"]["port"] in ports
    backend = docs["Ingress"]["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
    assert backend["name"] == docs["Service"]["metadata"]["name"]


def test_the_database_url_comes_from_the_secret():
    docs = documents()
    (container,) = docs["Deployment"]["spec"]["template"]["spec"]["containers"]
    env = {e["name"]: e for e in container["env"]}
    ref = env["RNN_LAB_DATABASE_URL"]["valueFrom"]["secretKeyRef"]
    assert "value" not in env["RNN_LAB_DATABASE_URL"]
    assert "Secret" not in docs  # applying the manifest leaves the real Secret alone
    (secret,) = documents(SECRET_EXAMPLE).values()
    assert secret["kind"] == "Secret" and secret["apiVersion"] == "v1"
    assert ref["name"] == secret["metadata"]["name"]
    assert secret["stringData"][ref["key"]].startswith("postgresql://")
    assert f"kubectl create secret generic {ref['name']}" in MANIFEST.read_text(encoding="utf-8")
