import ast
import pathlib

import ui

UI_DIR = pathlib.Path(ui.__file__).parent
ALLOWED = {"altair", "numpy", "pandas", "__future__", "collections", "dataclasses", "math",
           "re", "typing"}  # fmt: skip


def test_ui_imports_only_pandas_numpy_altair_and_the_stdlib():
    for path in UI_DIR.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                roots = {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                roots = {node.module.split(".")[0]}
            else:
                continue
            assert roots <= ALLOWED, f"{path.name} imports {roots - ALLOWED}"


def test_the_app_facing_names_are_exported():
    for name in ("history_chart", "loss_curves_chart", "grad_norm_chart", "forecast_chart",
                 "metrics_table", "skill_chart", "monthly_error_chart", "horizon_error_chart",
                 "future_chart", "hidden_heatmap", "memory_probe_chart", "unrolled_rnn_dot",
                 "dense_dot", "parameter_table", "walkthrough_table", "walkthrough_steps",
                 "run_history_table", "MODEL_COLORS", "MODEL_LABELS"):  # fmt: skip
        assert hasattr(ui, name), name
    assert set(ui.MODEL_LABELS) == set(ui.MODEL_COLORS)
    assert ui.MODEL_LABELS["rnn"] == "RNN (memory)" and ui.MODEL_LABELS["actual"] == "Observed"
