"""Item 9: no English leaks on Vietnamese pages: WTForms' own messages and Flask-Login's message."""
from __future__ import annotations


def test_a_required_field_says_so_in_vietnamese(client, make_user, login):
    page = client.post("/login", data={"username": "", "password": ""}).get_data(as_text=True)
    assert "This field is required." not in page
    assert "Trường này là bắt buộc." in page


def test_a_required_field_in_english_when_the_reader_chose_english(client):
    with client.session_transaction() as session:
        session["lang"] = "en"
    page = client.post("/login", data={"username": "", "password": ""}).get_data(as_text=True)
    assert "This field is required." in page


def test_the_log_in_prompt_is_in_vietnamese(client):
    response = client.get("/audit/", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Please log in to access this page." not in page
    assert "Vui lòng đăng nhập" in page
