#!/usr/bin/env python3
"""Runs every code snippet of every README, so a snippet that breaks fails CI.

Each fenced block is run by its language, in a scratch directory that sees the repository's
`examples/`, `tests/`, `scripts/`, `bindings/` and `crates/` (so the paths in the snippets work
as written and anything a snippet writes lands in the scratch directory):

- `sh`: every command line is run by bash with `jianfu` on the PATH (`JIANFU_BIN`, default
  target/debug/jianfu). Exit 0 or 1 passes (1 is jianfu's "something was found"); anything else
  fails. Comments after `#` are the reader's, not the shell's.
- `python`: the block is one script, run by the venv's Python (`PYTHON`, default .venv/bin/python).
- `js`: the block is one ES module, run by Node with the package `jianfu` resolving to
  bindings/wasm (its package.json; pkg/ is built by scripts/test-wasm.sh).
- `rust`: run by `cargo test --doc -p jianfu` (the crate includes README.md under
  `cfg(doctest)`); this script only checks that each one is tagged so.
- `json`: must parse (a fragment `"key": value` parses once wrapped in braces); `toml` likewise.
- `text`: shown output and listings; not run. An untagged fence is an error (rustdoc would run
  it as Rust).

A block that cannot run here says why in a marker on the line just before its fence:
`<!-- snippet: skip: reason -->`. Links and backticked repository paths must name files that
exist in the repository.

Usage: scripts/test-readme.py [README …]   (default: every README.md in the repository)
"""
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
LINKED = ["examples", "tests", "scripts", "bindings", "crates", "benches", "Cargo.toml", "Cargo.lock"]
TOP_DIRS = ("crates/", "bindings/", "tests/", "examples/", "scripts/", "benches/", "fuzz/", ".ci/", "src/", "web/", "pkg/")
FENCE = re.compile(r"^(\s*)```\s*([\w+-]*)\s*$")
MARKER = re.compile(r"<!--\s*snippet:\s*skip:\s*(.+?)\s*-->")


def blocks(path):
    """Yields (line, lang, text, skip_reason) for each fenced block of a Markdown file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        indent, lang, start = m.group(1), m.group(2), i
        body = []
        i += 1
        while i < len(lines) and not FENCE.match(lines[i]):
            body.append(lines[i][len(indent):] if lines[i].startswith(indent) else lines[i])
            i += 1
        i += 1
        before = next((l for l in reversed(lines[:start]) if l.strip()), "")
        skip = MARKER.search(before)
        yield start + 1, lang, "\n".join(body) + "\n", skip.group(1) if skip else None


def references(path):
    """Yields (line, target) for each relative link and backticked repository path."""
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        for target in re.findall(r"\]\(([^)\s]+)\)", line):
            if not re.match(r"^(https?:|mailto:|#)", target):
                yield n, (path.parent / target.split("#")[0]).resolve()
        for code in re.findall(r"`([^`\s]+)`", line):
            if code.rstrip("/").startswith(TOP_DIRS):
                # From the README's own folder, or else from the repository root.
                local = (path.parent / code.rstrip("/")).resolve()
                yield n, local if exists(local) else (ROOT / code.rstrip("/")).resolve()


def exists(target):
    """Whether a path, or any match of a glob pattern, exists in the repository."""
    if target.exists():
        return True
    return "*" in str(target) and target.is_relative_to(ROOT) and any(ROOT.glob(str(target.relative_to(ROOT))))


def strip_comment(line):
    """A shell line without its trailing reader's comment (a `#` after whitespace, unquoted)."""
    quote = None
    for i, c in enumerate(line):
        if quote:
            quote = None if c == quote else quote
        elif c in "'\"":
            quote = c
        elif c == "#" and (i == 0 or line[i - 1].isspace()):
            return line[:i].rstrip()
    return line.rstrip()


def scratch():
    work = pathlib.Path(tempfile.mkdtemp(prefix="jianfu-readme-"))
    for name in LINKED:
        (work / name).symlink_to(ROOT / name)
    return work


