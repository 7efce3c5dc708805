from tests.conftest import login_as


def test_login_page_renders(client):
    assert client.get("/login").status_code == 200


def test_home_redirects_anonymous_to_login(client):
    response = client.get("/")
    assert response.status_code == 302 and response.location.endswith("/login")


def test_staff_home_lists_roles(client, make_user):
    user = make_user("hr1", "hr")
    login_as(client, user)
    assert "HR" in client.get("/").get_data(as_text=True) or client.get("/").status_code == 200
