"""Evidence files: checked on upload (type by extension and content, size), stored
under random names, and served only through the scoped download view."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from birgemiz.models import Evidence

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def upload(client, program, name, content):
    return client.post(
        reverse("admin:birgemiz_evidence_add"),
        {
            "program": program.pk,
            "kind": "minutes",
            "title": "Кездесу хаттамасы",
            "file": SimpleUploadedFile(name, content),
        },
    )


def file_errors(response):
    """The file field's error codes and messages (in the page's language, Kazakh by default)."""
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors.as_data().get("file", [])
    return {e.code for e in errors}, " ".join(m for e in errors for m in e.messages)


@pytest.fixture
def evidence(program):
    return Evidence.objects.create(
        program=program, kind="photo", title="Сурет", file=ContentFile(PDF, name="photo.pdf")
    )


@pytest.mark.parametrize("name", ["virus.exe", "notes.txt", "page.html", "noextension"])
def test_it_refuses_a_file_type_not_allowed(client, coordinator, program, name):
    client.force_login(coordinator)
    codes, text = file_errors(upload(client, program, name, b"plain text"))
    assert codes == {"evidence_type"}
    assert "Рұқсат етілген файл түрлері" in text and ".pdf" in text and ".docx" in text
    assert not Evidence.objects.exists()


def test_it_refuses_a_text_file_renamed_to_pdf(client, coordinator, program):
    client.force_login(coordinator)
    codes, text = file_errors(upload(client, program, "minutes.pdf", b"just some text, not a PDF"))
    assert codes == {"evidence_content"} and ".pdf" in text
    assert not Evidence.objects.exists()


def test_it_refuses_a_png_renamed_to_jpg(client, coordinator, program):
    client.force_login(coordinator)
    codes, text = file_errors(upload(client, program, "photo.jpg", PNG))
    assert codes == {"evidence_content"} and ".jpg" in text


def test_it_refuses_a_file_over_the_size_limit(client, coordinator, program, settings):
    settings.EVIDENCE_MAX_BYTES = 1024 * 1024
    client.force_login(coordinator)
    codes, text = file_errors(upload(client, program, "big.pdf", PDF + b"0" * (1024 * 1024)))
    assert codes == {"evidence_size"} and "1 МБ" in text
    assert not Evidence.objects.exists()


def test_it_explains_a_rejected_upload_in_russian(client, coordinator, program):
    client.force_login(coordinator)
    client.cookies["django_language"] = "ru"
    _codes, text = file_errors(upload(client, program, "minutes.pdf", b"not a PDF"))
    assert text == "Содержимое файла не соответствует его расширению .pdf."


def test_it_stores_an_accepted_file_under_a_random_name(client, coordinator, program):
    client.force_login(coordinator)
    response = upload(client, program, "Хаттама №1.PDF", PDF)
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.uploaded_by == coordinator
    assert evidence.file.name.startswith(f"evidence/{program.pk}/")
    assert evidence.file.name.endswith(".pdf") and "Хаттама" not in evidence.file.name
    assert evidence.file.read() == PDF


def test_it_links_the_change_page_to_the_scoped_download_only(client, coordinator, evidence, settings):
    client.force_login(coordinator)
    page = client.get(reverse("admin:birgemiz_evidence_change", args=[evidence.pk])).content.decode()
    assert f'href="/evidence/{evidence.pk}/"' in page
    assert settings.MEDIA_URL not in page
    assert evidence.file.name not in page


def test_it_serves_the_file_to_the_coordinator(client, coordinator, evidence):
    client.force_login(coordinator)
    response = client.get(reverse("evidence-download", args=[evidence.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment")


def test_it_serves_the_file_to_an_officer(client, officer, evidence):
    client.force_login(officer)
    assert client.get(reverse("evidence-download", args=[evidence.pk])).status_code == 200


def test_it_serves_the_file_to_the_operator(client, operator, evidence):
    client.force_login(operator)
    assert client.get(reverse("evidence-download", args=[evidence.pk])).status_code == 200


@pytest.mark.parametrize("persona", ["outsider", "volunteer_user", "council_user"])
def test_it_hides_the_file_outside_the_users_scope(client, request, persona, evidence):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("evidence-download", args=[evidence.pk])).status_code == 404


def test_a_council_member_downloads_no_evidence_of_their_own_programme(client, council_user, program):
    """Council members score applications; participant lists and letters are not theirs."""
    files = [
        Evidence.objects.create(
            program=program, kind=kind, title=kind, file=ContentFile(PDF, name=f"{kind}.pdf")
        )
        for kind in ("participant_list", "minutes", "photo")
    ]
    client.force_login(council_user)
    assert [client.get(reverse("evidence-download", args=[f.pk])).status_code for f in files] == [404] * 3


def test_it_sends_anonymous_users_to_log_in(client, evidence):
    response = client.get(reverse("evidence-download", args=[evidence.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_refuses_post_on_the_download(client, coordinator, evidence):
    client.force_login(coordinator)
    assert client.post(reverse("evidence-download", args=[evidence.pk])).status_code == 405


def test_it_serves_nothing_under_media_root_by_url(client, coordinator, evidence, settings):
    client.force_login(coordinator)
    name = evidence.file.name
    for url in (f"{settings.MEDIA_URL}{name}", f"/media/{name}", f"/{name}", f"/static/{name}"):
        assert client.get(url).status_code == 404, url
