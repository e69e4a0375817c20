"""Create the Reporter and Editor groups and the starting vocabulary of event types."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = [
    "actor", "auditentry", "briefing", "briefingitem", "casualtyfigure", "correction", "event",
    "eventactor", "eventrelation", "eventtype", "keypoint", "location", "munitioncount", "quote",
    "source", "story", "storyevent", "tag",
]  # fmt: skip

REPORTER_WRITES = {
    # model: the actions a reporter may take on it besides viewing
    "story": ("add", "change"),
    "quote": ("add", "change", "delete"),
    "storyevent": ("add", "change", "delete"),
    "event": ("add", "change"),
    "casualtyfigure": ("add",),
    "munitioncount": ("add",),
    "source": ("add", "change", "delete"),
    "eventactor": ("add", "change", "delete"),
    "eventrelation": ("add", "change", "delete"),
    "location": ("add",),
    "actor": ("add",),
    "tag": ("add",),
}

EDITOR_EXTRA = [
    "publish_story",
    "correct_story",
    "approve_keypoints",
    "publish_event",
    "verify_event",
    "publish_briefing",
]

# ACLED's event types, and the sub-types this desk uses most.
EVENT_TYPES = {
    "Battles": ["Armed clash", "Government regains territory", "Non-state actor overtakes territory"],
    "Explosions/Remote violence": [
        "Air/drone strike",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Sabotage",
    ],
    "Violence against civilians": ["Attack", "Abduction/forced disappearance"],
    "Protests": ["Peaceful protest", "Protest with intervention"],
    "Strategic developments": [
        "Diplomatic talks",
        "Agreement",
        "Change to group/activity",
        "Headquarters or base established",
    ],
}


def slug(text):
    from django.utils.text import slugify

    return slugify(text.replace("/", " "))


def forwards(apps, schema_editor):
    # Permissions are normally created after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    events_perms = Permission.objects.filter(content_type__app_label="events")

    reporter, _ = Group.objects.get_or_create(name="Reporter")
    codenames = [f"view_{model}" for model in MODELS]
    for model, actions in REPORTER_WRITES.items():
        codenames += [f"{action}_{model}" for action in actions]
    reporter.permissions.set(events_perms.filter(codename__in=codenames))

    editor, _ = Group.objects.get_or_create(name="Editor")
    editor.permissions.set(
        events_perms.filter(
            codename__regex=r"^(add|change|delete|view)_(" + "|".join(MODELS) + ")$"
        )
        | events_perms.filter(codename__in=EDITOR_EXTRA)
    )

    EventType = apps.get_model("events", "EventType")
    for type_name, sub_types in EVENT_TYPES.items():
        parent, _ = EventType.objects.get_or_create(slug=slug(type_name), defaults={"name": type_name})
        for sub_name in sub_types:
            EventType.objects.get_or_create(
                slug=slug(sub_name), defaults={"name": sub_name, "parent": parent}
            )


def backwards(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Reporter", "Editor"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
