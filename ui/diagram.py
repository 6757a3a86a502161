"""Graphviz DOT text of the networks, for `st.graphviz_chart` (a DOT string needs no Python
graphviz package; nothing is rendered here)."""

from __future__ import annotations

from collections.abc import Sequence

_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")

_GRAPH = (
    '  graph [fontname="Helvetica", fontsize=12, nodesep=0.3, ranksep=0.55, labelloc=t];\n'
    '  node [fontname="Helvetica", fontsize=11];\n'
    '  edge [fontname="Helvetica", fontsize=10, color="#555555", fontcolor="#31333f"];\n'
)
_X_STYLE = 'shape=box, style="rounded,filled", fillcolor="#e8f0fb", color="#4c78a8"'
_H_STYLE = 'shape=box, style="rounded,filled", fillcolor="#fde4dc", color="#e4572e"'
_Y_STYLE = 'shape=box, style="rounded,filled,bold", fillcolor="#fff4cc", color="#b8860b"'


def _sub(n: int) -> str:
    return str(n).translate(_SUB)


def _quote(text: str) -> str:
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _inputs_text(n_inputs: int, input_names: Sequence[str] | None) -> str:
    if input_names and len(input_names) <= 4:
        return ", ".join(str(n) for n in input_names)
    return f"{n_inputs} input{'s' if n_inputs != 1 else ''}"


def _day(t: int, window: int) -> str:
    back = window - t
    return "today" if back == 0 else f"today − {back} d"


def shown_steps(window: int, max_steps_shown: int = 7) -> tuple[list[int], bool]:
    """The time steps drawn (1-based) and whether an ellipsis stands for the ones in between."""
    window = int(window)
    if window < 1:
        raise ValueError("window must be at least 1")
    if window <= max_steps_shown:
        return list(range(1, window + 1)), False
    return [1, 2, 3, window - 2, window - 1, window], True


def unrolled_rnn_dot(
    window: int,
    n_inputs: int,
    n_hidden: int,
    input_names: Sequence[str] | None = None,
    max_steps_shown: int = 7,
) -> str:
    """The RNN unrolled over a window of `window` days, left to right, in the seed's names.

    x_t → h_t through W_i, h_{t-1} → h_t through W_h (h_0 = 0), the last h_T → ŷ through W_o.
    The same three matrices at every step. Windows longer than `max_steps_shown` show the first
    three and the last three steps with "…" between.
    """
    steps, ellipsis = shown_steps(window, max_steps_shown)
    inputs = _inputs_text(n_inputs, input_names)
    title = (
        f"The RNN unrolled over a {window}-day window: the same W_i, W_h and W_o at every step"
    )
    lines = [
        "digraph unrolled_rnn {",
        "  rankdir=LR;",
        _GRAPH.rstrip("\n"),
        f"  label={_quote(title)};",
        '  h0 [label="h₀ = 0\\n(no memory yet)", shape=box, style="rounded,dashed",'
        ' color="#808495", fontcolor="#808495"];',
    ]
    prev = "h0"
    for i, t in enumerate(steps):
        x_label = f"x{_sub(t)}\n{_day(t, window)}\n{inputs}"
        h_label = f"h{_sub(t)}\n{n_hidden} units"
        lines.append(f"  x{t} [label={_quote(x_label)}, {_X_STYLE}];")
        lines.append(f"  h{t} [label={_quote(h_label)}, {_H_STYLE}];")
        lines.append(f"  {{ rank=same; x{t}; h{t}; }}")
        lines.append(f'  x{t} -> h{t} [label="W_i"];')
        if ellipsis and i == 3:
            hidden_steps = window - 6
            gap = f"… {hidden_steps} more step{'s' if hidden_steps != 1 else ''} …\nsame W_i, W_h"
            lines.append(f"  ellipsis [label={_quote(gap)}, shape=plaintext];")
            lines.append(f'  {prev} -> ellipsis [label="W_h", style=dashed];')
            lines.append(f'  ellipsis -> h{t} [label="W_h", style=dashed];')
        else:
            lines.append(f'  {prev} -> h{t} [label="W_h"];')
        prev = f"h{t}"
    lines.append(f'  y [label="ŷ\\ntomorrow", {_Y_STYLE}];')
    lines.append(f'  h{steps[-1]} -> y [label="W_o"];')
    lines.append("}")
    return "\n".join(lines) + "\n"


def dense_dot(
    n_inputs: int,
    n_hidden: int,
    input_names: Sequence[str] | None = None,
) -> str:
    """The memoryless dense network: today's inputs → hidden layer → ŷ. No W_h, no h_{t-1}."""
    inputs = _inputs_text(n_inputs, input_names)
    title = "The dense network sees today only: nothing is carried over from yesterday"
    return (
        "digraph dense {\n"
        "  rankdir=LR;\n"
        f"{_GRAPH}"
        f"  label={_quote(title)};\n"
        f"  x [label={_quote('x' + chr(10) + 'today' + chr(10) + inputs)}, {_X_STYLE}];\n"
        f"  h [label={_quote('hidden layer' + chr(10) + f'{n_hidden} units')}, {_H_STYLE}];\n"
        f'  y [label="ŷ\\ntomorrow", {_Y_STYLE}];\n'
        '  x -> h [label="W_i"];\n'
        '  h -> y [label="W_o"];\n'
        "}\n"
    )
