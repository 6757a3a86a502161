"""How many cores this process may use: its CPU affinity and its cgroup's CPU quota (a container's
--cpus, a Kubernetes CPU limit), which os.cpu_count() does not see. No Streamlit; read by the
training pool (app/pool_processes.py) and the benchmarks."""

from __future__ import annotations

import math
import os
from pathlib import Path


def usable_cores() -> int:
    """Cores this process may use: its CPU affinity (docker --cpuset-cpus) or all cores, and no
    more than a CPU quota rounded up (docker --cpus, a Kubernetes CPU limit; cgroup v2 or v1)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    quota = cpu_quota()
    return max(1, min(cores or 1, math.ceil(quota) if quota is not None else cores or 1))


def cpu_quota(cgroup: Path = Path("/sys/fs/cgroup"),
              membership: Path = Path("/proc/self/cgroup")) -> float | None:
    """The CPU quota of this process's cgroup in cores (e.g. 1.5), the tightest along its path;
    None when there is none or it cannot be read (not Linux, another layout)."""
    try:
        lines = membership.read_text().splitlines()
    except OSError:
        lines = []
    found = []
    for line in lines:  # "0::/path" (v2) or "4:cpu,cpuacct:/path" (v1)
        fields = line.split(":", 2)
        v2 = len(fields) == 3 and fields[1] == ""
        if len(fields) != 3 or not (v2 or "cpu" in fields[1].split(",")):
            continue
        base = cgroup if v2 else cgroup / "cpu"
        here = base / fields[2].lstrip("/")
        for directory in [here, *here.parents]:  # every level may limit; up to the root
            if quota := _quota(directory, v2):
                found.append(quota)
            if directory == base:
                break
    return min(found) if found else None


def _quota(directory: Path, v2: bool) -> float | None:
    try:
        if v2:  # cpu.max: "150000 100000", or "max 100000" for none
            quota, period = (directory / "cpu.max").read_text().split()[:2]
        else:  # cpu.cfs_quota_us is -1 for none
            quota, period = ((directory / f).read_text() for f in ("cpu.cfs_quota_us",
                                                                   "cpu.cfs_period_us"))
        cores = float(quota) / float(period)
        return cores if cores > 0 else None
    except (OSError, ValueError, ZeroDivisionError):  # "max" is a ValueError too
        return None
