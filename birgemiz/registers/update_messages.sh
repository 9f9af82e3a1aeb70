#!/bin/sh
# Refresh this package's catalogue (birgemiz/registers/locale, listed in LOCALE_PATHS).
# The registers' strings also live in the apps' resources.py and in templates/admin/;
# makemessages only scans below the current directory, so link them in for the run.
set -e
cd "$(dirname "$0")"
ROOT=../..
rm -rf _i18n && mkdir _i18n
for f in $ROOT/templates/admin/change_list.html $ROOT/templates/admin/registers/*.html; do
    ln -s "$(realpath "$f")" "_i18n/tpl_$(basename "$f")"
done
for app in birgemiz courses volunteers assessments surveys; do
    ln -s "$(realpath $ROOT/$app/resources.py)" "_i18n/${app}_resources.py"
done
$ROOT/.venv/bin/python $ROOT/manage.py makemessages -l kk -l ru -l en --symlinks -v0 || { rm -rf _i18n; exit 1; }
rm -rf _i18n
for po in locale/*/LC_MESSAGES/django.po; do msgfmt --check-format -o "${po%.po}.mo" "$po"; done
