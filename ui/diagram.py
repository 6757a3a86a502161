"""Graphviz DOT text of the networks, for `st.graphviz_chart` (a DOT string needs no Python
graphviz package; nothing is rendered here)."""

from __future__ import annotations

from collections.abc import Sequence

_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")

# Sized for st.graphviz_chart, which scales the drawing down to the column: a compact layout with
# large type stays readable (a 2,200 px wide drawing shrunk into 940 px had 5 px labels).
_GRAPH = (
    '  graph [fontname="Helvetica", fontsize=16, nodesep=0.2, ranksep=0.3, labelloc=t,'
    ' bgcolor=transparent,'
    ' margin=0.05];\n'
    '  node [fontname="Helvetica", fontsize=16, margin="0.08,0.04", height=0.4];\n'
    '  edge [fontname="Helvetica", fontsize=14, color="#555555", fontcolor="#31333f",'
    ' arrowsize=0.7];\n'
)
_X_STYLE = 'shape=box, style="rounded,filled", fillcolor="#e8f0fb", color="#4c78a8"'
_H_STYLE = 'shape=box, style="rounded,filled", fillcolor="#fde4dc", color="#e4572e"'
_Y_STYLE = 'shape=box, style="rounded,filled,bold", fillcolor="#fff4cc", color="#b8860b"'


def _sub(n: int) -> str:
    return str(n).translate(_SUB)


def _quote(text: str) -> str:
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _inputs_text(n_inputs: int, input_names: Sequence[str] | None, sep: str = ", ") -> str:
    if input_names and len(input_names) <= 4:
        return sep.join(str(n) for n in input_names)
    return f"{n_inputs} input{'s' if n_inputs != 1 else ''}"


def _day(t: int, window: int) -> str:
    back = window - t
    return "today" if back == 0 else f"day −{back}"


