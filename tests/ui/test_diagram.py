import re

import pytest

from ui import dense_dot, unrolled_rnn_dot
from ui.diagram import shown_steps


def _nodes(dot: str, prefix: str) -> list[str]:
    return re.findall(rf"^\s+({prefix}\d+) \[label=", dot, flags=re.M)


@pytest.mark.parametrize(("window", "max_steps_shown"), [(1, 4), (3, 4), (4, 4), (7, 7)])
def test_short_windows_show_every_step(window, max_steps_shown):
    dot = unrolled_rnn_dot(window, n_inputs=3, n_hidden=32, input_names=["temp", "sin", "cos"],
                           max_steps_shown=max_steps_shown)  # fmt: skip
    assert dot.startswith("digraph")
    assert len(_nodes(dot, "x")) == window and len(_nodes(dot, "h")) == window + 1  # + h0
    assert "ellipsis" not in dot
    assert dot.count('label="W_i"') == window  # the same W_i at every step
    assert dot.count('label="W_h"') == window  # h0→h1 … h_{T-1}→h_T
    assert dot.count('label="W_o"') == 1  # many-to-one: only the last h_T → ŷ
    assert f"h{window} -> y" in dot and "h₀ = 0" in dot
    assert "temp, sin, cos" in dot


def test_default_shows_first_two_and_last_two_steps():
    dot = unrolled_rnn_dot(14, n_inputs=3, n_hidden=32, input_names=["temp", "sin", "cos"])
    assert _nodes(dot, "x") == ["x1", "x2", "x13", "x14"]
    assert "10 more steps" in dot
    assert "h2 -> ellipsis" in dot and "ellipsis -> h13" in dot and "h14 -> y" in dot
    assert dot.count('label="W_i"') == 4 and dot.count('label="W_h"') == 5
    # x in one row above the chain h0 → … → ŷ (flat edges: no extra column per edge label)
    assert "{ rank=same; x1; x2; x13; x14; }" in dot
    assert "{ rank=same; h0; h1; h2; ellipsis; h13; h14; y; }" in dot


def test_long_window_shows_first_and_last_three_with_an_ellipsis():
    dot = unrolled_rnn_dot(30, n_inputs=9, n_hidden=64, max_steps_shown=7)
    assert _nodes(dot, "x") == ["x1", "x2", "x3", "x28", "x29", "x30"]
    assert "ellipsis" in dot and "24 more steps" in dot
    assert "h3 -> ellipsis" in dot and "ellipsis -> h28" in dot
    assert "h30 -> y" in dot and "9 inputs" in dot and "64 units" in dot
    assert dot.count('label="W_i"') == 6 and dot.count('label="W_o"') == 1
    assert dot.count("{") == dot.count("}")


def test_labels_are_compact_and_large():
    dot = unrolled_rnn_dot(30, n_inputs=9, n_hidden=64)
    labels = re.findall(r'\[label="([^"]*)"', dot)
    assert max(len(line) for lab in labels for line in lab.split("\\n")) <= 14
    sizes = [int(v) for v in re.findall(r"fontsize=(\d+)", dot)]
    assert min(sizes) >= 14
    assert "nodesep=0.2" in dot and "ranksep=0.3" in dot


def test_shown_steps_bounds():
    assert shown_steps(8, max_steps_shown=8) == (list(range(1, 9)), False)
    assert shown_steps(8, max_steps_shown=7) == ([1, 2, 3, 6, 7, 8], True)
    assert shown_steps(14) == ([1, 2, 13, 14], True)
    assert shown_steps(4) == ([1, 2, 3, 4], False)
    assert shown_steps(5, max_steps_shown=1) == ([1, 5], True)
    with pytest.raises(ValueError):
        shown_steps(0)


def test_dense_dot_has_no_recurrence():
    dot = dense_dot(3, 16)
    assert "W_i" in dot and "W_o" in dot and "W_h" not in dot
    assert "x -> h" in dot and "h -> y" in dot and "16 units" in dot
    assert "3 inputs" in dot and dot.count("{") == dot.count("}")


def test_tall_layout_runs_the_chain_down_the_page_with_short_lines():
    names = ["temp", "doy_sin", "doy_cos"]
    wide = unrolled_rnn_dot(14, 3, 32, names)
    tall = unrolled_rnn_dot(14, 3, 32, names, layout="tall")
    assert "rankdir=TB" in wide and "rankdir=LR" in tall  # ranks become columns
    # the same graph: nodes and edges unchanged, only the orientation and title lines differ
    edges = lambda dot: sorted(re.findall(r"^\s+(\w+ -> \w+)", dot, flags=re.M))  # noqa: E731
    assert edges(tall) == edges(wide) and _nodes(tall, "x") == _nodes(wide, "x")
    title = re.search(r'^  label="([^"]*)";', tall, flags=re.M).group(1).split("\\n")
    assert max(len(line) for line in title) <= 34  # ~300 px at 16 px type: fits 390 px
    dense = dense_dot(3, 32, names, layout="tall")
    title = re.search(r'^  label="([^"]*)";', dense, flags=re.M).group(1).split("\\n")
    assert "rankdir=LR" in dense and max(len(line) for line in title) <= 36
    with pytest.raises(ValueError, match="layout"):
        unrolled_rnn_dot(14, 3, 32, layout="round")
