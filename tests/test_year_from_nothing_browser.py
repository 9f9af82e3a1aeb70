"""A real programme year from nothing (#13), in a browser: an empty database and one
operator made by the one shell command (`manage.py invite --operator`); everything after
it is pages. The operator sets a password, adds the region, a district and the NGO and
invites its coordinator; the coordinator sets a password, creates the programme from the
built-in national plan, imports schools, students (IINs, no codes), volunteers, groups,
enrolments and test results from spreadsheets, invites a volunteer, who sets a password and
logs one lesson; the coordinator issues the final report as PDF and XLSX, whose growth
table matches the imported scores.

`FORMS` counts every form sent and every file uploaded on the way (the closing note of
#13 compares them with the 67 admin forms the same setup took before)."""

import csv
import datetime
import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from birgemiz import roles
from birgemiz.models import Program
from birgemiz.validators import iin_check_digit
from courses.models import Enrollment, Lesson, Student

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "бірінші-жыл-2021!"
TODAY = timezone.localdate()


def iin_for(birth, sex, serial):
    century = {"M": "5", "F": "6"}[sex] if birth.year >= 2000 else {"M": "3", "F": "4"}[sex]
    while True:
        first11 = f"{birth:%y%m%d}{century}{serial:04d}"
        check = iin_check_digit(first11)
        if check is not None:
            return first11 + str(check)
        serial += 1


def csv_file(tmp_path, name, rows):
    path = tmp_path / f"{name}.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        for row in rows:
            writer.writerow(row)
    return path


class Walk:
    """One browser page and the count of forms and uploads sent."""

    def __init__(self, page, base):
        self.page, self.base, self.forms, self.uploads = page, base, 0, 0

    def go(self, path):
        self.page.goto(self.base + path)

    def submit(self, selector="main form button[type=submit], #content form input[type=submit]"):
        self.forms += 1
        with self.page.expect_navigation():
            self.page.locator(selector).first.click()

    def log_in(self, username):
        self.go("/accounts/login/")
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", PASSWORD)
        self.submit("main button[type=submit]")

    def log_out(self):
        self.page.context.clear_cookies()

    def set_password(self, link):
        self.page.goto(link)
        self.page.fill("input[name=new_password1]", PASSWORD)
        self.page.fill("input[name=new_password2]", PASSWORD)
        self.submit()
        assert "/accounts/login/" in self.page.url, self.page.content()[:2000]

    def choose(self, selector, value):
        """Pick `value` in a select, an autocomplete one included (its options load as typed)."""
        self.page.evaluate(
            """([sel, value]) => { const s = document.querySelector(sel);
                if (![...s.options].some(o => o.value === String(value)))
                    s.add(new Option(String(value), value));
                s.value = String(value); s.dispatchEvent(new Event('change')); }""",
            [selector, str(value)],
        )

    def admin_add(self, model, fields, selects=None):
        self.go(f"/admin/{model}/add/")
        for name, value in fields.items():
            self.page.fill(f"#id_{name}", value)
        for name, value in (selects or {}).items():
            self.page.select_option(f"#id_{name}", value)
        self.submit("#content form input[name=_save]")
        assert "/add/" not in self.page.url, self.page.locator("#content").inner_text()[:2000]

    def import_file(self, register, program_code, path):
        self.go(f"/admin/registers/{register}/import/")
        self.page.select_option("select[name=program]", program_code)
        self.page.set_input_files("input[type=file]", str(path))
        self.uploads += 1
        self.submit("#content form input[type=submit]")
        confirm = self.page.locator("form[action*='/confirm/'] [type=submit]")
        assert confirm.count() == 1, f"{register}: " + self.page.locator("#content").inner_text()[:3000]
        self.submit("form[action*='/confirm/'] [type=submit]")
        text = self.page.locator("#content").inner_text()
        assert "/jobs/" in self.page.url, text[:2000]
        return text


@pytest.fixture
def empty(transactional_db, settings):
    settings.EMAIL_BACKEND = "birgemiz.jobs.mail.QueuedEmailBackend"
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    for name in roles.ALL_ROLES:  # transactional_db flushed the groups the migration made
        Group.objects.get_or_create(name=name)
    assert not Program.objects.exists()


