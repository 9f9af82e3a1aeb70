"""Certificate codes a person can type from paper: short, grouped, case-free, checked in a
box on the public page, and a QR code on the PDF that opens that page."""

import datetime
import io
import re

import pytest
import segno
from django.urls import reverse
from pypdf import PdfReader

from volunteers import certificates, codes
from volunteers.models import Award, Certificate

from .factories import VolunteerFactory
from .test_certificates import trained  # noqa: F401  (a fixture)

SHORT = re.compile(r"^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{2}$")


@pytest.fixture
def issued(client, coordinator, program, trained):  # noqa: F811
    client.force_login(coordinator)
    response = client.post(
        reverse("assessments:certificate-issue", args=[program.code, trained.pk]),
        {"kind": "training", "language": "kk"},
    )
    assert response.status_code == 302
    client.logout()
    return Certificate.objects.get(volunteer=trained)


def test_it_issues_a_short_grouped_code_without_look_alike_letters(issued):
    assert SHORT.match(issued.code), issued.code
    many = {codes.new_code() for _ in range(300)}
    assert len(many) == 300 and all(SHORT.match(c) for c in many)
    assert not set("".join(many)) & set("IO01")


@pytest.mark.parametrize("typed", ["lower", "bare", "spaced", "padded"])
def test_it_finds_a_short_code_whatever_its_case_and_dashes(client, issued, typed):
    raw = issued.code.replace("-", "")
    variant = {
        "lower": issued.code.lower(),
        "bare": raw.lower(),
        "spaced": f"{raw[:4]} {raw[4:8]} {raw[8:]}",
        "padded": f"  {issued.code} ",
    }[typed]
    response = client.get(reverse("volunteers:verify-check"), {"code": variant}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("volunteers:verify", args=[issued.code])
    body = response.content.decode()
    assert "Әбілқайырова" in body and issued.code in body
    # Typed into the address too, a short code is found.
    again = client.get(reverse("volunteers:verify", args=[raw.lower()]), follow=True)
    assert again.status_code == 200 and "Әбілқайырова" in again.content.decode()


def test_it_keeps_old_codes_verifying_exactly_as_printed(client, program, track):
    volunteer = VolunteerFactory(program=program, track=track, last_name="Ескібаева")
    old = "Xq3_-aZ9kP0LmN2bVc7T1w"  # 22 URL-safe characters, as codes were issued before
    Award.objects.create(
        program=program,
        volunteer=volunteer,
        title="Үздік",
        certificate_code=old,
        awarded_on=datetime.date(2020, 11, 25),
    )
    found = client.get(reverse("volunteers:verify-check"), {"code": f" {old} "}, follow=True)
    assert found.status_code == 200 and "Ескібаева" in found.content.decode()
    assert client.get(reverse("volunteers:verify", args=[old.lower()])).status_code == 404


def test_the_page_offers_a_box_to_type_a_code_and_keeps_a_wrong_one(client, issued):
    empty = client.get(reverse("volunteers:verify-check"))
    assert empty.status_code == 200
    assert 'name="code"' in empty.content.decode() and "alert-danger" not in empty.content.decode()
    wrong = client.get(reverse("volunteers:verify-check"), {"code": "zzzz-zzzz-zz"}, follow=True)
    assert wrong.status_code == 404
    body = wrong.content.decode()
    assert "alert-danger" in body and 'name="code"' in body and 'value="ZZZZ-ZZZZ-ZZ"' in body
    assert "Әбілқайырова" not in body
    slash = client.get(reverse("volunteers:verify-check"), {"code": "a/b"})
    assert slash.status_code == 404 and 'name="code"' in slash.content.decode()


def test_the_certificate_pdf_carries_a_qr_code_of_its_verification_page(
    client, coordinator, issued, monkeypatch
):
    client.force_login(coordinator)
    seen = {}
    real = certificates.html_to_pdf

    def keep(html):
        seen["html"] = html
        return real(html)

    monkeypatch.setattr(certificates, "html_to_pdf", keep)
    pdf = client.get(reverse("volunteers:certificate-pdf", args=[issued.code]))
    assert pdf.status_code == 200
    url = "http://testserver" + reverse("volunteers:verify", args=[issued.code])
    expected = segno.make(url, error="m").svg_inline(scale=3, border=2, omitsize=True)
    assert expected in seen["html"]
    reader = PdfReader(io.BytesIO(pdf.content))
    assert len(reader.pages) == 1  # the QR code fits on the certificate's one page
    assert issued.code in reader.pages[0].extract_text()
