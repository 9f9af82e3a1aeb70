"""Role scoping in the admin: a coordinator sees and edits only their organisation's
programmes, a grant officer reads everything and saves nothing, a volunteer has no
admin at all."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from birgemiz.models import AuditEntry, Indicator, Program, School
from courses.models import Lesson, Student

from .factories import (
    DistrictFactory,
    IndicatorFactory,
    LessonFactory,
    ProgramFactory,
    SchoolFactory,
    StudentFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def student(program):
    return StudentFactory(program=program, last_name="Қайратұлы")


@pytest.fixture
def other_student(outsider):
    return StudentFactory(program=Program.objects.get(code="other-2020"), last_name="Бөтенов")


def change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def delete_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_delete", args=[obj.pk])


def changelist_url(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def student_post(student, **overrides):
    data = {
        "program": student.program_id,
        "code": student.code,
        "last_name": student.last_name,
        "first_name": student.first_name,
        "middle_name": "",
        "iin": "",
        "sex": student.sex,
        "birth_date": "2005-05-01",
        "grade": student.grade,
        "school": student.school_id,
        "language": "kk",
        "social_status": "child",
        "phone": "",
    }
    data.update(overrides)
    return data


# ---------------------------------------------------------------- coordinators


def test_it_lists_the_coordinators_own_students(client, coordinator, student, other_student):
    client.force_login(coordinator)
    response = client.get(changelist_url(Student))
    assert response.status_code == 200
    names = [s.last_name for s in response.context["cl"].result_list]
    assert names == ["Қайратұлы"]


def test_it_shows_another_organisations_coordinator_nothing(client, outsider, student, program):
    LessonFactory(group__program=program)
    IndicatorFactory(activity__task__program=program)
    client.force_login(outsider)
    for model in (Student, Lesson, Indicator, Program):
        response = client.get(changelist_url(model))
        assert response.status_code == 200
        assert program.pk not in {getattr(o, "program_id", o.pk) for o in response.context["cl"].result_list}
    assert len(client.get(changelist_url(Student)).context["cl"].result_list) == 0
    assert len(client.get(changelist_url(Lesson)).context["cl"].result_list) == 0


def test_it_hides_another_organisations_change_page(client, outsider, student):
    client.force_login(outsider)
    response = client.get(change_url(student))
    # Django's admin redirects to the index with "does not exist" for rows outside the queryset.
    assert response.status_code in (302, 404)
    if response.status_code == 302:
        assert response["Location"] == reverse("admin:index")
    response = client.post(change_url(student), student_post(student, last_name="Хакер"))
    assert response.status_code in (302, 404)
    student.refresh_from_db()
    assert student.last_name == "Қайратұлы"


def test_it_lets_a_coordinator_change_their_student(client, coordinator, student):
    client.force_login(coordinator)
    response = client.post(change_url(student), student_post(student, last_name="Сериков"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    student.refresh_from_db()
    assert student.last_name == "Сериков"


def test_it_refuses_to_move_a_student_to_another_organisation(client, coordinator, student, outsider):
    client.force_login(coordinator)
    other = Program.objects.get(code="other-2020")
    response = client.post(change_url(student), student_post(student, program=other.pk))
    assert response.status_code == 200
    assert "program" in response.context["adminform"].form.errors
    student.refresh_from_db()
    assert student.program_id != other.pk


def test_it_offers_only_the_coordinators_programmes_as_choices(client, coordinator, outsider, program):
    client.force_login(coordinator)
    response = client.get(reverse("admin:courses_student_add"))
    choices = response.context["adminform"].form.fields["program"].queryset
    assert list(choices) == [program]


def test_it_validates_the_iin_in_the_admin(client, coordinator, student):
    client.force_login(coordinator)
    response = client.post(change_url(student), student_post(student, iin="061211600013"))
    assert response.status_code == 200
    assert "iin" in response.context["adminform"].form.errors


def test_it_lets_a_coordinator_add_a_programme_only_for_their_org(client, coordinator, org, outsider):
    client.force_login(coordinator)
    response = client.get(reverse("admin:birgemiz_program_add"))
    assert list(response.context["adminform"].form.fields["organization"].queryset) == [org]


def test_it_refuses_filters_that_reach_password_hashes_or_other_tenants(client, coordinator, student):
    client.force_login(coordinator)
    url = changelist_url(Student)
    assert client.get(url, {"program__organization__members__password__startswith": "md5"}).status_code == 400
    assert client.get(url, {"school__students__iin__startswith": "06"}).status_code == 400
    # Filters along the record's own programme stay allowed (the reports link to them).
    ok = client.get(url, {"program__code": student.program.code, "school__district__name_kk__icontains": "А"})
    assert ok.status_code == 200


# ---------------------------------------------------------------- grant officers


def test_it_shows_an_officer_every_programme(client, officer, student, other_student):
    client.force_login(officer)
    response = client.get(changelist_url(Student))
    assert {s.last_name for s in response.context["cl"].result_list} == {"Қайратұлы", "Бөтенов"}


def test_it_shows_an_officer_a_read_only_change_page(client, officer, student):
    client.force_login(officer)
    response = client.get(change_url(student))
    assert response.status_code == 200
    assert b'name="_save"' not in response.content
    assert b'name="last_name"' not in response.content


def test_it_refuses_an_officers_save(client, officer, student):
    client.force_login(officer)
    response = client.post(change_url(student), student_post(student, last_name="Өзгерді"))
    assert response.status_code == 403
    student.refresh_from_db()
    assert student.last_name == "Қайратұлы"


def test_it_refuses_an_officer_adding_or_deleting(client, officer, student, program):
    client.force_login(officer)
    assert client.get(reverse("admin:courses_student_add")).status_code == 403
    add = reverse("admin:courses_student_add")
    assert client.post(add, student_post(student, code="NEW")).status_code == 403
    delete = reverse("admin:courses_student_delete", args=[student.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Student.objects.filter(pk=student.pk).exists()


# ---------------------------------------------------------------- no admin for others


@pytest.mark.parametrize("persona", ["volunteer_user", "council_user"])
def test_it_keeps_volunteers_and_council_members_out_of_the_admin(client, request, persona, student):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(changelist_url(Student))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_it_sends_anonymous_users_to_the_admin_login(client, student):
    response = client.get(change_url(student))
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]


# ---------------------------------------------------------------- shared reference data


def test_only_the_operator_changes_shared_schools_and_regions(
    client, coordinator, officer, operator, program
):
    """A school used by another organisation's programme was renamed by a coordinator."""
    school = SchoolFactory(name="№5 мектеп")
    StudentFactory(program=ProgramFactory(), school=school)
    data = {"district": school.district_id, "name": "Қайта аталған", "settlement": "Ауыл"}
    region = program.region
    region_data = {"name_kk": "Өзгертілген", "name_ru": "", "code": region.code}
    for user in (coordinator, officer):
        client.force_login(user)
        assert client.get(change_url(school)).status_code == 200  # read-only
        assert client.post(change_url(school), data).status_code == 403
        assert client.post(change_url(region), region_data).status_code == 403
        assert client.post(delete_url(school), {"post": "yes"}).status_code == 403
        assert client.post(delete_url(school.district), {"post": "yes"}).status_code == 403
    school.refresh_from_db()
    assert school.name == "№5 мектеп"
    client.force_login(operator)
    assert client.post(change_url(school), data).status_code == 302
    assert client.post(change_url(region), region_data).status_code == 302
    school.refresh_from_db()
    region.refresh_from_db()
    assert (school.name, region.name_kk) == ("Қайта аталған", "Өзгертілген")


