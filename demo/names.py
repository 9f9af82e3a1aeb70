"""Kazakh names the generated people are drawn from, and the forms made from them.

Two pools: the demo's (West Kazakhstan, `BKO`) and the synthetic generator's
(`NATIONAL`). Each generator draws from its own pool, in its own order of draws, so a
seed always gives the same people; merging the pools would rename every generated
person. Surnames are kept in the masculine form and `surname_for` makes the feminine.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class NamePool:
    male: tuple
    female: tuple
    surnames: tuple  # masculine forms
    fathers: tuple

    def first_name(self, rng, sex):
        return rng.choice(self.female if sex == "F" else self.male)


BKO = NamePool(
    male=(
        "Айбек", "Азамат", "Алихан", "Арман", "Асхат", "Бауыржан", "Ерлан", "Ерасыл", "Дәулет",
        "Данияр", "Диас", "Еламан", "Жандос", "Нұрсұлтан", "Нұрлан", "Мирас", "Мұхтар", "Олжас",
        "Рамазан", "Санжар", "Серік", "Темірлан", "Тимур", "Ілияс", "Әлихан", "Әділет", "Ерназар",
        "Бекзат", "Ақылбек", "Жасұлан", "Нұрдәулет", "Ерболат", "Қайрат", "Қуаныш", "Ержан", "Аслан",
        "Самат", "Ерсұлтан", "Бексұлтан", "Досжан", "Абылай", "Нұрислам", "Жанибек", "Ернар",
    ),
    female=(
        "Айгерім", "Айжан", "Ақбота", "Ақмарал", "Аружан", "Әсем", "Әсел", "Аяулым", "Балжан",
        "Гүлнұр", "Дана", "Дариға", "Жанерке", "Жансая", "Жұлдыз", "Зарина", "Інжу", "Кәмила",
        "Ләззат", "Мадина", "Мөлдір", "Назерке", "Нұрсұлу", "Перизат", "Салтанат", "Сабина", "Томирис",
        "Ұлжан", "Шынар", "Эльмира", "Аққу", "Айша", "Динара", "Ақниет", "Анеля", "Гүлім", "Меруерт",
        "Ырысты", "Нәзира", "Жібек", "Раушан", "Сымбат", "Әйгерім", "Арайлым",
    ),
    surnames=(
        "Сейтқалиев", "Жұмағалиев", "Қайыров", "Есенов", "Мұқанов", "Бисенов", "Ермеков", "Сағынтаев",
        "Утепов", "Ахметов", "Байжанов", "Досмұхамбетов", "Ғабдуллин", "Мұратов", "Нұрғалиев",
        "Құсайынов", "Шамшиев", "Тілеуов", "Әбілов", "Қабдолов", "Иманғалиев", "Исатаев",
        "Жаңабергенов", "Жақсылықов", "Сүлейменов", "Тұрғанбаев", "Хайруллин", "Сәрсенов", "Өтешев",
        "Ғұмаров", "Кенжеғалиев", "Лұқпанов", "Мақсотов", "Нығметов", "Орынбасаров", "Рахметов",
        "Сисенғалиев", "Тәжиев", "Уәлиев", "Хасанов", "Шәкіров", "Ысқақов", "Айтқалиев", "Бақтыгереев",
        "Дүйсенғалиев", "Есқалиев", "Жексенов", "Зейнуллин", "Кәрімов", "Мырзағалиев",
    ),
    fathers=(
        "Серік", "Бауыржан", "Ерлан", "Марат", "Талғат", "Нұрлан", "Қайрат", "Бақыт", "Мұрат", "Асқар",
        "Жеңіс", "Ержан", "Болат", "Қанат", "Руслан", "Арман", "Дәулет", "Ербол", "Асылбек",
        "Бекболат", "Ғалым", "Нұржан", "Сапар", "Темір", "Аманжол", "Берік", "Жанат", "Мақсат",
        "Оңдасын", "Елтай",
    ),
)

NATIONAL = NamePool(
    male=(
        "Асан", "Нұрсұлтан", "Ерлан", "Айдос", "Дархан", "Ерасыл", "Алихан", "Бекзат", "Мирас",
        "Димаш", "Санжар", "Әли", "Ислам", "Тимур", "Арман", "Данияр", "Ержан", "Нұрлан",
        "Азамат", "Бауыржан", "Аслан", "Ернар", "Жандос", "Еркебұлан", "Бақдәулет",
    ),
    female=(
        "Айгерім", "Аружан", "Дана", "Жансая", "Әсел", "Мадина", "Аяулым", "Томирис", "Назерке",
        "Аида", "Камила", "Дильназ", "Жасмин", "Балнұр", "Ақбота", "Гүлназ", "Інжу", "Меруерт",
        "Сабина", "Айша", "Әйгерім", "Ақерке", "Жұлдыз", "Нұрай", "Іңкәр",
    ),
    surnames=(
        "Ахметов", "Жұмабаев", "Нұрланов", "Серікбаев", "Тоқтаров", "Қасымов", "Әбенов", "Бекмұхамедов",
        "Ермеков", "Мұқанов", "Омаров", "Сапаров", "Төлегенов", "Құдайбергенов", "Жақсылықов",
        "Әлімжанов", "Исаев", "Қайратов", "Байжанов", "Оспанов", "Есенов", "Қалиев", "Мұратов",
        "Тұрсынов", "Жанұзақов", "Сұлтанов", "Абдрахманов", "Рахимов", "Дәулетов", "Сейітов",
        "Бисенғалиев", "Ғабдоллаев",
    ),
    fathers=(
        "Ерлан", "Марат", "Серік", "Болат", "Қайрат", "Талғат", "Асқар", "Нұрлан", "Бақыт",
        "Жанат", "Ғалым", "Берік", "Руслан", "Сағат", "Ермек", "Дәурен",
    ),
)

# Russian spellings of the demo's fathers' names, for the patronymics written the Russian way.
FATHER_NAMES_RU = {
    "Серік": "Серик", "Бауыржан": "Бауыржан", "Ерлан": "Ерлан", "Марат": "Марат", "Талғат": "Талгат",
    "Нұрлан": "Нурлан", "Қайрат": "Кайрат", "Бақыт": "Бахыт", "Мұрат": "Мурат", "Асқар": "Аскар",
    "Болат": "Болат", "Қанат": "Канат", "Руслан": "Руслан", "Арман": "Арман", "Берік": "Берик",
}
RUSSIAN_PATRONYMIC_SHARE = 0.35

TRANSLIT = {
    "а": "a", "ә": "a", "б": "b", "в": "v", "г": "g", "ғ": "g", "д": "d", "е": "e", "ё": "e",
    "ж": "zh", "з": "z", "и": "i", "й": "i", "к": "k", "қ": "k", "л": "l", "м": "m", "н": "n",
    "ң": "n", "о": "o", "ө": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ұ": "u",
    "ү": "u", "ф": "f", "х": "kh", "һ": "h", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sh", "ъ": "",
    "ы": "y", "і": "i", "ь": "", "э": "e", "ю": "yu", "я": "ya",
}

EMAIL_DOMAINS = ["mail.ru", "gmail.com", "inbox.ru", "mail.kz", "bk.ru"]


def surname_for(surname, sex):
    """A masculine surname in the form for `sex`: -ов / -ев / -ин take «а» for a woman."""
    if sex == "F" and surname.endswith(("ов", "ев", "ин")):
        return surname + "а"
    return surname


def kazakh_patronymic(father, sex):
    return father + ("қызы" if sex == "F" else "ұлы")


def latin(text):
    """A Latin spelling of a name, for e-mail addresses."""
    return "".join(TRANSLIT.get(ch, ch) for ch in text.lower() if ch.isalnum())


def bko_name(rng, sex):
    """(last, first, middle) from the demo's pool; about a third of the patronymics that
    have a Russian spelling are written the Russian way (-ович / -овна)."""
    surname = rng.choice(BKO.surnames)
    first = BKO.first_name(rng, sex)
    father = rng.choice(BKO.fathers)
    if father in FATHER_NAMES_RU and rng.random() < RUSSIAN_PATRONYMIC_SHARE:
        middle = FATHER_NAMES_RU[father] + ("ович" if sex == "M" else "овна")
    else:
        middle = kazakh_patronymic(father, sex)
    return surname_for(surname, sex), first, middle


def national_name(rng, sex):
    """(last, first, middle) from the generator's pool, first name drawn first."""
    first = NATIONAL.first_name(rng, sex)
    surname = rng.choice(NATIONAL.surnames)
    return surname_for(surname, sex), first, kazakh_patronymic(rng.choice(NATIONAL.fathers), sex)