def run_sh(text, env, where):
    failures = []
    for n, raw in enumerate(text.splitlines()):
        line = strip_comment(raw)
        if not line:
            continue
        done = subprocess.run(["bash", "-o", "pipefail", "-c", line], cwd=where, env=env,
                              capture_output=True, text=True)
        if done.returncode not in (0, 1):
            failures.append(f"line +{n}: `{line}` exited {done.returncode}\n{done.stderr[-1500:]}")
    return failures


def run_file(argv, text, suffix, env, where):
    script = where / f"snippet{suffix}"
    script.write_text(text, encoding="utf-8")
    done = subprocess.run(argv + [str(script)], cwd=where, env=env, capture_output=True, text=True)
    return [] if done.returncode == 0 else [f"exited {done.returncode}\n{done.stderr[-2500:]}"]


def main():
    readmes = [pathlib.Path(a).resolve() for a in sys.argv[1:]] or sorted(
        p for p in ROOT.rglob("README.md")
        if not p.is_symlink()  # crates/jianfu/README.md is the top README, for the package
        and not any(part in ("target", "node_modules", "pkg", "fuzz") or part.startswith(".")
                    for part in p.relative_to(ROOT).parts[:-1]))
    env = dict(os.environ)
    jianfu = pathlib.Path(env.get("JIANFU_BIN", ROOT / "target" / "debug" / "jianfu")).resolve()
    bindir = pathlib.Path(tempfile.mkdtemp(prefix="jianfu-bin-"))
    (bindir / "jianfu").symlink_to(jianfu)
    env["PATH"] = f"{bindir}{os.pathsep}{env['PATH']}"
    env["JIANFU_BIN"] = str(jianfu)
    # Cargo in a scratch directory would otherwise build a fresh workspace there.
    env["CARGO_TARGET_DIR"] = str(ROOT / "target")
    python = env.get("PYTHON", str(ROOT / ".venv" / "bin" / "python"))
    ran, skipped, failures = 0, 0, []
    for readme in readmes:
        name = readme.relative_to(ROOT)
        for line, target in references(readme):
            if not exists(target):
                failures.append(f"{name}:{line}: refers to {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}, which does not exist")
        for line, lang, text, skip in blocks(readme):
            where = f"{name}:{line} ({lang or 'untagged'})"
            if skip:
                skipped += 1
                print(f"skip {where}: {skip}")
                continue
            work = scratch()
            try:
                if lang == "sh":
                    errors = run_sh(text, env, work)
                elif lang == "python":
                    errors = run_file([python], text, ".py", env, work)
                elif lang == "js":
                    modules = work / "node_modules"
                    modules.mkdir()
                    (modules / "jianfu").symlink_to(ROOT / "bindings" / "wasm")
                    errors = run_file(["node"], text, ".mjs", env, work)
                elif lang == "json":
                    errors = []
                    try:
                        json.loads(text)
                    except ValueError:
                        try:
                            json.loads("{" + text + "}")
                        except ValueError as e:
                            errors = [f"not JSON: {e}"]
                elif lang == "toml":
                    import tomllib
                    try:
                        tomllib.loads(text)
                        errors = []
                    except tomllib.TOMLDecodeError as e:
                        errors = [f"not TOML: {e}"]
                elif lang in ("rust", "text"):
                    errors = []  # rust: cargo test --doc; text: not code
                else:
                    errors = [f"fence has no known language tag ({lang!r}); use text for output"]
            finally:
                shutil.rmtree(work, ignore_errors=True)
            if lang in ("sh", "python", "js", "json", "toml"):
                ran += 1
            for e in errors:
                failures.append(f"{where}: {e}")
            print(("FAIL " if errors else "ok   ") + where)
    shutil.rmtree(bindir, ignore_errors=True)
    print(f"\n{ran} snippets run, {skipped} skipped with a reason, {len(failures)} failures")
    for f in failures:
        print("\n" + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
