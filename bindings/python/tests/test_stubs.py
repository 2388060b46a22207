"""The type stubs (`jianfu/_jianfu.pyi`) against the compiled module: every class, method and
function the module has is in the stubs with the same parameters, in the same order, with the
same defaults, and every stubbed name exists. So the stubs cannot drift from the Rust side,
and `help()` shows every signature (which needs ASCII text signatures)."""

from __future__ import annotations

import ast
import inspect
import pathlib
from typing import Dict, List, Tuple

import jianfu
from jianfu import _jianfu

STUBS = pathlib.Path(jianfu.__file__).with_name("_jianfu.pyi")

Params = List[Tuple[str, str, bool]]  # (name, kind, has default)


def stub_params(fn: ast.FunctionDef) -> Params:
    a = fn.args
    out: Params = []
    positional = a.posonlyargs + a.args
    first_default = len(positional) - len(a.defaults)
    for i, arg in enumerate(positional):
        out.append((arg.arg, "positional", i >= first_default))
    if a.vararg:
        out.append((a.vararg.arg, "*", False))
    for arg, default in zip(a.kwonlyargs, a.kw_defaults):
        out.append((arg.arg, "keyword", default is not None))
    if a.kwarg:
        out.append((a.kwarg.arg, "**", False))
    return [p for p in out if p[0] not in ("self", "cls")]


def runtime_params(obj: object) -> Params:
    kinds = {
        inspect.Parameter.POSITIONAL_ONLY: "positional",
        inspect.Parameter.POSITIONAL_OR_KEYWORD: "positional",
        inspect.Parameter.VAR_POSITIONAL: "*",
        inspect.Parameter.KEYWORD_ONLY: "keyword",
        inspect.Parameter.VAR_KEYWORD: "**",
    }
    sig = inspect.signature(obj)
    return [
        (p.name, kinds[p.kind], p.default is not inspect.Parameter.empty)
        for p in sig.parameters.values()
        if p.name not in ("self", "cls", "$self", "$cls")
    ]


def stubs() -> Dict[str, Dict[str, List[ast.FunctionDef]]]:
    """Stubbed functions by class ("" for the module), each name with all its overloads."""
    tree = ast.parse(STUBS.read_text(encoding="utf-8"))
    out: Dict[str, Dict[str, List[ast.FunctionDef]]] = {"": {}}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            out[""].setdefault(node.name, []).append(node)
        elif isinstance(node, ast.ClassDef):
            methods = out.setdefault(node.name, {})
            for item in node.body:
                if isinstance(item, ast.FunctionDef):
                    methods.setdefault(item.name, []).append(item)
    return out


def is_property(fn: ast.FunctionDef) -> bool:
    return any(isinstance(d, ast.Name) and d.id == "property" for d in fn.decorator_list)


def public_callables(owner: object) -> Dict[str, object]:
    return {
        name: value
        for name, value in vars(owner).items()
        if (not name.startswith("_") or name in ("__init__", "_repr_html_"))
        and callable(value)
        and not isinstance(value, type)
    }


def check(where: str, runtime: object, overloads: List[ast.FunctionDef]) -> List[str]:
    """The runtime signature must be one stubbed overload's parameters, or (for overloads that
    read their arguments by type) hold every name the overloads use, in a compatible order."""
    try:
        got = runtime_params(runtime)
    except (ValueError, TypeError) as e:
        return [f"{where}: no signature at runtime ({e})"]
    wanted = [stub_params(fn) for fn in overloads if not is_property(fn)]
    if not wanted or got in wanted:
        return []
    if len(wanted) > 1:
        names = [p[0] for p in got]
        if all(p[0] in names for params in wanted for p in params):
            return []
    return [f"{where}: runtime {got} is none of the stubs {wanted}"]


def test_stubs_match_the_compiled_module() -> None:
    stubbed = stubs()
    problems: List[str] = []
    for name, value in public_callables(_jianfu).items():
        if name not in stubbed[""]:
            problems.append(f"{name}: not in the stubs")
            continue
        problems += check(name, value, stubbed[""][name])
    for cls_name in [n for n, v in vars(_jianfu).items() if isinstance(v, type) and not n.startswith("_")]:
        cls = getattr(_jianfu, cls_name)
        if issubclass(cls, BaseException):
            continue
        methods = stubbed.get(cls_name)
        if methods is None:
            problems.append(f"{cls_name}: class not in the stubs")
            continue
        for name, value in public_callables(cls).items():
            if name == "__init__":
                continue
            if name not in methods:
                problems.append(f"{cls_name}.{name}: not in the stubs")
                continue
            problems += check(f"{cls_name}.{name}", value, methods[name])
        # Every stubbed method and property exists.
        for name in methods:
            if name.startswith("__") and name not in ("__init__",):
                continue
            if name != "__init__" and not hasattr(cls, name):
                problems.append(f"{cls_name}.{name}: stubbed but not in the module")
        if "__init__" in methods and getattr(cls, "__text_signature__", None) is not None:
            problems += check(f"{cls_name}()", cls, methods["__init__"])
    for name in stubbed[""]:
        if not hasattr(_jianfu, name):
            problems.append(f"{name}: stubbed but not in the module")
    assert not problems, "\n".join(problems)


def test_every_public_function_has_a_signature_for_help() -> None:
    for name in jianfu.__all__:
        value = getattr(jianfu, name)
        if callable(value) and not isinstance(value, type):
            inspect.signature(value)
    for cls in (jianfu.Engine, jianfu.Tables, jianfu.Items, jianfu.ScoreReport, jianfu.MonitorReport):
        for name, value in public_callables(cls).items():
            if name != "__init__":
                inspect.signature(value)
