"""One label catalogue: every code a model stores (a sanction, a status, a grade, a decision ...) has
its reader's words here, through the translation layer, Vietnamese first. Pages use the `label`
filter (`{{ row.sanction|label("sanction") }}`), PDFs and XLSX files call `label()`; the CSV files
keep the codes, which are the documented machine format (../shared/spec/formats.md).

A module that owns a value list registers its labels here with `register(kind, {...})` rather than
keeping a private dict, so that no page, document or message ever shows a bare code."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

_CATALOGUE: dict[str, dict[str, object]] = {}


def register(kind: str, labels: dict[str, object]) -> dict[str, object]:
    """Adds (or extends) the labels of one kind of code; returns them for the module's own use."""
    _CATALOGUE.setdefault(kind, {}).update(labels)
    return _CATALOGUE[kind]


def label(code: object, kind: str) -> str:
    """The reader's words for a code; an unknown code shows as itself rather than failing a page,
    and the catalogue test finds it."""
    if code is None or code == "":
        return ""
    found = _CATALOGUE.get(kind, {}).get(str(code))
    return str(found) if found is not None else str(code)


def kinds() -> dict[str, dict[str, object]]:
    return _CATALOGUE


# B6: the sanctions a proctor records.
SANCTION = register("sanction", {
    "reprimand": _l("reprimand"), "warning": _l("warning"), "suspension": _l("suspension"),
})

# The hub's value lists (recruitment/rulesets.py, models.py).
ROLE = register("role", {
    "admin": _l("Administrator"), "council_chair": _l("Council chair"), "hr": _l("HR officer"),
    "question_setter": _l("Question setter"), "proctor": _l("Proctor"), "technician": _l("Technician"),
    "interviewer": _l("Interviewer"), "marker": _l("Marker"), "verifier": _l("Verifier"),
    "supervisor": _l("Supervisor"), "candidate": _l("Candidate"),
})
GRADE = register("grade", {
    "chuyen_vien": _l("Specialist (chuyên viên)"), "can_su": _l("Officer (cán sự)"),
    "nhan_vien": _l("Staff (nhân viên)"), "chuyen_vien_chinh": _l("Principal specialist (chuyên viên chính)"),
})
ROUND2_FORM = register("round2_form", {
    "written": _l("Written test"), "written_interview": _l("Written test and interview"), "interview": _l("Interview"),
})
DEGREE = register("degree", {
    "trung_cap": _l("Vocational (trung cấp)"), "cao_dang": _l("College (cao đẳng)"), "dai_hoc": _l("Bachelor (đại học)"),
    "thac_si": _l("Master (thạc sĩ)"), "tien_si": _l("Doctorate (tiến sĩ)"),
})
PRIORITY = register("priority", {
    "hero": _l("Hero of the Armed Forces or of Labour"), "war_invalid": _l("War invalid"),
    "ethnic_minority": _l("Ethnic minority"), "officer": _l("Military or police officer"),
    "reserve_officer": _l("Reserve-officer graduate"), "martyr_child": _l("Child of a martyr, war invalid or hero"),
    "military_service": _l("Completed military or police service"), "youth_volunteer": _l("Youth volunteer"),
    "defence_worker": _l("Demobilised defence worker"), "young_intellectual": _l("Young-intellectual volunteer"),
    "union_cadre": _l("Trade-union cadre from the grassroots"),
})
ROUND1_PART = register("round1_part", {"general": _l("general knowledge"), "language": _l("foreign language")})
SECTION = register("section", {
    "general": _l("General knowledge"), "language": _l("Foreign language"), "professional": _l("Professional"),
})

# A1-A4: where an application stands (models.Application.status).
APPLICATION_STATUS = register("application_status", {
    "submitted": _l("submitted"), "admitted": _l("admitted"), "rejected": _l("rejected"),
})

# Exam forms and exam day (exam/models.py).
TEST_KIND = register("test_kind", {
    "round1_general": _l("Round 1: general knowledge"), "round1_language": _l("Round 1: foreign language"),
    "round2_written": _l("Round 2: professional test on computer"),
})

