"""What staff write becomes bilingual: each text is renamed to its Indonesian field (keeping what
was written, which was in Indonesian) and gets an empty English field beside it. A question's
choices become ``choices_id`` (answers keep their indices into it) and ``choices_en``.

Reversible: going back renames the Indonesian fields to the old names and drops the English ones
(their text is lost)."""

from django.db import migrations, models

# (model, old field, new Indonesian field)
RENAMES = [
    ("survey", "title", "title_id"),
    ("survey", "description", "description_id"),
    ("question", "text", "text_id"),
    ("question", "choices", "choices_id"),
    ("debate", "title", "title_id"),
    ("debate", "description", "description_id"),
    ("outcome", "decided", "decided_id"),
    ("outcome", "changed", "changed_id"),
    ("proposal", "answer", "answer_id"),
    ("statuschange", "note", "note_id"),
]


class Migration(migrations.Migration):

    dependencies = [
        ("participation", "0003_survey_residents_only"),
    ]

    operations = [
        *(
            migrations.RenameField(model_name=model, old_name=old, new_name=new)
            for model, old, new in RENAMES
        ),
        # Survey
        migrations.AlterField(
            model_name="survey",
            name="title_id",
            field=models.CharField(max_length=200, verbose_name="title (Indonesian)"),
        ),
        migrations.AddField(
            model_name="survey",
            name="title_en",
            field=models.CharField(blank=True, max_length=200, verbose_name="title (English)"),
        ),
        migrations.AlterField(
            model_name="survey",
            name="description_id",
            field=models.TextField(blank=True, verbose_name="description (Indonesian)"),
        ),
        migrations.AddField(
            model_name="survey",
            name="description_en",
            field=models.TextField(blank=True, verbose_name="description (English)"),
        ),
        # Question
        migrations.AlterField(
            model_name="question",
            name="text_id",
            field=models.CharField(max_length=300, verbose_name="question (Indonesian)"),
        ),
        migrations.AddField(
            model_name="question",
            name="text_en",
            field=models.CharField(blank=True, max_length=300, verbose_name="question (English)"),
        ),
        migrations.AddField(
            model_name="question",
            name="choices_en",
            field=models.JSONField(blank=True, default=list),
        ),
        # Debate
        migrations.AlterField(
            model_name="debate",
            name="title_id",
            field=models.CharField(max_length=200, verbose_name="title (Indonesian)"),
        ),
        migrations.AddField(
            model_name="debate",
            name="title_en",
            field=models.CharField(blank=True, max_length=200, verbose_name="title (English)"),
        ),
        migrations.AlterField(
            model_name="debate",
            name="description_id",
            field=models.TextField(verbose_name="description (Indonesian)"),
        ),
        migrations.AddField(
            model_name="debate",
            name="description_en",
            field=models.TextField(blank=True, verbose_name="description (English)"),
        ),
        # Outcome
        migrations.AlterField(
            model_name="outcome",
            name="decided_id",
            field=models.TextField(verbose_name="what was decided (Indonesian)"),
        ),
        migrations.AddField(
            model_name="outcome",
            name="decided_en",
            field=models.TextField(blank=True, verbose_name="what was decided (English)"),
        ),
        migrations.AlterField(
            model_name="outcome",
            name="changed_id",
            field=models.TextField(blank=True, verbose_name="what changed because of it (Indonesian)"),
        ),
        migrations.AddField(
            model_name="outcome",
            name="changed_en",
            field=models.TextField(blank=True, verbose_name="what changed because of it (English)"),
        ),
        # Proposal: the unit's answer
        migrations.AlterField(
            model_name="proposal",
            name="answer_id",
            field=models.TextField(blank=True, verbose_name="answer (Indonesian)"),
        ),
        migrations.AddField(
            model_name="proposal",
            name="answer_en",
            field=models.TextField(blank=True, verbose_name="answer (English)"),
        ),
        # StatusChange: a code or a free note
        migrations.AddField(
            model_name="statuschange",
            name="note_en",
            field=models.CharField(blank=True, max_length=300),
        ),
    ]
