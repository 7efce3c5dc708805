from __future__ import annotations

from questionbank import bank
from questionbank.records import QuestionRecord


def record(stem: str = "Theo Hiến pháp năm 2013, cơ quan hành chính nhà nước cao nhất là?", **fields) -> QuestionRecord:
    values = dict(ref=1, stem=stem, options=["Quốc hội", "Chính phủ", "Tòa án", "Viện kiểm sát"], answer=[1],
                  section="general", topic="Hiến pháp", difficulty=2)
    values.update(fields)
    return QuestionRecord(**values)


def approved(author, reviewer, **fields):
    question = bank.create(record(**fields), author)
    bank.transition(question, "submit", author)
    bank.transition(question, "approve", reviewer)
    return question
