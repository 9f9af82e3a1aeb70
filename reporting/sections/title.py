"""The title block (grantee, topic, amount in figures and words) and the signature
footer that closes the report."""

from birgemiz.models import pick_lang

from ..form import t
from ..numwords import amount_in_words, group_digits
from ..structure import Footer, TitleBlock


def title(data):
    program, lang = data.program, data.lang
    return TitleBlock(
        grantee=pick_lang(program.organization, "name", lang),
        topic=pick_lang(program, "topic", lang),
        amount=program.grant_amount,
        amount_digits=group_digits(program.grant_amount),
        amount_text=amount_in_words(program.grant_amount, lang),
    )


def footer(data):
    org, lang = data.program.organization, data.lang
    chair_title = pick_lang(org, "chair_title", lang) or (
        f"{pick_lang(org, 'name', lang)} {t('chair_default', lang)}"
    )
    return Footer(
        chair_line=f"{chair_title}: {org.chair_name}" if org.chair_name else chair_title,
        chair_caption=t("chair_caption", lang),
        filled=f"{t('filled', lang)} ____________",
        seal=t("seal", lang),
        pages_template=t("pages", lang, n="{n}"),
    )
