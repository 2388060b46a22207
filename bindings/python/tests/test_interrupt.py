"""Ctrl-C stops a long call: the core runs Python's signal handlers while it works.

Each case runs in a child process that sends itself SIGINT while the call is inside the core,
and the call itself is endless (an infinite C-level iterator) or proves it was stopped from
inside (a profile hook sees the call end with an exception, not return). The child holds the
GIL except where the core releases it, so the signal can only come while the core works: no
case depends on timing. A core that ignored signals would never return (the child's timeout
fails the case) or would return and leave the interrupt to the next Python code, which the
profile hook is (so it records nothing).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

# The child: a thread that sends SIGINT as soon as it gets the GIL, which (with the switch
# interval raised so the main thread never hands it over on its own) is when the core releases
# it to work. `started` is released just before the call, so the thread cannot run earlier.
PRELUDE = textwrap.dedent(
    """
    import collections, itertools, os, signal, sys, threading
    import jianfu

    sys.setswitchinterval(1000.0)
    started = threading.Lock()
    started.acquire()

    def interrupt():
        with started:
            os.kill(os.getpid(), signal.SIGINT)

    threading.Thread(target=interrupt, daemon=True).start()
    engine = jianfu.Engine()
    item = {"id": "x", "kind": "campus_entry", "title": "反电诈APP下载推广进校园",
            "issuer": {"name": "三门峡市公安局", "kind": "other_department", "level": "city"},
            "targets": ["students"]}
    ended = []

    def watch(frame, event, arg):
        if event in ("c_return", "c_exception") and getattr(arg, "__name__", "") == CALL:
            ended.append(event)

    def run(call):
        sys.setprofile(watch)
        started.release()
        try:
            call()
        except KeyboardInterrupt:
            sys.setprofile(None)
            print("interrupted", ended)
            return
        sys.setprofile(None)
        print("finished", ended)
    """
)

CASES = {
    # 10⁹ items from a C iterator: only the core's own look at the signals can stop it.
    "check_many": (
        "check_many",
        "run(lambda: engine.check_many(itertools.repeat(item, 10**9), as_of='2026-03-02'))",
    ),
    # Verdicts pulled by a C consumer (a deque's extend) from an endless iterable.
    "iter_check": (
        "extend",
        "run(lambda: collections.deque(maxlen=0).extend(engine.iter_check("
        "itertools.repeat(item), as_of='2026-03-02')))",
    ),
    # 64 MiB of draft: stopped within a MiB, so the call ends by exception, not by return.
    "review": (
        "review",
        "text = '一、各校组织教师下载安装某某APP。\\n' * (1 << 21)\n"
        "run(lambda: engine.review(text, '2026-03-02'))",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_ctrl_c_stops_the_call_from_inside(case):
    call, body = CASES[case]
    script = f"CALL = {call!r}\n" + PRELUDE + body + "\n"
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    # The call ended by the KeyboardInterrupt the core raised, seen by the profile hook.
    assert done.stdout.strip() == "interrupted ['c_exception']", done.stdout + done.stderr
