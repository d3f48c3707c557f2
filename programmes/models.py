from django.db import models
from django.db.models.functions import Lower
from simple_history.models import HistoricalRecords

from cpw.core.models import TimeStampedModel


class PlaceKind(models.TextChoices):
    COUNTY = "county", "County"
    DISTRICT = "district", "District"
    DIVISION = "division", "Electoral division"
    WARD = "ward", "Ward"
    LSOA = "lsoa", "Lower layer super output area (LSOA)"
    PARISH = "parish", "Parish"
    NEIGHBOURHOOD = "neighbourhood", "Neighbourhood"


class Place(TimeStampedModel):
    """A place shared by every app: a district, ward, LSOA, parish or neighbourhood."""

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=PlaceKind.choices)
    ons_code = models.CharField(
        "ONS code", max_length=9, blank=True, help_text="For example E07000218. Leave blank if none."
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["ons_code"], condition=~models.Q(ons_code=""), name="place_ons_code_unique"
            ),
            models.UniqueConstraint(
                Lower("name"), "kind", "parent", name="place_name_unique_within_parent"
            ),
        ]

    def __str__(self):
        return self.name


class ProgrammeStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    ACTIVE = "active", "Active"
    CLOSED = "closed", "Closed"


class Programme(TimeStampedModel):
    council = models.CharField(max_length=200)
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=30)
    slug = models.SlugField(max_length=60, unique=True)
    purpose = models.TextField(blank=True)
    start = models.DateField(null=True, blank=True)
    end = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=ProgrammeStatus.choices, default=ProgrammeStatus.ACTIVE
    )
    priority_places = models.ManyToManyField(
        Place, blank=True, related_name="priority_for_programmes"
    )
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True)
                | models.Q(start__isnull=True)
                | models.Q(end__gte=models.F("start")),
                name="programme_ends_after_start",
            )
        ]

    def __str__(self):
        return self.name