def shown_steps(window: int, max_steps_shown: int = 4) -> tuple[list[int], bool]:
    """The time steps drawn (1-based) and whether an ellipsis stands for the ones in between.

    Windows longer than `max_steps_shown` show the first and the last `max_steps_shown // 2`
    steps (at least one of each).
    """
    window = int(window)
    if window < 1:
        raise ValueError("window must be at least 1")
    if window <= max_steps_shown:
        return list(range(1, window + 1)), False
    k = max(1, int(max_steps_shown) // 2)
    return list(range(1, k + 1)) + list(range(window - k + 1, window + 1)), True


def _legend_line(n_inputs: int, n_hidden: int, input_names: Sequence[str] | None,
                 layout: str = "wide") -> str:
    sep = "\n" if layout == "tall" else "   ·   "  # tall: one short line each, for a phone
    # tall: one input per line too, so names with units keep the drawing narrow
    names = _inputs_text(n_inputs, input_names, ",\n" if layout == "tall" else ", ")
    return f"x = {names}{sep}h = {n_hidden} units"


LAYOUTS = ("wide", "tall")


def _check_layout(layout: str) -> str:
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {LAYOUTS}, got {layout!r}")
    return layout


def unrolled_rnn_dot(
    window: int,
    n_inputs: int,
    n_hidden: int,
    input_names: Sequence[str] | None = None,
    max_steps_shown: int = 4,
    layout: str = "wide",
) -> str:
    """The RNN unrolled over a window of `window` days, in the lesson's names (W_i, W_h, W_o).

    x_t → h_t through W_i, h_{t-1} → h_t through W_h (h_0 = 0), the last h_T → ŷ through W_o.
    The same three matrices at every step. Windows longer than `max_steps_shown` show the first
    and the last `max_steps_shown // 2` steps with "…" between (default: 2 … 2).

    Drawn compact so it stays readable when scaled to a column: the inputs in a row above the
    chain of hidden states (top to bottom, so the h → h edges are flat and their labels take no
    column of their own), short node labels, and what x and h hold said once under the title.

    `layout="tall"` turns it a quarter turn for a phone (390 px): the chain h₀ → … → ŷ runs
    down the page with each x_t to its left, and the title is cut into short lines, so the
    drawing is about 300 px wide at full size instead of being shrunk to unreadable type.
    """
    tall = _check_layout(layout) == "tall"
    steps, ellipsis = shown_steps(window, max_steps_shown)
    head = len(steps) // 2 if ellipsis else len(steps)
    title = (
        (f"The RNN unrolled over {window} days\n" if tall
         else f"The RNN unrolled over a {window}-day window\n")
        + ("same W_i, W_h, W_o at every step\n" if tall
           else "the same W_i, W_h and W_o at every step\n")
        + _legend_line(n_inputs, n_hidden, input_names, layout)
    )
    lines = [
        "digraph unrolled_rnn {",
        # tall: ranks become columns (x on the left, the chain on the right, top to bottom)
        f"  rankdir={'LR' if tall else 'TB'};",
        _GRAPH.rstrip("\n"),
        f"  label={_quote(title)};",
        '  h0 [label="h₀ = 0", shape=box, style="rounded,dashed",'
        ' color="#808495", fontcolor="#5c5f6b"];',
    ]
    chain, edges = ["h0"], []
    prev = "h0"
    for i, t in enumerate(steps):
        x_label = f"x{_sub(t)}\n{_day(t, window)}"
        lines.append(f"  x{t} [label={_quote(x_label)}, {_X_STYLE}];")
        lines.append(f"  h{t} [label={_quote('h' + _sub(t))}, {_H_STYLE}];")
        edges.append(f'  x{t} -> h{t} [label="W_i"];')
        if ellipsis and i == head:
            hidden_steps = window - len(steps)
            gap = f"· · ·\n{hidden_steps} more step{'s' if hidden_steps != 1 else ''}"
            lines.append(f"  ellipsis [label={_quote(gap)}, shape=plaintext, fontsize=14];")
            chain.append("ellipsis")
            edges.append(f'  {prev} -> ellipsis [label="W_h", style=dashed];')
            edges.append(f'  ellipsis -> h{t} [label="W_h", style=dashed];')
        else:
            edges.append(f'  {prev} -> h{t} [label="W_h"];')
        chain.append(f"h{t}")
        prev = f"h{t}"
    lines.append(f'  y [label="ŷ\\ntomorrow", {_Y_STYLE}];')
    chain.append("y")
    edges.append(f'  h{steps[-1]} -> y [label="W_o"];')
    lines.append(f"  {{ rank=same; {'; '.join(f'x{t}' for t in steps)}; }}")
    lines.append(f"  {{ rank=same; {'; '.join(chain)}; }}")
    lines += edges
    lines.append("}")
    return "\n".join(lines) + "\n"


def dense_dot(
    n_inputs: int,
    n_hidden: int,
    input_names: Sequence[str] | None = None,
    layout: str = "wide",
) -> str:
    """The memoryless dense network: today's inputs → hidden layer → ŷ. No W_h, no h_{t-1}.

    Laid out like `unrolled_rnn_dot` (input above, hidden → ŷ in a row) so the two compare at a
    glance; in place of h_{t-1} a faded note says nothing comes from yesterday. `layout` as in
    `unrolled_rnn_dot`.
    """
    tall = _check_layout(layout) == "tall"
    title = (
        "The dense network sees today only\n"
        + ("nothing carried over from yesterday\n" if tall
           else "nothing is carried over from yesterday\n")
        + _legend_line(n_inputs, n_hidden, input_names, layout)
    )
    return (
        "digraph dense {\n"
        f"  rankdir={'LR' if tall else 'TB'};\n"
        f"{_GRAPH}"
        f"  label={_quote(title)};\n"
        '  none [label="no h from\\nyesterday", shape=box, style="rounded,dashed",'
        ' color="#c0c2cc", fontcolor="#5c5f6b"];\n'
        f'  x [label="x\\ntoday", {_X_STYLE}];\n'
        f'  h [label="hidden layer", {_H_STYLE}];\n'
        f'  y [label="ŷ\\ntomorrow", {_Y_STYLE}];\n'
        "  { rank=same; none; h; y; }\n"
        '  x -> h [label="W_i"];\n'
        '  none -> h [style=invis];\n'
        '  h -> y [label="W_o"];\n'
        "}\n"
    )
