"""Activation links keep only the SHA-256 of their secret.

Links already sent keep working: each stored secret is hashed in place (the link a
volunteer holds still hashes to the stored value), then the plain secret is dropped.
"""

import hashlib

from django.db import migrations, models


def hash_existing(apps, schema_editor):
    ActivationToken = apps.get_model("volunteers", "ActivationToken")
    for token in ActivationToken.objects.only("pk", "token").iterator():
        digest = hashlib.sha256(token.token.encode()).hexdigest()
        ActivationToken.objects.filter(pk=token.pk).update(token_hash=digest)


def expire_unrecoverable(apps, schema_editor):
    # Going back, the plain secrets cannot be recovered: the old links stop working.
    ActivationToken = apps.get_model("volunteers", "ActivationToken")
    from django.utils import timezone

    for token in ActivationToken.objects.only("pk", "token_hash").iterator():
        ActivationToken.objects.filter(pk=token.pk).update(
            token=f"revoked-{token.token_hash[:40]}", expires_at=timezone.now()
        )


class Migration(migrations.Migration):
    dependencies = [
        ("volunteers", "0003_track_subject_in_core"),
    ]

    operations = [
        migrations.AddField(
            model_name="activationtoken",
            name="token_hash",
            field=models.CharField(editable=False, max_length=64, null=True, verbose_name="token hash"),
        ),
        migrations.AlterField(
            model_name="activationtoken",
            name="token",
            field=models.CharField(max_length=64, null=True, verbose_name="token"),
        ),
        migrations.RunPython(hash_existing, expire_unrecoverable),
        migrations.RemoveField(model_name="activationtoken", name="token"),
        migrations.AlterField(
            model_name="activationtoken",
            name="token_hash",
            field=models.CharField(editable=False, max_length=64, unique=True, verbose_name="token hash"),
        ),
    ]