def test_a_coordinators_new_school_is_a_proposal_their_programme_uses_at_once(
    client, coordinator, outsider, operator, program, student
):
    district = DistrictFactory(region=program.region)
    client.force_login(coordinator)
    new = {"district": district.pk, "name": "Жаңа мектеп", "settlement": ""}
    response = client.post(reverse("admin:birgemiz_school_add"), new)
    assert response.status_code == 302
    proposed = School.objects.get(name="Жаңа мектеп")
    assert proposed.proposed_by == program.organization
    # Their programme picks it at once (the student's school field offers it)...
    page = client.get(change_url(student))
    assert proposed in page.context["adminform"].form.fields["school"].queryset
    # ...and may still correct it while it waits for the operator.
    fixed = {"district": district.pk, "name": "Жаңа мектеп №1", "settlement": "Ауыл"}
    assert client.post(change_url(proposed), fixed).status_code == 302
    # Another organisation does not see it until the operator approves it.
    client.force_login(outsider)
    assert client.get(change_url(proposed)).status_code == 302  # not in their list: "doesn't exist"
    other_student = StudentFactory(program=Program.objects.get(code="other-2020"))
    page = client.get(change_url(other_student))
    assert proposed not in page.context["adminform"].form.fields["school"].queryset
    client.force_login(operator)
    response = client.post(
        reverse("admin:birgemiz_school_changelist"),
        {"action": "approve", "_selected_action": [proposed.pk], "index": 0},
    )
    assert response.status_code == 302
    proposed.refresh_from_db()
    assert proposed.proposed_by is None
    client.force_login(coordinator)
    assert client.post(change_url(proposed), fixed).status_code == 403  # approved: the operator's now


