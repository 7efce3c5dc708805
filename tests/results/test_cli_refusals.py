"""`flask results publish` and `decide` answer a refusal with its sentence, not a traceback: publishing
a list equal to the latest version raised NothingToPublish out of the command, a blank reason ValueError."""
from __future__ import annotations


def test_publishing_an_unchanged_list_says_so(demo_round, app):
    result = app.test_cli_runner().invoke(args=["results", "publish", "--round", demo_round.code])
    assert isinstance(result.exception, SystemExit) and result.exit_code == 1
    assert "version 1" in result.output or "phiên bản 1" in result.output


def test_a_blank_reason_for_a_tie_is_refused_in_words(demo_round, app):
    from results import service

    tied = next(r for r in service.compute(demo_round).rows if r.status == "tie_pending")
    result = app.test_cli_runner().invoke(args=["results", "decide", "--round", demo_round.code, "--candidate",
                                                str(tied.candidate.candidate_number), "--select", "--reason", "  "])
    assert isinstance(result.exception, SystemExit) and result.exit_code != 0
    assert "reason" in result.output.lower() or "lý do" in result.output.lower()
