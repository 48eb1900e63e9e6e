"""Model downloads against a catalogue and zips served on 127.0.0.1: verified, safe, atomic."""

from __future__ import annotations

import hashlib
import http.server
import io
import json
import os
import stat
import subprocess
import sys
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from voicereflect import paths
from voicereflect.speech import download
from voicereflect.speech.download import CatalogueUnreachable, DownloadError

MODEL_FILES = {
    "am/final.mdl": b"acoustic model",
    "conf/mfcc.conf": b"--use-energy=false\n",
    "conf/model.conf": b"--beam=10.0\n",
    "graph/HCLr.fst": b"graph",
    "graph/Gr.fst": b"grammar",
}


def _zip(entries: dict[str, bytes], symlink: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
        if symlink:
            info = zipfile.ZipInfo(symlink)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            zf.writestr(info, "/etc/passwd")
    return buffer.getvalue()


def _model_zip(name: str) -> bytes:
    return _zip({f"{name}/{k}": v for k, v in MODEL_FILES.items()})


class Server:
    """A catalogue and its zips on a loopback HTTP server."""

    def __init__(self, root: Path, port: int) -> None:
        self.root = root
        self.base = f"http://127.0.0.1:{port}"
        self.entries: list[dict[str, str | int]] = []

    def add(self, name: str, data: bytes, lang: str = "xx", **override: str | int) -> None:
        (self.root / f"{name}.zip").write_bytes(data)
        entry: dict[str, str | int] = {
            "name": name,
            "lang": lang,
            "lang_text": "Test",
            "url": f"{self.base}/{name}.zip",
            "size": len(data),
            "size_text": "1K",
            "md5": hashlib.md5(data).hexdigest(),
            "type": "small",
            "obsolete": "false",
            "version": name.rsplit("-", 1)[-1],
        }
        entry.update(override)
        self.entries.append(entry)
        (self.root / "model-list.json").write_text(json.dumps(self.entries))

    @property
    def catalogue(self) -> str:
        return f"{self.base}/model-list.json"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    root = tmp_path / "www"
    root.mkdir()

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, directory=str(root), **kwargs)  # type: ignore[arg-type]

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield Server(root, httpd.server_address[1])
    finally:
        httpd.shutdown()
        httpd.server_close()


def _installed() -> list[str]:
    """Everything in the models dir, hidden temp dirs included."""
    models = paths.models_dir()
    return sorted(p.name for p in models.iterdir()) if models.exists() else []


def test_download_by_name_verifies_and_installs_atomically(server: Server) -> None:
    server.add("vosk-model-small-xx-0.1", _model_zip("vosk-model-small-xx-0.1"))
    out = io.StringIO()
    installed = download.download("vosk-model-small-xx-0.1", url=server.catalogue, out=out)
    assert installed == paths.models_dir() / "vosk-model-small-xx-0.1"
    assert (installed / "am" / "final.mdl").read_bytes() == b"acoustic model"
    assert _installed() == ["vosk-model-small-xx-0.1"]
    assert "MB/s" in out.getvalue()  # the progress line
    assert stat.S_IMODE(paths.models_dir().stat().st_mode) == 0o700


def test_download_by_language_picks_the_newest_small_current_model(server: Server) -> None:
    server.add("vosk-model-small-xx-0.1", _model_zip("vosk-model-small-xx-0.1"))
    server.add("vosk-model-small-xx-0.3", _model_zip("vosk-model-small-xx-0.3"), obsolete="true")
    server.add("vosk-model-small-xx-0.2", _model_zip("vosk-model-small-xx-0.2"))
    server.add("vosk-model-xx-0.9", _model_zip("vosk-model-xx-0.9"), type="big")
    installed = download.download("xx", url=server.catalogue, out=io.StringIO())
    assert installed.name == "vosk-model-small-xx-0.2"


def test_wrong_md5_is_refused_and_nothing_is_installed(server: Server) -> None:
    server.add("vosk-model-small-xx-0.1", _model_zip("vosk-model-small-xx-0.1"), md5="0" * 32)
    with pytest.raises(DownloadError, match="md5"):
        download.download("xx", url=server.catalogue, out=io.StringIO())
    assert _installed() == []


