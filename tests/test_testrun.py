"""pytest's summary counted for the phase commit and the PR body (docs/tests.md)."""

from asyncmig.testrun import Counts, counts_of, line, read, with_counts


def test_the_last_summary_line_is_counted() -> None:
    output = "....F.s\n=== FAILURES ===\n...\n= 1 failed, 5 passed, 1 skipped, 2 errors in 0.31s =\n"
    assert counts_of(output) == Counts(passed=5, failed=1, error=2, skipped=1)
    assert str(counts_of("8 passed in 1.02s\n")) == "8 passed"
    assert counts_of("no tests ran\n") is None and counts_of(None) is None


def test_the_counts_line_sits_after_the_summary_and_reads_back() -> None:
    message = "asyncmig phase 1: http\n\nPhase 1 (http) ...: 2 changes.\n\nrequests-to-httpx: ...\n\nAsyncmig-Phase: 1\n"
    counts = line("7 passed in 1s", "6 passed, 1 failed in 1s", "pytest -q")
    assert counts == "Tests (verify): 7 passed → 6 passed, 1 failed (pytest -q)"
    assert with_counts(message, counts) == (
        "asyncmig phase 1: http\n\nPhase 1 (http) ...: 2 changes.\n"
        "Tests (verify): 7 passed → 6 passed, 1 failed (pytest -q)\n\nrequests-to-httpx: ...\n\nAsyncmig-Phase: 1\n"
    )
    assert read(with_counts(message, counts)) == "7 passed → 6 passed, 1 failed (pytest -q)"
    assert line("make check ok", "ok", "make check") is None and with_counts(message, None) == message
