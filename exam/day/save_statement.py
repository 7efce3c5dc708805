"""The autosave as one SQL statement (exam/day/sitting.py save_answer runs it)."""
from __future__ import annotations

from sqlalchemy import Boolean, DateTime, bindparam
from sqlalchemy import text as sql_text

# The hot path of exam day as one statement: insert the answer, or update it when the save is newer
# than the stored one, and only if the attempt is the candidate's, in progress, before its deadline
# and the slot is on their form (4 bytes a question), and only from the attempt's one live session
# (the placement's token, found by its unique attempt_id: an indexed lookup in the same statement).
# It returns a row when it stored the save. The SQL is written out because SQLAlchemy cannot cache
# an upsert built from a SELECT, and compiling it on every save cost more than running it; it reads
# the same on SQLite and PostgreSQL. The casts type what PostgreSQL cannot infer (a NULL choice); :now and :flagged keep their column types' own
# conversions (a CAST to TIMESTAMP would turn an SQLite date into a number).
SAVE = sql_text("""
INSERT INTO exam_answers (attempt_id, slot, choice, text, flagged, seq, saved_at)
SELECT CAST(:attempt AS INTEGER), CAST(:slot AS INTEGER), CAST(:choice AS INTEGER), CAST(:text AS VARCHAR(500)),
       :flagged, CAST(:seq AS INTEGER), :now
WHERE EXISTS (SELECT 1 FROM exam_attempts JOIN exam_forms ON exam_forms.id = exam_attempts.form_id
              JOIN exam_placements ON exam_placements.attempt_id = exam_attempts.id
              WHERE exam_attempts.id = :attempt AND exam_attempts.application_id = :application
                AND exam_placements.session_token = :token
                AND exam_attempts.status = 'in_progress' AND exam_attempts.deadline > :now
                AND :slot >= 0 AND :slot * 4 < length(exam_forms.version_ids))
ON CONFLICT (attempt_id, slot) DO UPDATE
SET choice = excluded.choice, text = excluded.text, flagged = excluded.flagged, seq = excluded.seq,
    saved_at = excluded.saved_at
WHERE exam_answers.seq < excluded.seq
RETURNING seq""").bindparams(bindparam("now", type_=DateTime()), bindparam("flagged", type_=Boolean()))