def test_a_coordinator_cannot_approve_schools(client, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("admin:birgemiz_school_changelist"))
    assert "approve" not in response.context["cl"].model_admin.get_actions(response.wsgi_request)


# ---------------------------------------------------------------- lessons


def test_it_confirms_selected_lessons(client, coordinator, program):
    lessons = [LessonFactory(group__program=program) for _ in range(2)]
    client.force_login(coordinator)
    response = client.post(
        changelist_url(Lesson),
        {"action": "confirm_lessons", "_selected_action": [lesson.pk for lesson in lessons]},
    )
    assert response.status_code == 302
    for lesson in lessons:
        lesson.refresh_from_db()
        assert lesson.status == Lesson.Status.CONFIRMED
        assert lesson.reviewed_by == coordinator


def test_it_asks_for_a_reason_before_rejecting_lessons(client, coordinator, program):
    lesson = LessonFactory(group__program=program, topic="Passive voice")
    client.force_login(coordinator)
    url = changelist_url(Lesson)
    page = client.post(url, {"action": "reject_lessons", "_selected_action": [lesson.pk]})
    assert page.status_code == 200
    assert "Passive voice" in page.content.decode()
    empty = client.post(url, {"action": "reject_lessons", "_selected_action": [lesson.pk], "apply": "1"})
    assert empty.status_code == 200 and empty.context["form"].errors
    lesson.refresh_from_db()
    assert lesson.status == Lesson.Status.PENDING
    done = client.post(
        url,
        {"action": "reject_lessons", "_selected_action": [lesson.pk], "apply": "1", "reason": "Күні қате"},
    )
    assert done.status_code == 302
    lesson.refresh_from_db()
    assert lesson.status == Lesson.Status.REJECTED and lesson.reject_reason == "Күні қате"


def test_it_does_not_offer_lesson_review_to_an_officer(client, officer, program):
    lesson = LessonFactory(group__program=program)
    client.force_login(officer)
    response = client.post(
        changelist_url(Lesson), {"action": "confirm_lessons", "_selected_action": [lesson.pk]}
    )
    lesson.refresh_from_db()
    assert lesson.status == Lesson.Status.PENDING
    assert response.status_code in (200, 302, 403)


