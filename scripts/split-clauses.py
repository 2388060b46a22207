#!/usr/bin/env python3
"""Splits the labelled clause corpus into a dev half (tuned on) and a test half (never tuned on).

Writers a–d: whole notices go to one half, so two clauses of one notice never sit on both
sides; notices with an odd number are dev, even ones test. Writers e, f and g came later, to
give the tuning more varied wording (e: indirect and euphemistic demands; f: the range of county
topics; g: the five weakest categories; h: the categories weakest on dev again): all of theirs
is dev. Writer i wrote for the test half only, so that it holds a writer whose wording and
labelling habits the lexicon was never tuned on. Writers j (township, department and school
notices in informal styles), k (the hardest categories, indirect wording) and l (the boundary
between burden and compliance) wrote after i, for the dev half, and then m (formal county and
city plans), n (a school passing demands down to its teachers) and o (other departments,
banks and insurers writing to schools): more varied wording to tune on, so that what the
lexicon learns reaches wording it has not seen. Writer p (an ordinary county year: festivals,
fire and flood seasons, campaigns, enrolment drives, duty rosters, scoring rules, and many
compliant look-alikes) wrote for the test half only. Writers q (the school year's calendar:
term start and end, vacations, festivals, exam seasons), r (inspection, appraisal and
supervision documents) and s (digital burden: apps, links, votes, platform reporting) wrote
for the dev half, then t (township and village work reaching rural schools), u (joint
campaigns that want to enter schools, and the schools' replies) and v (teachers' personnel
processes: titles, appraisal, continuing education, secondment), also for the dev half, and
after them w (speeches and reports: demands among narrative), x (local festivals, ceremonies
and events) and y (health, hygiene and welfare work), for the dev half too, then z (annexes and tables:
task-division tables, scoring rules, checklists, timelines) and za (informal channels: work-group
messages, phone records, weekly arrangements, community letters), then zb (campaigns turned into
homework and class activities, and the bureau relaying them) and zc (forms, data and reporting),
and zd (a school's own internal rules) and ze (long formal sentences whose parts pull in
different directions), all for the dev half. Run again whenever a writer's file changes
(crates/jianfu/tests/clauses.rs fails while the halves are stale).
"""
import json, sys, pathlib

root = pathlib.Path(__file__).resolve().parent.parent / "tests" / "clauses"
halves = {"dev": [], "test": []}
DEV_ONLY = {"e.jsonl", "f.jsonl", "g.jsonl", "h.jsonl", "j.jsonl", "k.jsonl", "l.jsonl", "m.jsonl", "n.jsonl", "o.jsonl", "q.jsonl", "r.jsonl", "s.jsonl", "t.jsonl", "u.jsonl", "v.jsonl", "w.jsonl", "x.jsonl", "y.jsonl", "z.jsonl", "za.jsonl", "zb.jsonl", "zc.jsonl", "zd.jsonl", "ze.jsonl"}
TEST_ONLY = {"i.jsonl", "p.jsonl"}
# Writers a–d wrote for both halves, split by notice; every other writer is in one set or the
# other, so a new writer's file cannot fall into the test half by being forgotten here.
SPLIT_BY_NOTICE = {"a.jsonl", "b.jsonl", "c.jsonl", "d.jsonl"}
writers = sorted(p.name for p in root.glob("*.jsonl") if p.name not in ("dev.jsonl", "test.jsonl"))
for name in sys.argv[1:] or writers:
    if name not in DEV_ONLY | TEST_ONLY | SPLIT_BY_NOTICE:
        sys.exit(f"{name}: add it to DEV_ONLY, TEST_ONLY or SPLIT_BY_NOTICE first")
    for n, line in enumerate((root / name).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        case = json.loads(line)
        number = int(case["doc"].split("-")[1])
        dev = name in DEV_ONLY or (number % 2 == 1 and name not in TEST_ONLY)
        halves["dev" if dev else "test"].append(case)
for half, cases in halves.items():
    with open(root / f"{half}.jsonl", "w", encoding="utf-8") as f:
        for case in cases:
            f.write(json.dumps(case, ensure_ascii=False) + "\n")
    print(half, len(cases), "clauses,", sum(1 for c in cases if c["expect"]), "imposing")
