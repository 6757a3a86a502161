"""Helpers to look inside a Vega-Lite spec produced by Altair."""

from __future__ import annotations

from typing import Any


def spec_of(chart) -> dict:
    """to_dict() validates against the Vega-Lite schema; also check parameter view names: each
    names one view (two views of one name bind a selection to the wrong one) and exists."""
    spec = chart.to_dict()
    named = view_names(spec)
    names = set(named)
    assert len(names) == len(named), f"views share a name: {sorted(named)}"
    for param in all_params(spec):
        for view in param.get("views", []):
            assert view in names, f"param {param['name']} points at missing view {view}"
    return spec


def walk(node: Any):
    if isinstance(node, dict):
        yield node
        for v in node.values():
            yield from walk(v)
    elif isinstance(node, list):
        for v in node:
            yield from walk(v)


def view_names(spec: dict) -> list[str]:
    return [d["name"] for d in walk(spec) if "mark" in d and "name" in d]


def all_params(spec: dict) -> list[dict]:
    out = []
    for d in walk(spec):
        for p in d.get("params", []) if isinstance(d.get("params"), list) else []:
            out.append(p)
    return out


def marks(spec: dict) -> list[str]:
    out = []
    for d in walk(spec):
        m = d.get("mark")
        if m is not None:
            out.append(m if isinstance(m, str) else m["type"])
    return out


def datasets(spec: dict) -> list[list[dict]]:
    return list(spec.get("datasets", {}).values())


def encodings(spec: dict, channel: str) -> list[dict]:
    return [
        d["encoding"][channel]
        for d in walk(spec)
        if isinstance(d.get("encoding"), dict) and channel in d["encoding"]
    ]


def color_range_for(spec: dict, label: str) -> str | None:
    for enc in encodings(spec, "color"):
        scale = enc.get("scale", {})
        domain, rng = scale.get("domain"), scale.get("range")
        if isinstance(domain, list) and isinstance(rng, list) and label in domain:
            return rng[domain.index(label)]
    return None
