"""recruitment/verified.py: what was verified is kept up to its size, the oldest going first, and only
values in the form itsdangerous signs them: a signature padded with characters its decoder drops
still verifies, but is never kept."""
from recruitment.verified import Verified

SIGNATURE = "A" * 27


def test_the_oldest_goes_when_full_and_the_recent_stay():
    kept = Verified(3, 100)
    for n in range(5):
        kept.keep(n, f"payload{n}.ts.{SIGNATURE}", n)
    assert [kept.get(n, f"payload{n}.ts.{SIGNATURE}") for n in range(5)] == [None, None, 2, 3, 4]


def test_a_padded_or_too_long_value_is_not_kept():
    kept = Verified(10, 100)
    for value in (f"p.ts.{SIGNATURE}~~", f"p.ts.{SIGNATURE}!", f"p.ts.{SIGNATURE}A", f"p.ts.{SIGNATURE}=",
                  f"{'p' * 100}.ts.{SIGNATURE}", "p.ts", f"p ts.{SIGNATURE}"):
        kept.keep(value, value, "found")
        assert kept.get(value, value) is None, value
    kept.keep("fine", f".compressed.ts.{SIGNATURE}", "found")
    assert kept.get("fine", f".compressed.ts.{SIGNATURE}") == "found"