def test_it_rejects_a_lesson_outside_the_programme_dates(client, coordinator, program):
    lesson = LessonFactory(group__program=program)
    client.force_login(coordinator)
    data = {
        "group": lesson.group_id,
        "date": "2019-01-01",
        "hours": "2",
        "topic": "Ерте сабақ",
        "platform": "zoom",
        "notes": "",
        "attendance-TOTAL_FORMS": "0",
        "attendance-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("admin:courses_lesson_add"), data)
    assert response.status_code == 200
    assert "date" in response.context["adminform"].form.errors
    assert not Lesson.objects.filter(topic="Ерте сабақ").exists()


def test_it_logs_a_lesson_with_attendance_for_every_enrolled_student(client, coordinator, group):
    client.force_login(coordinator)
    data = {
        "group": group.pk,
        "date": "2020-06-02",
        "hours": "1.5",
        "topic": "Articles",
        "platform": "zoom",
        "notes": "",
        "attendance-TOTAL_FORMS": "0",
        "attendance-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("admin:courses_lesson_add"), data)
    assert response.status_code == 302
    lesson = Lesson.objects.get(topic="Articles")
    assert lesson.logged_by == coordinator
    assert lesson.attendance.count() == group.enrollments.count() == 3


# ---------------------------------------------------------------- audit trail in the admin


def test_it_scopes_the_audit_trail(client, coordinator, outsider, student, other_student):
    client.force_login(coordinator)
    response = client.get(changelist_url(AuditEntry))
    reprs = {e.object_repr for e in response.context["cl"].result_list}
    assert student.full_name in reprs
    assert other_student.full_name not in reprs


def test_it_shows_entries_without_a_programme_to_superusers_only(client, coordinator, student):
    AuditEntry.objects.create(action="update", model="birgemiz.school", object_id="1", object_repr="Мектеп X")
    client.force_login(coordinator)
    reprs = {e.object_repr for e in client.get(changelist_url(AuditEntry)).context["cl"].result_list}
    assert "Мектеп X" not in reprs
    root = get_user_model().objects.create_superuser("root", "r@example.kz", "root-password-long")
    client.force_login(root)
    reprs = {e.object_repr for e in client.get(changelist_url(AuditEntry)).context["cl"].result_list}
    assert "Мектеп X" in reprs


def test_it_keeps_the_audit_trail_read_only_even_for_superusers(client, student):
    root = get_user_model().objects.create_superuser("root", "r@example.kz", "root-password-long")
    entry = AuditEntry.objects.filter(object_id=str(student.pk)).first()
    client.force_login(root)
    assert client.get(reverse("admin:birgemiz_auditentry_add")).status_code == 403
    assert client.post(change_url(entry), {"object_repr": "x"}).status_code == 403
    delete = reverse("admin:birgemiz_auditentry_delete", args=[entry.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_it_links_a_students_change_page_to_its_audit_entries(client, coordinator, student):
    client.force_login(coordinator)
    page = client.get(change_url(student)).content.decode()
    link = f"{changelist_url(AuditEntry)}?model=courses.student&amp;object_id={student.pk}"
    assert link in page
    response = client.get(changelist_url(AuditEntry), {"model": "courses.student", "object_id": student.pk})
    entries = list(response.context["cl"].result_list)
    assert entries and all(e.object_id == str(student.pk) for e in entries)


def test_it_offers_registered_metrics_as_indicator_choices(client, coordinator, program):
    from birgemiz.metric_registry import REGISTRY

    indicator = IndicatorFactory(activity__task__program=program)
    client.force_login(coordinator)
    form = client.get(change_url(indicator)).context["adminform"].form
    values = {value for value, _label in form.fields["metric"].choices}
    assert "" in values and set(REGISTRY) <= values and len(values) > 1


def test_it_checks_a_groups_capacity_when_enrolling_in_the_admin(client, coordinator, group):
    group.capacity = 3
    group.save()
    extra = StudentFactory(program=group.program)
    client.force_login(coordinator)
    response = client.post(
        reverse("admin:courses_enrollment_add"),
        {"group": group.pk, "student": extra.pk, "status": "active", "enrolled_on": ""},
    )
    assert response.status_code == 200
    assert "group" in response.context["adminform"].form.errors
    assert not extra.enrollments.exists()


def test_it_refuses_to_enroll_a_student_of_another_programme(client, coordinator, group):
    other_program = ProgramFactory(organization=group.program.organization, start=datetime.date(2020, 3, 1))
    stranger = StudentFactory(program=other_program)
    client.force_login(coordinator)
    response = client.post(
        reverse("admin:courses_enrollment_add"),
        {"group": group.pk, "student": stranger.pk, "status": "active", "enrolled_on": ""},
    )
    assert response.status_code == 200
    assert "student" in response.context["adminform"].form.errors


# ---------------------------------------------------------------- languages


@pytest.mark.parametrize(
    "language, expected",
    [(None, "Көрсеткіштер"), ("kk", "Көрсеткіштер"), ("ru", "Показатели"), ("en", "Indicators")],
)
def test_it_renders_the_admin_in_the_chosen_language(client, coordinator, language, expected):
    client.force_login(coordinator)
    headers = {"HTTP_ACCEPT_LANGUAGE": language} if language else {}
    page = client.get(reverse("admin:index"), **headers).content.decode()
    assert expected in page


def test_it_switches_the_admin_language_through_setlang(client, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("set_language"), {"language": "ru", "next": reverse("admin:index")})
    assert response.status_code == 302
    assert "Социально-экономические показатели" in client.get(reverse("admin:index")).content.decode()
