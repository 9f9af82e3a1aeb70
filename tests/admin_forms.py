"""Build the POST data an admin change page would send back, from its rendered forms."""

import datetime
import decimal


def _put(data, name, value):
    if value is None:
        return
    if isinstance(value, bool):
        if value:
            data[name] = "on"
        return
    if isinstance(value, (list, tuple)):
        data[name] = [str(v) for v in value]
        return
    if isinstance(value, (datetime.date, decimal.Decimal, int)):
        data[name] = str(value)
        return
    data[name] = value


def change_form_data(response, **overrides):
    """The change page's current values (main form and every inline), then overrides."""
    data = {}
    form = response.context["adminform"].form
    for name in form.fields:
        _put(data, name, form[name].value())
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        for sub in formset.forms:
            for name in sub.fields:
                _put(data, sub.add_prefix(name), sub[name].value())
    data.update(overrides)
    return data
