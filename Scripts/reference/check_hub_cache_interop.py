#!/usr/bin/env python3
"""Check that the Swift SDK and Python's huggingface_hub share one Hugging Face cache, both ways.

A fake Hub on loopback (this file) serves the tiny SmolVLM2 checkpoint (Models/tiny-smolvlm2) plus
files a model does not need (README.md, onnx/model.onnx), with the Hub's endpoints, headers and
redirects: model info with siblings, the tree listing, HEAD/GET on resolve with X-Repo-Commit and
ETag (git blob id), LFS files redirected to another host name with X-Linked-Etag (SHA-256) and
X-Linked-Size, Range requests.

1. Swift writes, Python reads: `smolvlm download` fills an empty cache; then huggingface_hub's
   `snapshot_download(local_files_only=True)` and `hf_hub_download(local_files_only=True)` return
   the same snapshot with the same bytes, `scan_cache_dir` finds the repository without warnings,
   an online `snapshot_download` of those files downloads nothing, and one of the whole repository
   downloads only the files Swift skipped.
2. Python writes, Swift reads: `snapshot_download` fills an empty cache; then `smolvlm download`
   and `smolvlm tokenize` with HF_HUB_OFFLINE=1 use it, an online `smolvlm download` downloads
   nothing, and an offline run after a snapshot file was removed names the missing file.

Usage (from the repository root, after `swift build --product smolvlm`):
    Scripts/reference/.venv/bin/python Scripts/reference/check_hub_cache_interop.py [--smolvlm PATH]
"""

from __future__ import annotations

import argparse
import hashlib
import http.server
import json
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

# huggingface_hub reads its environment on import: no progress bars, and nothing from the caller's
# own Hub settings (every call below passes its cache, endpoint and token=False).
for _name in [name for name in os.environ if name.startswith(("HF_", "HUGGING", "TRANSFORMERS_OFFLINE"))]:
    del os.environ[_name]
os.environ["HF_HUB_DISABLE_PROGRESS_BARS"] = "1"

import huggingface_hub  # noqa: E402
from huggingface_hub import hf_hub_download, scan_cache_dir, snapshot_download  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parents[2]
MODEL = REPO_ROOT / "Models" / "tiny-smolvlm2"
REPO_ID = "smol-test/tiny-smolvlm2"
# What the Swift SDK fetches for a model: everything in Models/tiny-smolvlm2 (all top-level JSON,
# merges.txt and model.safetensors), none of the extras.
EXTRAS = {"README.md": b"# tiny-smolvlm2\n", "onnx/model.onnx": bytes(range(256)) * 64}


