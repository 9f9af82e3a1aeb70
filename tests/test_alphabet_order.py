"""Kazakh alphabetical order (ә after а, ғ after г, қ after к, ң after н, ө after о, ұ ү
after у, һ after х, і after ы, as the alphabet of 1940 has it) for lists of names and
districts: the helper itself, the admin's list filters, and the enrolment tool's list."""

from django.urls import reverse

from birgemiz.alphabet import kazakh_sorted, name_key, person_key
from courses.models import Student
from surveys.models import SurveyResponse

from .factories import DistrictFactory, SchoolFactory, StudentFactory, VolunteerFactory
from .test_surveys_helpers import needs_survey

DISTRICTS = [
    "Ақжайық",
    "Әбу",
    "Бөрлі",
    "Гүлзар",
    "Ғалым",
    "Жаңақала",
    "Казталов",
    "Қаратөбе",
    "Нұрлы",
    "Ңа",
    "Орал",
    "Өлеңті",
    "Сырым",
    "Тасқала",
    "Уалиханов",
    "Ұялы",
    "Үлгі",
    "Хан",
    "Һауа",
    "Шыңғырлау",
    "Ыстық",
    "Іле",
    "Ясный",
]


def test_it_orders_every_kazakh_letter_beside_its_russian_neighbour():
    shuffled = sorted(DISTRICTS)  # code-point order: Ғ, Қ, Ң, Ө, Ұ, Ү, Һ, Ә, І after Я
    assert shuffled != DISTRICTS
    assert kazakh_sorted(shuffled) == DISTRICTS
    assert kazakh_sorted(["қасым", "Қайрат", "ҚАЛИ"]) == ["Қайрат", "ҚАЛИ", "қасым"]  # any case


def test_it_orders_people_by_surname_then_first_name():
    people = [
        Student(pk=3, last_name="Қасымов", first_name="Әли"),
        Student(pk=1, last_name="Қасымов", first_name="Арман"),
        Student(pk=2, last_name="Әбілов", first_name="Ғани"),
    ]
    assert [p.pk for p in sorted(people, key=person_key)] == [2, 1, 3]
    assert name_key("") == [] and name_key(None) == []


def _district_filter(response, title):
    for spec in response.context["cl"].filter_specs:
        if str(spec.title).casefold() == title.casefold() or getattr(spec, "field_path", "") == title:
            return [str(label) for _pk, label in spec.lookup_choices]
    raise AssertionError(f"no filter {title}: {[s.title for s in response.context['cl'].filter_specs]}")


def test_the_admin_filters_list_districts_in_kazakh_order(client, superuser, program):
    for name in reversed(DISTRICTS[:10]):
        StudentFactory(program=program, school=SchoolFactory(district=DistrictFactory(name_kk=name)))
    client.force_login(superuser)
    response = client.get(reverse("admin:courses_student_changelist"), HTTP_ACCEPT_LANGUAGE="kk")
    assert response.status_code == 200
    assert _district_filter(response, "school__district") == DISTRICTS[:10]
    response = client.get(reverse("admin:birgemiz_school_changelist"), HTTP_ACCEPT_LANGUAGE="kk")
    assert _district_filter(response, "district") == DISTRICTS[:10]


def test_a_plain_relation_filter_lists_in_kazakh_order_too(client, superuser, program, track):
    # `list_filter = ["district"]`, no filter class named: the registered default applies.
    for name in reversed(DISTRICTS[10:20]):
        VolunteerFactory(program=program, track=track, district=DistrictFactory(name_kk=name))
    client.force_login(superuser)
    response = client.get(reverse("admin:volunteers_volunteer_changelist"), HTTP_ACCEPT_LANGUAGE="kk")
    assert response.status_code == 200
    assert _district_filter(response, "district") == DISTRICTS[10:20]


def test_the_enrolment_list_follows_the_kazakh_alphabet(client, coordinator, program):
    data = needs_survey(program)
    school = data["schools"][0]
    for n, last in enumerate(["Шәкенов", "Қасымова", "Әбілова", "Бекова"]):
        response = SurveyResponse.objects.create(
            survey=data["survey"],
            code=f"R{n}",
            last_name=last,
            first_name="Аружан",
            sex="F",
            birth_date="2006-04-12",
            grade=10,
            school=school,
            district=school.district,
            consent=True,
            identity_key=f"key-{n}",
        )
        response.answers.create(
            question=data["survey"].questions.get(code="tracks"),
            choice=data["survey"].questions.get(code="tracks").choices.get(value="english"),
        )
    client.force_login(coordinator)
    page = client.get(reverse("surveys:enrol", args=[program.code, data["survey"].code]))
    assert page.status_code == 200
    assert [r.last_name for r in page.context["candidates"]] == ["Әбілова", "Бекова", "Қасымова", "Шәкенов"]


def test_the_training_list_orders_volunteers_in_kazakh_order(program, track):
    from assessments.training import training_overview

    for last in ["Шәріпова", "Қасенова", "Әлиева", "Бекова", "Ғабитова"]:
        VolunteerFactory(program=program, track=track, last_name=last)
    rows = training_overview(program)
    assert [r.volunteer.last_name for r in rows] == ["Әлиева", "Бекова", "Ғабитова", "Қасенова", "Шәріпова"]
