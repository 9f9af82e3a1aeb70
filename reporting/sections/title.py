"""The title block (grantee, topic, amount in figures and words) and the signature
footer that closes the report."""

from ..form import t
from ..numwords import amount_in_words, group_digits
from ..structure import Footer, TitleBlock

BLANK = "____________"


def title(data):
    program, lang = data.program, data.lang
    return TitleBlock(
        grantee=data.text(program.organization, "name", proper=True),
        topic=data.text(program, "topic"),
        amount=program.grant_amount,
        amount_digits=group_digits(program.grant_amount),
        amount_text=amount_in_words(program.grant_amount, lang),
    )


def footer(data):
    org, lang = data.program.organization, data.lang
    chair_title = data.text(org, "chair_title") or (
        f"{data.text(org, 'name', proper=True)} {t('chair_default', lang)}"
    )
    return Footer(
        chair_line=f"{chair_title}: {org.chair_name}" if org.chair_name else chair_title,
        chair_caption=t("chair_caption", lang),
        filled=f"{t('filled', lang)} {BLANK}",
        seal=t("seal", lang),
        pages_template=t("pages", lang, n="{n}"),
        signature=f"{t('signature', lang)} {BLANK}",
    )
