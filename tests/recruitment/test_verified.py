"""recruitment/verified.py: what was verified is kept up to its size, and the oldest goes first."""
from recruitment.verified import Verified


def test_the_oldest_goes_when_full_and_the_recent_stay():
    kept = Verified(3)
    for n in range(5):
        kept.keep(f"cookie {n}", n)
    assert [kept.get(f"cookie {n}") for n in range(5)] == [None, None, 2, 3, 4]
