"""One row per tag on one entry or capture. The name is stored folded to lower case."""

from django.conf import settings
from django.db import models
from django.db.models import Q

NAME_MAX = 50


class Tag(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=NAME_MAX)
    entry = models.ForeignKey("journal.Entry", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    capture = models.ForeignKey("journal.Capture", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    # True: found as #word in the text (kept in step with it on every save). False: given in the
    # tag field, or brought in by an import; only the field (or `set_tags`) changes it.
    from_text = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["owner", "name"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(entry__isnull=False, capture__isnull=True) | Q(entry__isnull=True, capture__isnull=False),
                name="tag_on_one_thing",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.name}"


class SealedTags(models.Model):
    """Clinic mode: the tags given in a private entry's tag field, sealed to its patient's key.

    A private entry has no `Tag` rows: its #words are inside its sealed text, and the names given
    in its tag field are here, as JSON sealed with `journal.private.seal_blob` (only the patient's
    own request opens them). `store.py` reads both back for that request.
    """

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    entry = models.OneToOneField("journal.Entry", on_delete=models.CASCADE, related_name="+")
    sealed = models.BinaryField()
