"""How many cores the pool counts: CPU affinity and cgroup CPU quotas (v1 and v2)."""

import os

from app.cores import cpu_quota, usable_cores


def _cgroup(tmp_path, membership: str, files: dict[str, str]):
    """A cgroup tree with these files (paths under the mount) and a /proc/self/cgroup."""
    for rel, text in files.items():
        (tmp_path / "fs" / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "fs" / rel).write_text(text)
    (tmp_path / "self").write_text(membership)
    return tmp_path / "fs", tmp_path / "self"


def test_a_cpu_quota_caps_the_cores_the_pool_counts(tmp_path):
    v2 = _cgroup(tmp_path / "v2", "0::/pod/app\n", {"pod/app/cpu.max": "max 100000\n",
                                                     "pod/cpu.max": "150000 100000\n"})
    assert cpu_quota(*v2) == 1.5  # a parent's limit holds for its children
    v1 = _cgroup(tmp_path / "v1", "4:memory:/x\n\nnot a cgroup line\n1:cpu,cpuacct:/docker/abc\n",
                 {"cpu/docker/abc/cpu.cfs_quota_us": "200000\n",
                  "cpu/docker/abc/cpu.cfs_period_us": "100000\n",
                  "cpu/cpu.cfs_quota_us": "-1\n", "cpu/cpu.cfs_period_us": "100000\n"})
    assert cpu_quota(*v1) == 2.0
    none = _cgroup(tmp_path / "none", "0::/\n", {"cpu.max": "max 100000\n"})
    assert cpu_quota(*none) is None
    assert cpu_quota(tmp_path / "missing", tmp_path / "missing-too") is None
    assert 1 <= usable_cores() <= (os.cpu_count() or 1)