# B3-B5: where a candidate's attempt stands (exam.models.Attempt.status).
ATTEMPT_STATUS = register("attempt_status", {
    "not_started": _l("not started"), "in_progress": _l("in progress"), "submitted": _l("handed in"),
    "collected": _l("collected at the end"), "voided": _l("voided"),
})
ITEM_FLAG = register("item_flag", {
    "too_easy": _l("too easy (p > 0.80)"), "too_hard": _l("too hard (p < 0.20)"),
    "low_discrimination": _l("discriminates poorly (r < 0.20)"), "check_key": _l("negative discrimination: check the key"),
})

# The question bank (questionbank/models.py).
QUESTION_TYPE = register("question_type", {
    "single": _l("Single choice"), "truefalse": _l("True / false"), "fill": _l("Fill in the blank"),
})
QUESTION_STATUS = register("question_status", {
    "draft": _l("draft"), "in_review": _l("in review"), "approved": _l("approved"), "retired": _l("retired"),
})
DIFFICULTY = register("difficulty", {"1": _l("easy"), "2": _l("medium"), "3": _l("hard")})
QUESTION_ACTION = register("question_action", {
    "created": _l("created"), "edited": _l("edited"), "submit": _l("sent for review"), "approve": _l("approved"),
    "return": _l("returned to the author"), "retire": _l("retired"), "restore": _l("restored"),
    "imported": _l("imported"),
})

# Interviews and paper marking (interviews/marking.py).
MARK = register("mark", {
    "first": _l("first marker"), "second": _l("second marker"), "third": _l("third marker"), "head": _l("head marker"),
})

# Dossiers (verification/models.py, verification/importing.py).
DOC_KIND = register("doc_kind", {"diploma": _l("Diploma"), "certificate": _l("Certificate"),
                                 "priority": _l("Priority evidence")})
DOC_DECISION = register("doc_decision", {
    "pending": _l("to check"), "verified": _l("verified"), "more_info": _l("needs more information"),
    "rejected": _l("rejected"),
})
DOSSIER_OUTCOME = register("dossier_outcome", {
    "verified": _l("verified"), "rejected": _l("rejected"), "incomplete": _l("incomplete"),
    "fraud": _l("fraudulent"), "no_show": _l("did not submit"),
})

# The results list (results/service.py, formats.md): the CSV keeps the codes, people read these.
RESULT_STATUS = register("result_status", {
    "selected": _l("selected"), "tie_pending": _l("tie: awaiting decision"), "not_selected": _l("not selected"),
    "failed_round1": _l("failed round 1"), "failed_round2": _l("failed round 2"), "absent": _l("absent"),
    "voided": _l("voided"), "cancelled": _l("cancelled"),
})
ROUND1_RESULT = register("round1_result", {
    "pass": _l("passed"), "fail": _l("not passed"), "absent": _l("absent"), "voided": _l("voided"),
    "not_required": _l("not required"),
})
REQUIREMENT = register("requirement", {"level": _l("degree level below the position's"),
                                       "major": _l("major not among the position's")})
DOSSIER_STATUS = register("dossier_status", {
    "open": _l("being checked"), "due": _l("deadline close"), "overdue": _l("past its deadline"),
    "verified": _l("verified"), "cancelled": _l("cancelled"),
})

