"""How long `make grade-homework` takes: a sample of submissions of each homework graded as a class would be, timed.

    python benchmarks/grading_time.py [HOMEWORK...] [--sample 6] [--jobs N]

For each homework (by default 01 to 06 and 08; the project's tests include a short training run and are timed only
when named), a folder of ``--sample`` submissions, each a copy of the reference solution
(``classroom/homework/solutions``), is graded by ``classroom.homework.grading.grade_all`` with ``--jobs`` side by
side, exactly as ``make grade-homework`` grades a class. A reference solution passes every test, so every test runs
to its end: a submission that fails early costs less. The wall time, with the machine, its load and the date, goes
into ``results/grading_times.json``, which the instructor guide reads (``_ext/teaching_plan.py``) to extrapolate the
grading of a class of 60 (``classroom.homework.grading.class_grading_seconds``). Prints each homework's time;
asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPOSITORY))  # the classroom tools live beside the package, not in it

from cnn_course.run_times import this_machine  # noqa: E402

from classroom.homework import grading  # noqa: E402

SOLUTIONS = REPOSITORY / "classroom" / "homework" / "solutions"
DEFAULT_HOMEWORK = ("01_visual_cortex", "02_convolution", "03_padding", "04_strides", "05_pooling",
                    "06_architectures", "08_what_convnets_learn")


def time_homework(name: str, sample: int, jobs: int) -> dict:
    """Grade ``sample`` copies of the homework's reference solution, ``jobs`` at a time; the measured entry."""
    folder = grading.homework_folder(name)
    solution = SOLUTIONS / name / grading.starter_name(folder)
    with tempfile.TemporaryDirectory() as scratch:
        submissions = Path(scratch) / "submitted"
        submissions.mkdir()
        for student in range(sample):
            shutil.copy(solution, submissions / f"student{student:02d}.py")
        load = os.getloadavg()[0]
        started = time.perf_counter()
        grades = grading.grade_all(name, submissions, Path(scratch) / "grades.csv", jobs=jobs)
        seconds = time.perf_counter() - started
    passed = sum(grade.passed == grade.total for grade in grades)
    return {"sample": sample, "jobs": jobs, "seconds": round(seconds, 1), "all_tests_passed": passed,
            "tests": grades[0].total, "load_average_at_start": round(load, 2),
            "date": datetime.date.today().isoformat(), "machine": this_machine()}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("homework", nargs="*", default=list(DEFAULT_HOMEWORK))
    parser.add_argument("--sample", type=int, default=6, help="submissions graded per homework (default 6)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="submissions graded side by side (default: the machine's cores)")
    parser.add_argument("--results", type=Path, default=grading.GRADING_TIMES)
    args = parser.parse_args(argv)
    results = json.loads(args.results.read_text()) if args.results.is_file() else {}
    results.setdefault("about", "Wall time of grading a sample of submissions (copies of the reference solution) of "
                                "each homework with classroom.homework.grading, by benchmarks/grading_time.py.")
    for name in args.homework:
        measured = time_homework(name, args.sample, args.jobs)
        results.setdefault("homework", {})[name] = measured
        class_minutes = grading.class_grading_seconds(measured, 60) / 60
        print(f"{name}: {measured['sample']} submissions in {measured['seconds']:.1f} s with {args.jobs} jobs "
              f"(load {measured['load_average_at_start']}); a class of 60: about {class_minutes:.0f} minutes",
              flush=True)
        args.results.parent.mkdir(parents=True, exist_ok=True)
        args.results.write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
