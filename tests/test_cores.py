"""A class's pace and its tab cap count the cores the process may use, not the machine's."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="needs Linux's CPU affinity")


def test_a_process_pinned_to_one_core_paces_and_caps_its_class_for_one():
    code = textwrap.dedent("""
        import os
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
        from nn_tui.classroom.capacity import default_max_tabs
        from nn_tui.cores import usable_cores
        from nn_tui.ui.class_pace import ClassPace
        print(usable_cores(), ClassPace(10.0, path="").cores, default_max_tabs()[1].split(" cores")[0])
    """)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(Path(__file__).parents[1]),
                                                                        os.environ.get("PYTHONPATH")]))}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["1", "1", "1"]