def test_truncated_download_is_refused_and_nothing_is_installed(server: Server) -> None:
    data = _model_zip("vosk-model-small-xx-0.1")
    server.add("vosk-model-small-xx-0.1", data)
    (server.root / "vosk-model-small-xx-0.1.zip").write_bytes(data[: len(data) // 2])
    with pytest.raises(DownloadError, match="truncated"):
        download.download("xx", url=server.catalogue, out=io.StringIO())
    assert _installed() == []


def test_zip_with_parent_dir_entries_is_refused_before_anything_is_written(
    server: Server, tmp_path: Path
) -> None:
    evil = _zip({"m/am/final.mdl": b"x", "m/../../../escaped.txt": b"gotcha"})
    server.add("vosk-model-small-xx-0.1", evil)
    with pytest.raises(DownloadError, match=r"'\.\.' path"):
        download.download("xx", url=server.catalogue, out=io.StringIO())
    assert _installed() == []
    assert not list(tmp_path.rglob("escaped.txt"))
    assert not list(paths.data_dir().rglob("escaped.txt"))


def test_zip_with_absolute_or_symlink_entries_is_refused(tmp_path: Path) -> None:
    absolute = tmp_path / "abs.zip"
    absolute.write_bytes(_zip({"/tmp/x/am/final.mdl": b"x"}))
    with pytest.raises(DownloadError, match="absolute path"):
        download.install_zip(absolute)
    link = tmp_path / "link.zip"
    link.write_bytes(_zip({f"m/{k}": v for k, v in MODEL_FILES.items()}, symlink="m/am/evil"))
    with pytest.raises(DownloadError, match="symbolic link"):
        download.install_zip(link)
    assert _installed() == []


def test_zip_without_model_files_is_refused(server: Server) -> None:
    server.add("vosk-model-small-xx-0.1", _zip({"readme.txt": b"not a model"}))
    with pytest.raises(DownloadError, match=r"no Vosk model \(missing am/final.mdl"):
        download.download("xx", url=server.catalogue, out=io.StringIO())
    assert _installed() == []


def test_interrupted_download_leaves_nothing_behind(server: Server) -> None:
    server.add("vosk-model-small-xx-0.1", _model_zip("vosk-model-small-xx-0.1"))

    class CtrlC(io.StringIO):
        def write(self, text: str) -> int:
            if "MB/s" in text:  # while the zip sits in the staging dir
                raise KeyboardInterrupt
            return super().write(text)

    with pytest.raises(KeyboardInterrupt):
        download.download("xx", url=server.catalogue, out=CtrlC())
    assert _installed() == []


def test_already_installed_model_is_not_overwritten(server: Server) -> None:
    server.add("vosk-model-small-xx-0.1", _model_zip("vosk-model-small-xx-0.1"))
    download.download("xx", url=server.catalogue, out=io.StringIO())
    with pytest.raises(DownloadError, match="already installed"):
        download.download("xx", url=server.catalogue, out=io.StringIO())
    assert _installed() == ["vosk-model-small-xx-0.1"]


def test_unknown_model_lists_the_languages_on_offer(server: Server) -> None:
    server.add("vosk-model-small-xx-0.1", _model_zip("vosk-model-small-xx-0.1"))
    with pytest.raises(DownloadError, match="languages: xx"):
        download.download("zz", url=server.catalogue, out=io.StringIO())


def test_offline_catalogue_is_one_clear_error(server: Server) -> None:
    with pytest.raises(CatalogueUnreachable, match="offline.*models add FILE.zip"):
        download.fetch_catalogue("http://127.0.0.1:9/model-list.json", timeout=2)


def test_cli_download_offline_prints_one_line_and_fails(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "voicereflect.cli", "models", "download", "en-us",
         "--catalogue", "http://127.0.0.1:9/model-list.json"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert run.returncode != 0
    assert run.stderr.count("\n") == 1, run.stderr
    assert "cannot reach the Vosk model catalogue (offline?)" in run.stderr
    assert "Traceback" not in run.stderr


def test_models_add_zip_and_folder(tmp_path: Path) -> None:
    archive = tmp_path / "vosk-model-small-yy-0.1.zip"
    archive.write_bytes(_model_zip("vosk-model-small-yy-0.1"))
    assert download.install_zip(archive).name == "vosk-model-small-yy-0.1"
    folder = tmp_path / "mine"
    for name, data in MODEL_FILES.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    assert download.install_dir(folder, name="vosk-model-zz").name == "vosk-model-zz"
    assert _installed() == ["vosk-model-small-yy-0.1", "vosk-model-zz"]


def test_models_add_folder_without_model_is_refused(tmp_path: Path) -> None:
    (tmp_path / "empty" / "conf").mkdir(parents=True)
    with pytest.raises(DownloadError, match="missing am/final.mdl"):
        download.install_dir(tmp_path / "empty")
    assert _installed() == []


def test_cli_download_then_use(server: Server, capsys: pytest.CaptureFixture[str]) -> None:
    from voicereflect.cli import main
    from voicereflect.config import load_config

    server.add("vosk-model-small-xx-0.1", _model_zip("vosk-model-small-xx-0.1"))
    assert main(["models", "download", "xx", "--catalogue", server.catalogue]) == 0
    out, err = capsys.readouterr()
    assert "installed vosk-model-small-xx-0.1" in out
    assert err.startswith("downloading vosk-model-small-xx-0.1 (1K) from http://127.0.0.1:")
    assert main(["models", "use", "vosk-model-small-xx-0.1"]) == 0
    assert load_config().speech.model == "vosk-model-small-xx-0.1"


# Enters the real staging context, as an install does, then dies the way a power cut or
# `kill -9` would: no finally clause runs, so the staging dir stays behind.
_KILLED_MID_INSTALL = """
import os, signal, sys
from pathlib import Path
from voicereflect.speech import download
with download._staging(Path(sys.argv[1])) as staging:
    (staging / "model.zip").write_bytes(b"half a download")
    os.kill(os.getpid(), signal.SIGKILL)
"""


def _leave_a_killed_install(models: Path) -> Path:
    run = subprocess.run(
        [sys.executable, "-c", _KILLED_MID_INSTALL, str(models)], capture_output=True, timeout=60
    )
    assert run.returncode == -9, run.stderr
    (left,) = [p for p in models.iterdir() if p.name.startswith(".incoming-")]
    return left


@pytest.mark.parametrize("how", ["download", "zip", "folder"])
def test_interrupted_download_is_cleaned_up_by_the_next_install(
    server: Server, tmp_path: Path, how: str
) -> None:
    models = paths.models_dir()
    killed = _leave_a_killed_install(models)
    # Another install still running (this process, so certainly alive) keeps its folder.
    live = models / f".incoming-{os.getpid()}-busy"
    live.mkdir()
    # An unowned staging dir from an older version: gone once a day old, kept before.
    old, recent = models / ".incoming-k3j4l5m6", models / ".incoming-a1b2c3d4"
    old.mkdir()
    recent.mkdir()
    os.utime(old, (0, os.stat(old).st_mtime - 25 * 3600))

    name = "vosk-model-small-xx-0.1"
    if how == "download":
        server.add(name, _model_zip(name))
        download.download("xx", url=server.catalogue, out=io.StringIO())
    elif how == "zip":
        archive = tmp_path / f"{name}.zip"
        archive.write_bytes(_model_zip(name))
        download.install_zip(archive)
    else:
        folder = tmp_path / name
        for part, data in MODEL_FILES.items():
            (folder / part).parent.mkdir(parents=True, exist_ok=True)
            (folder / part).write_bytes(data)
        download.install_dir(folder)
    assert not killed.exists()
    assert _installed() == sorted([name, live.name, recent.name])


def test_staging_dirs_name_their_owner_process(tmp_path: Path) -> None:
    with download._staging(tmp_path) as staging:
        owner = staging.name.removeprefix(".incoming-").split("-")[0]
        assert owner == str(os.getpid())
