"""Benchmark of activation-condition evaluation over a 500-block Textract response.

    .venv/bin/python tests/benchmarks/activation_benchmark.py [--runs 7] [--seconds 0.3]
        [--no-callgrind]

Pure CPU work, no database. The response is built deterministically from the test fixture
(tests/workflows/activation/fixtures/textract_analyze_document_forms.json): five copies of its
two pages with fresh block Ids, plus five more key-value pairs on the last page, 500 blocks in
all (10 pages, 60 pairs). For each condition document it prints the median over --runs runs of
the time of one evaluation (index built from the response, tree walked, output and
selectedAiServiceResponse built), evaluations per second and conditions evaluated per second
(simple conditions in the document times evaluations per second). Then, when valgrind is on
the machine, the instructions of one evaluation under callgrind: the script runs itself twice
under `valgrind --tool=callgrind`, evaluating N1 and N2 times, and prints the difference divided
by N2 - N1, which leaves interpreter start-up and imports out. It asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.workflows.activation.support import (  # noqa: E402
    conditions,
    key_check,
    missing_key,
    sampling,
    textract_response,
)
from workflows.activation import (  # noqa: E402
    TEXTRACT_FORMS,
    activation_problems,
    evaluate_activation,
)
from workflows.activation.textract import FormIndex  # noqa: E402

BLOCKS = 500
COPIES = 5
NAMESPACE = uuid.UUID("1b0f4c52-52a4-4bd3-9b7e-3d1f0a6c2e55")
PAY_DATE = ["PayDate", "DateOfPay", "pay-date"]

DOCUMENTS: dict[str, dict[str, Any]] = {
    "two keys (§4.6)": conditions(
        key_check(
            "Employee Name",
            ["Name", "EmployeeName"],
            KeyValueBlockConfidenceLessThan=60,
            WordBlockConfidenceLessThan=85,
        ),
        key_check(
            "Pay Date", PAY_DATE, KeyValueBlockConfidenceLessThan=65, WordBlockConfidenceLessThan=85
        ),
    ),
    "any key (*)": conditions(
        key_check("*", KeyValueBlockConfidenceLessThan=60, WordBlockConfidenceLessThan=90)
    ),
    "missing key": conditions(missing_key("Mailing Address", ["Mailing Address:"])),
    "Or/And + sampling": conditions(
        {
            "Or": [
                key_check(
                    "Pay Date",
                    PAY_DATE,
                    KeyValueBlockConfidenceLessThan=60,
                    WordBlockConfidenceLessThan=60,
                ),
                {
                    "And": [
                        sampling(50),
                        key_check(
                            "Pay Date",
                            PAY_DATE,
                            KeyValueBlockConfidenceGreaterThan=90,
                            WordBlockConfidenceGreaterThan=90,
                        ),
                    ]
                },
            ]
        }
    ),
    "ten conditions": conditions(
        *[
            key_check(key, [f"{key}:"], KeyValueBlockConfidenceLessThan=90)
            for key in ("Employee Name", "Pay Date", "SSN", "Gross Pay", "Net Pay", "Field 3")
        ],
        missing_key("Tax ID", ["TIN"]),
        missing_key("Employer Name"),
        {"And": [sampling(5), key_check("*", WordBlockConfidenceLessThan=80)]},
        key_check("*", KeyValueBlockConfidenceGreaterThan=95, WordBlockConfidenceGreaterThan=99),
    ),
    "audit 100 % (whole response)": conditions(sampling(100)),
}


def simple_conditions(node: Any) -> int:
    if isinstance(node, dict) and "ConditionType" in node:
        return 1
    if isinstance(node, dict):
        return sum(simple_conditions(member) for key in node for member in node[key])
    return 0


def renamed(block: dict[str, Any], ids: Callable[[str], str], page_shift: int) -> dict[str, Any]:
    block = {**block, "Id": ids(block["Id"]), "Page": block["Page"] + page_shift}
    if "Relationships" in block:
        block["Relationships"] = [
            {**r, "Ids": [ids(i) for i in r["Ids"]]} for r in block["Relationships"]
        ]
    return block


def extra_pair(number: int, page: int) -> list[dict[str, Any]]:
    """Seven blocks: a key of one word and a value of two, their LINEs and KEY_VALUE_SETs."""

    def new_id(name: str) -> str:
        return str(uuid.uuid5(NAMESPACE, f"extra-{number}-{name}"))

    geometry = textract_response()["Blocks"][0]["Geometry"]
    confidence = 60.0 + 7.5 * number

    def word(name: str, text: str) -> dict[str, Any]:
        return {
            "BlockType": "WORD",
            "Confidence": confidence + 3,
            "Text": text,
            "TextType": "PRINTED",
            "Geometry": geometry,
            "Id": new_id(name),
            "Page": page,
        }

    words = [word("key", f"Field {number}:"), word("v1", "value"), word("v2", str(number))]
    lines = [
        {
            "BlockType": "LINE",
            "Confidence": confidence + 3,
            "Text": " ".join(w["Text"] for w in part),
            "Geometry": geometry,
            "Id": new_id(name),
            "Relationships": [{"Type": "CHILD", "Ids": [w["Id"] for w in part]}],
            "Page": page,
        }
        for name, part in (("key-line", words[:1]), ("value-line", words[1:]))
    ]
    pair = [
        {
            "BlockType": "KEY_VALUE_SET",
            "Confidence": confidence,
            "Geometry": geometry,
            "Id": new_id("kv-key"),
            "Relationships": [
                {"Type": "VALUE", "Ids": [new_id("kv-value")]},
                {"Type": "CHILD", "Ids": [words[0]["Id"]]},
            ],
            "EntityTypes": ["KEY"],
            "Page": page,
        },
        {
            "BlockType": "KEY_VALUE_SET",
            "Confidence": confidence,
            "Geometry": geometry,
            "Id": new_id("kv-value"),
            "Relationships": [{"Type": "CHILD", "Ids": [w["Id"] for w in words[1:]]}],
            "EntityTypes": ["VALUE"],
            "Page": page,
        },
    ]
    return [*lines, *words, *pair]


def five_hundred_blocks() -> dict[str, Any]:
    fixture = textract_response()
    pages = fixture["DocumentMetadata"]["Pages"]
    blocks: list[dict[str, Any]] = []
    for copy in range(COPIES):

        def ids(block_id: str, copy: int = copy) -> str:
            return str(uuid.uuid5(NAMESPACE, f"{copy}-{block_id}"))

        blocks.extend(renamed(block, ids, copy * pages) for block in fixture["Blocks"])
    last_page = COPIES * pages
    number = 0
    while len(blocks) < BLOCKS:
        number += 1
        blocks.extend(extra_pair(number, last_page))
    assert len(blocks) == BLOCKS, len(blocks)
    return {**fixture, "DocumentMetadata": {"Pages": last_page}, "Blocks": blocks}


def evaluate_times(name: str, response: dict[str, Any], count: int) -> None:
    document, rng = DOCUMENTS[name], random.Random(7)
    for _ in range(count):
        evaluate_activation(document, request_source=TEXTRACT_FORMS, response=response, rng=rng)


def seconds_per_call(work: Callable[[], None], *, runs: int, seconds: float) -> float:
    started = time.perf_counter()
    work()
    once = time.perf_counter() - started
    count = max(10, int(seconds / max(once, 1e-7)))
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        for _ in range(count):
            work()
        timings.append((time.perf_counter() - started) / count)
    return statistics.median(timings)


def instructions(name: str, count: int) -> int:
    with tempfile.TemporaryDirectory() as folder:
        command = [
            "valgrind",
            "--tool=callgrind",
            f"--callgrind-out-file={folder}/callgrind.out",
            sys.executable,
            __file__,
            "--callgrind-child",
            name,
            "--count",
            str(count),
        ]
        finished = subprocess.run(command, capture_output=True, text=True, check=True)
    collected = re.search(r"Collected : (\d+)", finished.stderr)
    if collected is None:
        raise RuntimeError(f"callgrind printed no instruction count:\n{finished.stderr}")
    return int(collected.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--seconds", type=float, default=0.3, help="length of one run")
    parser.add_argument("--no-callgrind", action="store_true")
    parser.add_argument("--callgrind-child", help=argparse.SUPPRESS)
    parser.add_argument("--count", type=int, default=0, help=argparse.SUPPRESS)
    options = parser.parse_args()

    response = five_hundred_blocks()
    if options.callgrind_child:  # no Django set-up: less start-up to run under valgrind
        evaluate_times(options.callgrind_child, response, options.count)
        return

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "a2i_portal.settings")
    import django

    django.setup()  # tests.benchmarks.support reads the settings
    from tests.benchmarks.support import print_table

    index = FormIndex(response)
    print(
        f"Textract response: {len(response['Blocks'])} blocks, "
        f"{response['DocumentMetadata']['Pages']} pages, {len(index.pairs)} key-value pairs; "
        f"Python {sys.version.split()[0]}; median of {options.runs} runs of ~{options.seconds} s"
    )
    for document in DOCUMENTS.values():
        assert activation_problems(document, request_source=TEXTRACT_FORMS) == []

    per_index = seconds_per_call(
        lambda: FormIndex(response), runs=options.runs, seconds=options.seconds
    )
    rows = [
        ["index only (FormIndex)", "-", f"{per_index * 1e6:,.1f}", f"{1 / per_index:,.0f}", "-"]
    ]
    for name, document in DOCUMENTS.items():
        simple = simple_conditions(document)
        rng = random.Random(7)

        def work(document: dict[str, Any] = document, rng: random.Random = rng) -> None:
            evaluate_activation(document, request_source=TEXTRACT_FORMS, response=response, rng=rng)

        per_call = seconds_per_call(work, runs=options.runs, seconds=options.seconds)
        rows.append(
            [
                name,
                str(simple),
                f"{per_call * 1e6:,.1f}",
                f"{1 / per_call:,.0f}",
                f"{simple / per_call:,.0f}",
            ]
        )
    print_table(
        ["document", "conditions", "µs/evaluation", "evaluations/s", "conditions/s"],
        rows,
    )

    if options.no_callgrind:
        return
    if shutil.which("valgrind") is None:
        print("\nvalgrind is not installed: no instruction counts (apt-get install valgrind)")
        return
    low, high = 5, 25
    print(f"\ncallgrind: instructions per evaluation, (I({high}) - I({low})) / {high - low}")
    rows = []
    for name in DOCUMENTS:
        per_evaluation = (instructions(name, high) - instructions(name, low)) / (high - low)
        rows.append([name, f"{per_evaluation:,.0f}"])
    print_table(["document", "instructions/evaluation"], rows)


if __name__ == "__main__":
    main()
