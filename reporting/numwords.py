"""Whole numbers in words, in Kazakh and in Russian, for the grant amount of the title block
(«15 337 100 (он бес миллион үш жүз отыз жеті мың бір жүз) теңге»).

Written here rather than taken from a library: the official form spells Kazakh hundreds and
thousands with their «бір» («бір жүз», «бір мың»), and Russian thousands are feminine
(«одна тысяча», «две тысячи»), which general-purpose libraries get wrong or lack.
"""

KK_ONES = ["", "бір", "екі", "үш", "төрт", "бес", "алты", "жеті", "сегіз", "тоғыз"]
KK_TENS = ["", "он", "жиырма", "отыз", "қырық", "елу", "алпыс", "жетпіс", "сексен", "тоқсан"]
KK_SCALES = ["", "мың", "миллион", "миллиард", "триллион"]

RU_ONES_M = ["", "один", "два", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять"]
RU_ONES_F = ["", "одна", "две", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять"]
RU_TEENS = [
    "десять",
    "одиннадцать",
    "двенадцать",
    "тринадцать",
    "четырнадцать",
    "пятнадцать",
    "шестнадцать",
    "семнадцать",
    "восемнадцать",
    "девятнадцать",
]
RU_TENS = [
    "",
    "",
    "двадцать",
    "тридцать",
    "сорок",
    "пятьдесят",
    "шестьдесят",
    "семьдесят",
    "восемьдесят",
    "девяносто",
]
RU_HUNDREDS = [
    "",
    "сто",
    "двести",
    "триста",
    "четыреста",
    "пятьсот",
    "шестьсот",
    "семьсот",
    "восемьсот",
    "девятьсот",
]
# (one, few, many) forms and whether the scale word is feminine.
RU_SCALES = [
    (("", "", ""), False),
    (("тысяча", "тысячи", "тысяч"), True),
    (("миллион", "миллиона", "миллионов"), False),
    (("миллиард", "миллиарда", "миллиардов"), False),
    (("триллион", "триллиона", "триллионов"), False),
]


def _triads(n):
    """1234567 -> [567, 234, 1] (lowest first)."""
    out = []
    while n:
        n, r = divmod(n, 1000)
        out.append(r)
    return out


def _check(n):
    if not isinstance(n, int) or isinstance(n, bool):
        raise TypeError("a whole number is expected")
    if n < 0:
        raise ValueError("negative amounts are not spelled")
    if n >= 1000 ** len(KK_SCALES):
        raise ValueError("number too large")


def _kk_triad(n):
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    words = []
    if hundreds:
        words += [KK_ONES[hundreds], "жүз"]
    if tens:
        words.append(KK_TENS[tens])
    if ones:
        words.append(KK_ONES[ones])
    return words


def kk_words(n):
    """Kazakh: 15337100 -> «он бес миллион үш жүз отыз жеті мың бір жүз»."""
    _check(n)
    if n == 0:
        return "нөл"
    words = []
    for scale, triad in reversed(list(enumerate(_triads(n)))):
        if triad:
            words += _kk_triad(triad)
            if KK_SCALES[scale]:
                words.append(KK_SCALES[scale])
    return " ".join(words)


def ru_plural(n, one, few, many):
    """The Russian noun form for n: 1 час, 2 часа, 5 часов (11–19 take the last)."""
    if n % 100 in range(11, 20):
        return many
    if n % 10 == 1:
        return one
    if n % 10 in (2, 3, 4):
        return few
    return many


def _ru_triad(n, feminine):
    hundreds, rest = divmod(n, 100)
    words = []
    if hundreds:
        words.append(RU_HUNDREDS[hundreds])
    if 10 <= rest < 20:
        words.append(RU_TEENS[rest - 10])
    else:
        tens, ones = divmod(rest, 10)
        if tens:
            words.append(RU_TENS[tens])
        if ones:
            words.append((RU_ONES_F if feminine else RU_ONES_M)[ones])
    return words


def ru_words(n):
    """Russian: 15337100 -> «пятнадцать миллионов триста тридцать семь тысяч сто»."""
    _check(n)
    if n == 0:
        return "ноль"
    words = []
    for scale, triad in reversed(list(enumerate(_triads(n)))):
        if triad:
            forms, feminine = RU_SCALES[scale]
            words += _ru_triad(triad, feminine)
            if scale:
                words.append(ru_plural(triad, *forms))
    return " ".join(words)


def group_digits(n):
    """15337100 -> «15 337 100» (a no-break space between groups keeps them on one line)."""
    return f"{n:,}".replace(",", "\u00a0")


def amount_in_words(n, lang):
    """«15 337 100 (он бес миллион … бір жүз) теңге» / «… (пятнадцать миллионов …) тенге»."""
    if lang == "ru":
        return f"{group_digits(n)} ({ru_words(n)}) тенге"
    return f"{group_digits(n)} ({kk_words(n)}) теңге"
