"""Vietnamese text handling and the rule-set numbers."""
from datetime import date
from decimal import Decimal

from recruitment import rulesets
from recruitment.eligibility import age_on
from recruitment.vietnamese import clean_spaces, fold, name_sort_key


def test_fold_removes_diacritics_case_and_extra_spaces():
    assert fold("  Hiến   PHÁP ") == "hien phap"
    assert fold("Đường Đặng") == "duong dang"


def test_fold_and_spaces_give_the_same_text_whatever_the_road_taken():
    # fold and clean_spaces have a quick road for the usual text of a big import; any text takes
    # the general one when the quick one cannot tell (other scripts, loose combining marks, NBSP).
    cases = {
        "Nguyễn Thị Ánh": "nguyen thi anh", "NGUYỄN  ĐỨC": "nguyen duc", "Ỷ Ở": "y o", "Ǆemal Ȁ": "ǆemal a",
        "Nguye\u0302\u0303n": "nguyen", "Tiếng Việt\u00a0và\tnhau\n": "tieng viet va nhau", "Ωmega Ä": "ωmega a",
        "漢字 Hà": "漢字 ha", "a\u034fb": "a\u034fb", "": "",
    }
    assert {text: fold(text) for text in cases} == cases
    assert clean_spaces("Lê  Văn\u00a0An ") == "Lê Văn An" and clean_spaces("\u2003An\u2028Bình") == "An Bình"
    assert clean_spaces("Lê Văn An") == "Lê Văn An" and clean_spaces(" ") == ""


def test_names_sort_by_given_name_then_family_and_middle_names():
    names = ["Trần Văn Bình", "Nguyễn Thị Ánh", "Lê An", "Phạm Thị An", "Đỗ Minh Đức", "Vũ Văn Dũng", "Hồ Ân"]
    ordered = sorted(names, key=name_sort_key)
    # A3: the given name decides, letter by letter in the Vietnamese alphabet (a < â, d < đ; the
    # tone only breaks ties: An < Ánh < Ân), then family and middle names (Lê < Phạm).
    assert ordered == ["Lê An", "Phạm Thị An", "Nguyễn Thị Ánh", "Hồ Ân", "Trần Văn Bình", "Vũ Văn Dũng",
                       "Đỗ Minh Đức"]


def test_priority_counts_the_highest_category_only():
    rules = rulesets.get("vn-2025")
    assert rules.priority_for(["military_service", "ethnic_minority"]) == Decimal("5")  # D5
    assert rules.priority_for([]) == 0
    assert rules.priority_for(["union_cadre"]) == Decimal("1.5")  # D4
    assert rulesets.get("vn-2020").priority_for(["union_cadre"]) == 0  # L3


def test_scores_round_half_up_to_two_decimals():
    rules = rulesets.get("vn-2025")
    assert rules.round_score(Decimal("71.125")) == Decimal("71.13")  # C6
    assert rules.round_score(Decimal("71.124999")) == Decimal("71.12")


def test_presets_differ_where_the_old_decree_did():
    old, new = rulesets.get("vn-2020"), rulesets.get("vn-2025")
    assert (old.dossier_days, new.dossier_days) == (30, 15)  # F1, L4
    assert "interview" in old.allowed_round2_forms and "interview" not in new.allowed_round2_forms  # C1, L2
    assert old.round1_has_language_part and not new.round1_has_language_part  # L1
    assert new.late_entry_minutes(60) == 10 and new.late_entry_minutes(30) == 5  # B4


def test_age_is_counted_on_the_deadline():
    assert age_on(date(2008, 10, 1), date(2026, 10, 1)) == 18
    assert age_on(date(2008, 10, 2), date(2026, 10, 1)) == 17