# The audit log (recruitment/audit.py): what each recorded action means.
AUDIT_ACTION = register("audit_action", {
    "access_codes_issued": _l("access codes issued"), "application_admitted": _l("application admitted"),
    "application_created": _l("application created"), "application_rejected": _l("application rejected"),
    "applications_imported": _l("applications imported"), "attempt_absent": _l("candidate marked absent"),
    "attempt_collected": _l("exam collected at the end"), "attempt_regraded": _l("exam regraded"),
    "attempt_started": _l("exam started"), "attempts_graded": _l("exams graded"),
    "blueprint_activated": _l("blueprint activated"), "blueprint_created": _l("blueprint created"),
    "blueprint_edited": _l("blueprint edited"), "candidate_numbers_assigned": _l("candidate numbers assigned"),
    "document_added": _l("document added"), "document_answered": _l("more information sent"), "document_decided": _l("document decided"),
    "dossier_opened": _l("dossier opened"), "dossier_verified": _l("dossier verified"),
    "dossier_status_changed": _l("dossier status changed"),
    "dossier_code_issued": _l("new dossier code issued"),
    "forms_drawn": _l("exam forms drawn"), "forms_verified": _l("exam forms verified"),
    "interview_declaration": _l("interviewer's declaration"), "interview_head_decision": _l("board head's decision"),
    "interview_imported": _l("interview scores imported"), "interview_moved": _l("interview moved"),
    "interview_reconciled": _l("interview scores reconciled"), "interview_rubric_set": _l("interview rubric set"),
    "interview_score_corrected": _l("interview score corrected"), "interview_scored": _l("interview scored"),
    "interviewer_replaced": _l("interviewer replaced"), "interviewer_unavailable": _l("interviewer unavailable"),
    "interviewer_unavailable_withdrawn": _l("interviewer available again"),
    "interviews_scheduled": _l("interviews scheduled"), "issuing_records_imported": _l("issuing records imported"),
    "item_statistics": _l("item statistics computed"), "item_statistics_recorded": _l("item statistics recorded"),
    "login_failed": _l("failed log-in"), "position_created": _l("position created"),
    "position_edited": _l("position edited"), "positions_imported": _l("positions imported"),
    "priority_rejected": _l("priority rejected"), "priority_restored": _l("priority counted again"),
    "question_created": _l("question created"),
    "question_edited": _l("question edited"), "question_list_viewed": _l("question list viewed"),
    "question_neutralised": _l("question neutralised"), "question_viewed": _l("question viewed"),
    "item_analysis_viewed": _l("item analysis viewed"),
    "questions_exported": _l("questions exported"), "questions_imported": _l("questions imported"),
    "rejection_confirmed": _l("rejection confirmed"), "remark_decided": _l("re-marking decided"),
    "remark_marked": _l("re-marked"), "remark_requested": _l("re-marking requested"),
    "results_published": _l("results published"),
    "results_out_of_date": _l("published results no longer match the scores"), "retake_drawn": _l("retake form drawn"),
    "round_created": _l("round created"), "round_edited": _l("round edited"),
    "selection_cancelled": _l("selection cancelled"), "sitting_created": _l("sitting created"),
    "sitting_collected": _l("sitting's absentees recorded"), "sitting_opened": _l("sitting opened"),
    "tie_decided": _l("tie decided"), "user_created": _l("user created"),
    "user_saved": _l("user saved"), "written_entered": _l("written mark entered"), "written_absent": _l("absent from the written test"),
    "written_imported": _l("written marks imported"), "written_marked": _l("written script marked"),
    "second_marker_drawn": _l("second marker drawn at random"),
    "written_remarked": _l("written script re-marked"),
    "application_edited": _l("application edited"), "applications_extended": _l("applications reopened"),
    "attempt_submitted": _l("exam handed in"), "board_created": _l("interview board created"),
    "candidate_logged_in": _l("candidate logged in to the exam"), "import_job_started": _l("file import started"),
    "logged_out": _l("logged out everywhere"), "login_lock_cleared": _l("candidate's log-in lock cleared"),
    "login_locked": _l("log-in locked after wrong passwords"), "login_unlocked": _l("log-in lock cleared"),
    "photos_imported": _l("photos imported"), "room_address_range_set": _l("room's computer addresses set"),
    "round1_imported": _l("round-1 results imported"), "result_held": _l("recorded result kept"),
    "round1_result_replaced": _l("round-1 result replaced by the graded test"),
    "written_result_replaced": _l("written result replaced by the graded test"),
    "sanction_withdrawn": _l("sanction withdrawn"), "written_mark_refused": _l("written mark refused"),
    # proctoring.record's incidents (incident_<kind>) and bank.transition's steps (question_<step>)
    "incident_seat_moved": _l("candidate moved to a spare seat"), "incident_time_credited": _l("time credited"),
    "incident_sanction": _l("sanction recorded"), "incident_note": _l("note on the exam"),
    "incident_voided": _l("exam voided"), "incident_grading_failed": _l("exam could not be graded"),
    "incident_result_held": _l("recorded result kept"), "incident_relogin": _l("candidate logged in again"),
    "question_submit": _l("question sent for review"), "question_approve": _l("question approved"),
    "question_return": _l("question returned to the author"), "question_retire": _l("question retired"),
    "question_restore": _l("question restored"),
    "person_flagged": _l("person barred from the next round (fraud)"),
})
# The fields an audit entry's before and after name (the values are labelled by their own kinds).
AUDIT_FIELD = register("audit_field", {
    "admitted": _l("admitted"), "application": _l("application"), "candidate_number": _l("candidate number"),
    "late_admitted": _l("late entry admitted"), "arrived_at": _l("arrived at"),
    "cells": _l("cells"), "changed": _l("changed"), "code": _l("code"), "codes": _l("codes"), "conflict": _l("conflict"),
    "correct": _l("correct answers"), "count": _l("count"), "created": _l("created"), "criteria": _l("criteria"),
    "deadline": _l("deadline"), "decision": _l("decision"), "difficulty_spread": _l("difficulty spread"),
    "digest": _l("digest"), "discrimination": _l("discrimination"), "ends_at": _l("ends at"),
    "entered_by": _l("entered by"), "among": _l("drawn among (markers)"), "drawn": _l("second marker drawn"), "file": _l("file"), "final_score": _l("final score"), "first": _l("first"),
    "first_id": _l("first record added"), "last_id": _l("last record added"), "q": _l("text searched"),
    "claim": _l("priority claim"), "stored": _l("stored file"), "author": _l("author"), "type": _l("question type"), "format": _l("file format"), "keys": _l("with the answer keys"),
    "several_positions": _l("several positions per person (A1)"), "language_test": _l("foreign-language test (B8)"),
    "promote_after_cancellation": _l("the next candidate promoted after a cancellation (F4)"),
    "flag": _l("flag"), "flagged": _l("flagged"), "forms": _l("exam forms"), "from": _l("from"),
    "full_name": _l("full name"), "graded": _l("graded"), "interview": _l("interview"),
    "interview_absent": _l("absent from the interview"), "interview_pending": _l("interview awaiting the board head"),
    "kr20_max": _l("highest KR-20"), "kr20_mean": _l("mean KR-20"), "kr20_min": _l("lowest KR-20"), "last": _l("last"),
    "marker": _l("marker"), "national_id": _l("national ID"), "neighbour_clashes": _l("identical neighbours"),
    "new_forms": _l("new exam forms"), "outcome": _l("outcome"), "p_value": _l("p-value"), "placed": _l("placed"),
    "position_id": _l("position"), "published": _l("published"), "questions": _l("questions"), "reason": _l("reason"),
    "reject_reason": _l("reason for rejection"), "requested_on": _l("requested on"), "results": _l("results"),
    "results_on": _l("results on"), "rooms": _l("rooms"), "rows": _l("rows"), "rule": _l("rule"),
    "collected_at": _l("absentees recorded at"), "stems": _l("stems and keys shown"), "opened_at": _l("opened at"),
    "credited_minutes": _l("minutes credited in all"),
    "sanction": _l("sanction"), "score": _l("score"), "starts_at": _l("starts at"), "status": _l("status"),
    "test": _l("test"), "to": _l("to"), "total": _l("total"), "unplaced": _l("not placed"), "updated": _l("updated"),
    "user": _l("user"), "version": _l("version"), "which": _l("which"), "written": _l("written test"),
    "written_absent": _l("absent from the written test"), "written_pending": _l("written marks pending"),
    "cancelled": _l("cancelled"), "cancel_reason": _l("reason for cancellation"), "note": _l("note"),
    "priority_rejected": _l("priority rejected"), "roles": _l("roles"), "username": _l("user name"),
    "name": _l("name"), "quota": _l("quota"), "minutes": _l("minutes"), "seat": _l("seat"),
    "absent": _l("absent"), "accepted": _l("re-mark accepted"), "active": _l("active"), "address": _l("address"),
    "address_range": _l("computer addresses"), "agency": _l("agency"), "board": _l("interview board"), "by": _l("by"),
    "candidate": _l("candidate"), "correct_counted": _l("correct answers after the sanction"),
    "degree_level": _l("degree level"), "difficulty": _l("difficulty"), "email": _l("e-mail"),
    "extended_until": _l("open until"), "failures": _l("failed attempts"), "form_digest": _l("exam form digest"),
    "grade": _l("grade"), "head": _l("board head"), "job": _l("import job"), "key": _l("locked key"),
    "kind": _l("kind"), "locked": _l("locks"), "majors": _l("majors"), "matching": _l("matching"),
    "members": _l("members"), "mismatched": _l("not matching"), "number": _l("number"), "options": _l("options"),
    "passed": _l("passed"), "pending": _l("awaiting a decision"), "phone": _l("phone"), "photos": _l("photos"),
    "positions": _l("positions"), "recorded": _l("recorded"), "rejected": _l("rejected"), "replaced": _l("replaced"),
    "retake": _l("retake"), "room": _l("room"), "round2_form": _l("round-2 form"), "rows_changed": _l("rows changed"),
    "rules": _l("rule set"), "sanction_reason": _l("reason for the sanction"), "scan": _l("scan attached"),
    "script": _l("script"), "section": _l("section"), "selected": _l("selected"), "source": _l("source"),
    "stem": _l("question text"), "substitute": _l("substitute"), "tolerance": _l("difficulty tolerance"),
    "topic": _l("topic"), "voided": _l("voided"), "voided_attempt": _l("voided exam"), "what": _l("what changed"),
    "written_voided": _l("written test voided"),
})
OBJECT_TYPE = register("object_type", {
    "application": _l("application"), "dossier": _l("dossier"), "dossier_document": _l("dossier document"),
    "exam_attempt": _l("exam attempt"), "exam_sitting": _l("exam sitting"), "exam_test": _l("exam test"),
    "interview": _l("interview"), "issuing_records": _l("issuing records"), "position": _l("position"),
    "question": _l("question"), "question_bank": _l("question bank"), "round": _l("round"), "user": _l("user"),
    "exam_room": _l("exam room"), "interview_board": _l("interview board"), "throttle": _l("log-in lock"),
})
# Where a recorded score came from (the hub's score tables, shown in the audit log).
SCORE_SOURCE = register("score_source", {
    "computer": _l("graded by the computer"), "import": _l("imported from a file"), "manual": _l("entered by hand"),
    "marking": _l("double marking"),
})
# How a written mark (C3, C7) or an interview score (C4) was reached (marking/reconciliation.py,
# interviews/reconciliation.py).
SCORE_RULE = register("score_rule", {
    "C3": _l("double marking (C3)"), "C3 mean": _l("mean of the two markers (C3)"),
    "C3 head": _l("decided by the head marker (C3)"), "C3 two agree": _l("two of the three markers agree (C3)"),
    "C4": _l("mean of the scores (C4)"), "C4 head": _l("decided by the board head (C4)"), "C7": _l("re-marking (C7)"),
})
# A re-marking request (marking/models.py RemarkRequest.status).
RULE_SET = register("rule_set", {  # rules.md: the presets a round picks
    "vn-2025": _l("Decree 170/2025/NĐ-CP"), "vn-2020": _l("Decree 138/2020/NĐ-CP"),
})
REMARK_STATUS = register("remark_status", {
    "marking": _l("being re-marked"), "chair": _l("waiting for the council chair"), "done": _l("done"),
})


def choices(kind: str, codes) -> list[tuple[str, object]]:
    """(code, label) pairs for a SelectField, in the value list's order."""
    return [(code, _CATALOGUE[kind].get(str(code), code)) for code in codes]


# Who published a results version (results.models.ResultVersion.published_by) when no person did: the
# code of what published it; a version published from the council's page keeps the chair's user name.
PUBLISHER = register("publisher", {
    "system": _l("the software, when cancellations were announced (F3)"),
    "cli": _l("an operator, from the command line"), "demo": _l("the demonstration set-up"),
})