def test_a_programme_year_from_nothing_to_the_report_without_the_shell(
    empty, live_server, chromium, tmp_path
):
    base = live_server.url
    # The one shell command: the first operator.
    out = io.StringIO()
    call_command("invite", "operator@birgemiz.kz", "--operator", "--base-url", base, stdout=out)
    operator_link = re.search(r"http\S+/accounts/invitation/\S+/", out.getvalue()).group(0)

    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="kk-KZ")
    page = context.new_page()
    page.set_default_timeout(30000)
    walk = Walk(page, base)

    # The operator: password, the region and a district, the NGO, its coordinator's invitation.
    walk.set_password(operator_link)
    walk.log_in("operator@birgemiz.kz")
    walk.admin_add("birgemiz/region", {"code": "zko", "name_kk": "Батыс Қазақстан облысы"})
    walk.go("/admin/birgemiz/district/add/")
    from birgemiz.models import Region

    walk.choose("#id_region", Region.objects.get(code="zko").pk)
    walk.page.fill("#id_name_kk", "Ақжайық")
    walk.submit("#content form input[name=_save]")
    walk.admin_add("birgemiz/organization", {"name_kk": "«Жаңа қадам» ҚБ"})
    walk.go("/admin/birgemiz/invitation/add/")
    walk.page.select_option("#id_role", "coordinator")
    walk.page.fill("#id_email", "coordinator@zhana.kz")
    walk.page.fill("#id_full_name", "Серікова Айгүл")
    walk.page.select_option("#id_organization", label="«Жаңа қадам» ҚБ")
    walk.submit("#content form input[name=_save]")
    coordinator_link = re.search(r"http\S+/accounts/invitation/[^\s<]+/", mail.outbox[-1].body).group(0)
    walk.log_out()

    # The coordinator: password, the programme from the built-in national plan.
    walk.set_password(coordinator_link)
    walk.log_in("coordinator@zhana.kz")
    start, end = TODAY - datetime.timedelta(days=60), TODAY + datetime.timedelta(days=200)
    walk.go("/programs/new/")
    walk.page.select_option("select[name=source]", "plan")
    walk.page.select_option("select[name=region]", label="Батыс Қазақстан облысы")
    walk.page.fill("input[name=code]", "zko-2021")
    walk.page.fill("input[name=title_kk]", "«Birgemiz: Bilim» — Батыс Қазақстан, 2021")
    walk.page.fill("input[name=start]", f"{start:%d.%m.%Y}")
    walk.page.fill("input[name=end]", f"{end:%d.%m.%Y}")
    walk.page.fill("input[name=grant_amount]", "15000000")
    walk.submit("main form button[value=preview]")
    walk.submit("main form button[value=create]")
    assert walk.page.url.endswith("/programs/zko-2021/year/"), walk.page.content()[:2000]
    program = Program.objects.get(code="zko-2021")
    track = program.tracks.order_by("order", "code").first()

    # The lists, from spreadsheets.
    walk.import_file(
        "schools",
        "zko-2021",
        csv_file(
            tmp_path,
            "schools",
            [
                ["region", "district", "settlement", "school", "language"],
                [
                    "Батыс Қазақстан облысы",
                    "Ақжайық",
                    "Чапаев а.",
                    "Чапаев жалпы орта білім беретін мектебі",
                    "kk",
                ],
                [
                    "Батыс Қазақстан облысы",
                    "Ақжайық",
                    "Тайпақ а.",
                    "Тайпақ жалпы орта білім беретін мектебі",
                    "kk",
                ],
            ],
        ),
    )
    people = [
        ("Әлиева", "Дана", "F"),
        ("Бекұлы", "Арман", "M"),
        ("Жұмабаева", "Ғалия", "F"),
        ("Қасымов", "Ерлан", "M"),
        ("Нұрланова", "Әйгерім", "F"),
        ("Серікұлы", "Нұржан", "M"),
    ]
    student_rows = [
        ["last_name", "first_name", "iin", "sex", "birth_date", "grade", "school", "district", "language"]
    ]
    iins = []
    for i, (last, first, sex) in enumerate(people):
        birth = datetime.date(2005, 3, 1 + i)
        iin = iin_for(birth, sex, 100 + 10 * i)
        iins.append(iin)
        school = (
            "Чапаев жалпы орта білім беретін мектебі" if i % 2 else "Тайпақ жалпы орта білім беретін мектебі"
        )
        student_rows.append([last, first, iin, sex, f"{birth:%d.%m.%Y}", "11", school, "Ақжайық", "kk"])
    walk.import_file("students", "zko-2021", csv_file(tmp_path, "students", student_rows))
    students = {s.iin: s for s in Student.objects.filter(program=program)}
    assert sorted(students) == sorted(iins) and all(s.code for s in students.values())

    walk.import_file(
        "volunteers",
        "zko-2021",
        csv_file(
            tmp_path,
            "volunteers",
            [
                ["email", "last_name", "first_name", "sex", "birth_date", "district", "track", "status"],
                [
                    "dana.volunteer@zhana.kz",
                    "Оспанова",
                    "Дана",
                    "F",
                    "15.01.2001",
                    "Ақжайық",
                    track.code,
                    "selected",
                ],
            ],
        ),
    )
    walk.import_file(
        "course-groups",
        "zko-2021",
        csv_file(
            tmp_path,
            "groups",
            [
                ["name", "track", "volunteer", "capacity", "schedule"],
                ["Топ-1", track.code, "dana.volunteer@zhana.kz", "10", "сс, бс 16:00, Zoom"],
            ],
        ),
    )
    codes = {iin: students[iin].code for iin in iins}
    walk.import_file(
        "enrollments",
        "zko-2021",
        csv_file(
            tmp_path,
            "enrollments",
            [
                ["student", "group", "status", "enrolled_on"],
                *[
                    [codes[iin], "Топ-1", "active", f"{start + datetime.timedelta(days=5):%d.%m.%Y}"]
                    for iin in iins
                ],
            ],
        ),
    )
    pre = [40, 52, 35, 61, 47, 58]
    post = [66, 71, 50, 80, 69, 75]
    taken = start + datetime.timedelta(days=7)
    result_rows = [["student", "track", "kind", "score", "taken_on"]]
    for iin, a, b in zip(iins, pre, post, strict=True):
        result_rows.append([codes[iin], track.code, "pre", str(a), f"{taken:%d.%m.%Y}"])
        result_rows.append(
            [codes[iin], track.code, "post", str(b), f"{TODAY - datetime.timedelta(days=1):%d.%m.%Y}"]
        )
    walk.import_file("test-results", "zko-2021", csv_file(tmp_path, "results", result_rows))
    assert Enrollment.objects.filter(group__program=program).count() == 6

    # The volunteer is invited, sets a password and logs a lesson on the portal.
    walk.go("/admin/birgemiz/invitation/add/")
    walk.page.select_option("#id_role", "volunteer")
    walk.page.fill("#id_email", "dana.volunteer@zhana.kz")
    walk.choose("#id_program", program.pk)
    walk.submit("#content form input[name=_save]")
    volunteer_link = re.search(r"http\S+/accounts/invitation/[^\s<]+/", mail.outbox[-1].body).group(0)
    walk.log_out()
    walk.set_password(volunteer_link)
    walk.log_in("dana.volunteer@zhana.kz")
    group = program.groups.get()
    walk.go(f"/portal/groups/{group.pk}/lessons/new/")
    walk.page.select_option("select[name=hours]", "2")
    walk.page.fill("input[name=topic]", "ҰБТ: логарифмдер")
    walk.submit()
    lesson = Lesson.objects.get(group=group)
    assert lesson.attendance.filter(present=True).count() == 6
    walk.log_out()

    # The coordinator issues the report, PDF and XLSX.
    walk.log_in("coordinator@zhana.kz")
    files = {}
    for fmt in ("pdf", "xlsx"):
        walk.go("/programs/zko-2021/report/")
        walk.submit(f"form[action$='/report/issue/'] button[value={fmt}]")
        walk.go("/programs/zko-2021/report/")
        link = walk.page.locator(f"#issued a[href*='/report/issued/']:has-text('{fmt.upper()}')").first
        href = link.get_attribute("href")
        files[fmt] = context.request.get(base + href).body()
    assert files["pdf"][:4] == b"%PDF"

    mean_pre = Decimal(sum(pre)) / len(pre)
    mean_post = Decimal(sum(post)) / len(post)
    book = openpyxl.load_workbook(io.BytesIO(files["xlsx"]), data_only=True)
    found = False
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            texts = [str(c) for c in row if c is not None]
            numbers = [Decimal(str(c)) for c in row if isinstance(c, (int, float))]
            if (
                any(track.name_kk in t for t in texts)
                and any(abs(n - mean_pre) < Decimal("0.06") for n in numbers)
                and any(abs(n - mean_post) < Decimal("0.06") for n in numbers)
            ):
                found = True
    assert found, f"no growth row for {track.name_kk} with {mean_pre:.1f} → {mean_post:.1f}"
    import pdfplumber

    with pdfplumber.open(io.BytesIO(files["pdf"])) as pdf:
        text = "\n".join(p.extract_text() or "" for p in pdf.pages)
    growth_lines = [line for line in text.splitlines() if f"{mean_pre:.1f}".replace(".", ",") in line]
    assert any(f"{mean_post:.1f}".replace(".", ",") in line for line in growth_lines), growth_lines

    print(f"\nforms sent: {walk.forms}, of them uploads: {walk.uploads}")
    context.close()