def git_blob_id(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


class FakeHub:
    """The Hub endpoints huggingface_hub and the Swift SDK use, over one repository and commit."""

    def __init__(self, files: dict[str, bytes]):
        self.files = files
        self.sha256 = {path: hashlib.sha256(data).hexdigest() for path, data in files.items() if self.is_lfs(path)}
        self.commit = hashlib.sha1(json.dumps(sorted(files)).encode()).hexdigest()
        self.log: list[tuple[str, str, str | None]] = []  # (method, path, repository file)
        hub = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as clients meet on the Hub

            def do_HEAD(self):
                hub.handle(self, head=True)

            def do_GET(self):
                hub.handle(self, head=False)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.endpoint = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @staticmethod
    def is_lfs(path: str) -> bool:
        return path.endswith((".safetensors", ".onnx"))

    def stop(self):
        self.server.shutdown()

    def file_gets(self) -> list[str]:
        """Repository files whose bytes were requested, in order."""
        return [file for method, _, file in self.log if method == "GET" and file is not None]

    def handle(self, request: http.server.BaseHTTPRequestHandler, head: bool):
        parts = urlsplit(request.path)
        segments = [unquote(s) for s in parts.path.split("/")[1:]]
        if segments[:2] == ["api", "models"] and len(segments) >= 5 and segments[4] in ("revision", "tree"):
            self.log.append((request.command, parts.path, None))
            if segments[5] not in ("main", self.commit):
                return self.send(request, 404, b"{}", [("X-Error-Code", "RevisionNotFound")], head)
            if segments[4] == "revision":
                siblings = []
                for path, data in sorted(self.files.items()):
                    sibling = {"rfilename": path}
                    if "blobs=true" in parts.query:
                        sibling.update(size=len(data), blobId=git_blob_id(data))
                        if self.is_lfs(path):
                            sibling["lfs"] = {"sha256": self.sha256[path], "size": len(data), "pointerSize": 134}
                    siblings.append(sibling)
                body = {"_id": self.commit, "id": REPO_ID, "modelId": REPO_ID, "sha": self.commit, "private": False,
                        "gated": False, "disabled": False, "tags": [], "siblings": siblings}
            else:
                body = []
                for path, data in sorted(self.files.items()):
                    entry = {"type": "file", "oid": git_blob_id(data), "size": len(data), "path": path}
                    if self.is_lfs(path):
                        entry["lfs"] = {"oid": self.sha256[path], "size": len(data), "pointerSize": 134}
                    body.append(entry)
            return self.send(request, 200, json.dumps(body).encode(), [("Content-Type", "application/json")], head)
        if len(segments) >= 5 and "/".join(segments[:2]) == REPO_ID and segments[2] == "resolve":
            path = "/".join(segments[4:])
            self.log.append((request.command, parts.path, path))
            if path not in self.files:
                return self.send(request, 404, b"{}", [("X-Error-Code", "EntryNotFound"),
                                                      ("X-Repo-Commit", self.commit)], head)
            data = self.files[path]
            if self.is_lfs(path):
                location = f"http://localhost:{self.port}/lfs/{self.sha256[path]}"
                return self.send(request, 302, b"Found", [
                    ("Location", location), ("X-Repo-Commit", self.commit),
                    ("X-Linked-Etag", f'"{self.sha256[path]}"'), ("X-Linked-Size", str(len(data))),
                    ("ETag", f'W/"{git_blob_id(data)}"')], head)
            return self.send_content(request, data, [("ETag", f'"{git_blob_id(data)}"'),
                                                     ("X-Repo-Commit", self.commit)], head)
        if len(segments) == 2 and segments[0] == "lfs":
            path = next((p for p, digest in self.sha256.items() if digest == segments[1]), None)
            self.log.append((request.command, parts.path, path))
            if path is None:
                return self.send(request, 404, b"", [], head)
            return self.send_content(request, self.files[path], [("ETag", f'"{segments[1]}"')], head)
        self.log.append((request.command, parts.path, None))
        return self.send(request, 404, b"", [], head)

    def send_content(self, request, data: bytes, headers: list[tuple[str, str]], head: bool):
        status, body = 200, data
        range_header = request.headers.get("Range")
        if range_header and range_header.startswith("bytes="):
            start = int(range_header[6:].split("-")[0])
            if start >= len(data):
                return self.send(request, 416, b"", [("Content-Range", f"bytes */{len(data)}")], head)
            status, body = 206, data[start:]
            headers = headers + [("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")]
        self.send(request, status, body, headers + [("Accept-Ranges", "bytes")], head)

    @staticmethod
    def send(request, status: int, body: bytes, headers: list[tuple[str, str]], head: bool):
        request.send_response(status)
        for name, value in headers:
            request.send_header(name, value)
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        if not head:
            request.wfile.write(body)


class Report:
    def __init__(self):
        self.failures = 0

    def check(self, name: str, ok: bool, detail: str = ""):
        print(f"{'PASS' if ok else 'FAIL'}  {name}" + (f"  ({detail})" if detail and not ok else ""))
        self.failures += 0 if ok else 1


def run_swift(smolvlm: Path, arguments: list[str], hub: FakeHub, cache: Path, offline: bool = False):
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("HF_", "HUGGING"))}
    environment.update(HF_ENDPOINT=hub.endpoint, HF_HUB_CACHE=str(cache), HF_HOME=str(cache.parent / "hf-home"))
    if offline:
        environment["HF_HUB_OFFLINE"] = "1"
    return subprocess.run([str(smolvlm), *arguments], capture_output=True, text=True, env=environment, cwd=REPO_ROOT)


def snapshot_files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--smolvlm", type=Path, default=REPO_ROOT / ".build" / "debug" / "smolvlm",
                        help="the smolvlm executable (default: .build/debug/smolvlm)")
    args = parser.parse_args()
    if not args.smolvlm.exists():
        sys.exit(f"{args.smolvlm} not found: run `swift build --product smolvlm` first")
    if not MODEL.is_dir():
        sys.exit(f"{MODEL} not found: run `bash Scripts/fetch-test-models.sh` first")

    model_files = {p.name: p.read_bytes() for p in sorted(MODEL.iterdir()) if p.is_file()}
    hub = FakeHub({**model_files, **EXTRAS})
    report = Report()
    print(f"huggingface_hub {huggingface_hub.__version__}, fake Hub at {hub.endpoint}, commit {hub.commit}")
    with tempfile.TemporaryDirectory(prefix="hub-interop-") as temporary:
        temporary = Path(temporary)

        # 1. Swift writes, Python reads.
        cache = temporary / "swift-cache"
        result = run_swift(args.smolvlm, ["download", REPO_ID], hub, cache)
        report.check("smolvlm download into an empty cache", result.returncode == 0, result.stderr.strip())
        swift_folder = Path(result.stdout.strip())
        report.check("Swift fetched only the model's files", sorted(hub.file_gets()) == sorted(model_files),
                     f"GETs: {sorted(hub.file_gets())}")
        python_folder = Path(snapshot_download(REPO_ID, cache_dir=cache, local_files_only=True, token=False))
        report.check("snapshot_download(local_files_only=True) finds Swift's snapshot", python_folder == swift_folder,
                     f"{python_folder} != {swift_folder}")
        report.check("every file reads back byte for byte", snapshot_files(python_folder) == model_files)
        config = hf_hub_download(REPO_ID, "config.json", cache_dir=cache, local_files_only=True, token=False)
        report.check("hf_hub_download(local_files_only=True) finds config.json",
                     Path(config).read_bytes() == model_files["config.json"])
        info = scan_cache_dir(cache)
        repos = {repo.repo_id: repo for repo in info.repos}
        report.check("scan_cache_dir sees a well-formed cache", not info.warnings and REPO_ID in repos,
                     f"warnings: {info.warnings}")
        if REPO_ID in repos:
            repo = repos[REPO_ID]
            refs = {ref: revision.commit_hash for revision in repo.revisions for ref in revision.refs}
            report.check("scan_cache_dir: size and refs/main",
                         repo.size_on_disk == sum(map(len, model_files.values())) and refs == {"main": hub.commit},
                         f"size {repo.size_on_disk}, refs {refs}")
        hub.log.clear()
        snapshot_download(REPO_ID, cache_dir=cache, endpoint=hub.endpoint, token=False, allow_patterns=list(model_files))
        report.check("online snapshot_download of the same files downloads nothing", hub.file_gets() == [],
                     f"GETs: {hub.file_gets()}")
        hub.log.clear()
        snapshot_download(REPO_ID, cache_dir=cache, endpoint=hub.endpoint, token=False)
        report.check("online snapshot_download of the whole repository downloads only the rest",
                     sorted(hub.file_gets()) == sorted(EXTRAS), f"GETs: {hub.file_gets()}")

        # 2. Python writes, Swift reads.
        cache = temporary / "python-cache"
        python_folder = Path(snapshot_download(REPO_ID, cache_dir=cache, endpoint=hub.endpoint, token=False))
        hub.log.clear()
        result = run_swift(args.smolvlm, ["download", REPO_ID], hub, cache, offline=True)
        report.check("HF_HUB_OFFLINE=1 smolvlm download finds Python's snapshot",
                     result.returncode == 0 and Path(result.stdout.strip()) == python_folder,
                     result.stderr.strip() or result.stdout.strip())
        offline_ids = run_swift(args.smolvlm, ["tokenize", "--model", REPO_ID, "--text", "Hello, <image>"], hub, cache,
                                offline=True)
        local_ids = run_swift(args.smolvlm, ["tokenize", "--model", str(MODEL), "--text", "Hello, <image>"], hub, cache)
        report.check("HF_HUB_OFFLINE=1 smolvlm tokenize --model ORG/NAME loads it",
                     offline_ids.returncode == 0 and offline_ids.stdout == local_ids.stdout,
                     offline_ids.stderr.strip())
        report.check("offline runs sent no request", hub.log == [], f"{hub.log}")
        result = run_swift(args.smolvlm, ["download", REPO_ID], hub, cache)
        report.check("online smolvlm download downloads nothing",
                     result.returncode == 0 and hub.file_gets() == [], f"GETs: {hub.file_gets()} {result.stderr}")
        listing = run_swift(args.smolvlm, ["models"], hub, cache)
        report.check("smolvlm models lists it", REPO_ID in listing.stdout, listing.stdout + listing.stderr)
        (python_folder / "tokenizer.json").unlink()
        result = run_swift(args.smolvlm, ["download", REPO_ID], hub, cache, offline=True)
        report.check("offline with a file removed names it",
                     result.returncode != 0 and "lacks tokenizer.json" in result.stderr, result.stderr.strip())
        print(f"  ({result.stderr.strip()})")
    hub.stop()
    print("all checks passed" if report.failures == 0 else f"{report.failures} check(s) failed")
    return 0 if report.failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
