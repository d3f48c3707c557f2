from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from cpw.core.history import HistoricalRecords
from cpw.core.models import TimeStampedModel, VersionedModel

from .validators import normalise_email


class Role(models.TextChoices):
    COUNCIL_ADMIN = "council_admin", "Council admin"
    PROGRAMME_MANAGER = "programme_manager", "Programme manager"
    OFFICER = "officer", "Officer"
    STEERING_GROUP = "steering_group", "Steering-group member"
    COUNCILLOR = "councillor", "Councillor"
    ASSESSOR = "assessor", "Assessor"
    PARTNER = "partner", "Partner"
    # Held in one council, like a council admin's role: the data protection officer who
    # answers for the personal data the portal holds about that council's programmes
    # (cpw/privacy). Appointed by a staff admin; no role in any programme.
    DPO = "dpo", "Data protection officer"


COUNCIL_ROLES = frozenset(
    {
        Role.COUNCIL_ADMIN,
        Role.PROGRAMME_MANAGER,
        Role.OFFICER,
        Role.STEERING_GROUP,
        Role.COUNCILLOR,
        Role.ASSESSOR,
    }
)


class OrganisationType(models.TextChoices):
    REGISTERED_CHARITY = "registered_charity", "Registered charity"
    CIO = "cio", "Charitable incorporated organisation (CIO)"
    CIC = "cic", "Community interest company (CIC)"
    COMPANY_LIMITED_BY_GUARANTEE = "company_limited_by_guarantee", "Company limited by guarantee"
    COMMUNITY_GROUP = "community_group", "Community group"
    TOWN_OR_PARISH_COUNCIL = "town_or_parish_council", "Town or parish council"
    SOCIAL_ENTERPRISE = "social_enterprise", "Social enterprise"
    OTHER = "other", "Other"


class Organisation(VersionedModel, TimeStampedModel):
    """A partner: a charity, community group, town or parish council and so on."""

    name = models.CharField(max_length=200)
    kind = models.CharField("type", max_length=40, choices=OrganisationType.choices)
    charity_number = models.CharField(max_length=20, blank=True)
    company_number = models.CharField(max_length=20, blank=True)
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="organisation_name_unique_ci"),
        ]

    def __str__(self):
        return self.name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=normalise_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)

    def normalize_email(self, email):
        return normalise_email(email)

    def get_by_natural_key(self, email):
        return self.get(email__iexact=normalise_email(email))


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=150)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    job_title = models.CharField(max_length=150, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField("staff admin", default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    email_verified_at = models.DateTimeField(null=True, blank=True)
    invited_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_unique_ci")]

    def __str__(self):
        return self.full_name or self.email

    def clean(self):
        super().clean()
        self.email = normalise_email(self.email)

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def roles_by_programme(self) -> dict[int | None, frozenset[str]]:
        """{programme id (None: portal-wide): roles}, loaded once per request. A council admin
        is also the programme manager of every programme of their council."""
        if not hasattr(self, "_roles_by_programme_cache"):
            found: dict[int | None, set[str]] = {}
            council_ids: set[int] = set()
            administers: set[int] = set()
            protects: set[int] = set()
            # each programme's own word for groundbreakers, for the navigation (no extra query)
            words: dict[int, str] = {}
            for (
                programme_id,
                programme_council_id,
                council_id,
                role,
                word,
            ) in self.role_assignments.values_list(
                "programme_id",
                "programme__council_id",
                "council_id",
                "role",
                "programme__groundbreaker_label_plural",
            ):
                if programme_id is not None:
                    words[programme_id] = word
                if role == Role.COUNCIL_ADMIN:
                    administers.add(council_id)
                    council_ids.add(council_id)
                    continue
                if role == Role.DPO:
                    # not a council worker: only the data protection pages know this role
                    protects.add(council_id)
                    continue
                found.setdefault(programme_id, set()).add(role)
                if programme_council_id is not None:
                    council_ids.add(programme_council_id)
            if administers:
                programme_model = self.role_assignments.model._meta.get_field(
                    "programme"
                ).related_model
                for programme_id, word in programme_model.objects.filter(
                    council_id__in=administers
                ).values_list("pk", "groundbreaker_label_plural"):
                    words[programme_id] = word
                    found.setdefault(programme_id, set()).update(
                        {Role.COUNCIL_ADMIN, Role.PROGRAMME_MANAGER}
                    )
            self._roles_by_programme_cache = {k: frozenset(v) for k, v in found.items()}
            self._groundbreaker_words_cache = frozenset(words.values())
            self._council_ids_cache = frozenset(council_ids)
            self._administers_councils_cache = frozenset(administers)
            self._dpo_councils_cache = frozenset(protects)
        return self._roles_by_programme_cache

    @property
    def council_ids(self) -> frozenset[int]:
        """The councils this user works for: those of their programmes, and those they
        administer. Partners work for none."""
        self.roles_by_programme  # noqa: B018 - loads the caches
        return self._council_ids_cache

    @property
    def groundbreaker_words(self) -> frozenset[str]:
        """What the user's programmes call their groundbreakers (plural), loaded with the
        roles."""
        self.roles_by_programme  # noqa: B018 - loads the caches
        return self._groundbreaker_words_cache

    @property
    def administers_council_ids(self) -> frozenset[int]:
        self.roles_by_programme  # noqa: B018 - loads the caches
        return self._administers_councils_cache

    @property
    def dpo_council_ids(self) -> frozenset[int]:
        """The councils this user is the data protection officer of."""
        self.roles_by_programme  # noqa: B018 - loads the caches
        return self._dpo_councils_cache

    def forget_roles(self) -> None:
        """Drop the per-request role caches (after roles change)."""
        for cache in (
            "_roles_by_programme_cache",
            "_council_ids_cache",
            "_administers_councils_cache",
            "_dpo_councils_cache",
            "_groundbreaker_words_cache",
            "_roles_cache",
            "_permission_map_cache",
        ):
            self.__dict__.pop(cache, None)

    @property
    def roles(self) -> frozenset[str]:
        """The roles this user holds in any programme (worked out once per request)."""
        if not hasattr(self, "_roles_cache"):
            self._roles_cache = frozenset().union(*self.roles_by_programme.values())
        return self._roles_cache

    def has_role_in(self, programme_id: int | None, *roles: str) -> bool:
        return self.is_active and bool(
            self.roles_by_programme.get(programme_id, frozenset()) & set(roles)
        )

    def has_role(self, role: str) -> bool:
        if role == Role.COUNCIL_ADMIN:
            return self.is_active and bool(self.administers_council_ids)
        if role == Role.DPO:
            return self.is_active and bool(self.dpo_council_ids)
        return self.is_active and role in self.roles


class RoleAssignment(TimeStampedModel):
    """A role a user holds: in one programme; a council admin's or a data protection
    officer's in one council; a partner's across the portal (neither set)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(max_length=30, choices=Role.choices)
    programme = models.ForeignKey(
        "programmes.Programme",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    council = models.ForeignKey(
        "programmes.Council",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="admin_roles",
        help_text=(
            "For council admins: the council they administer. For data protection officers: "
            "the council whose data they answer for."
        ),
    )
    division = models.ForeignKey(
        "programmes.Place",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="councillors",
        help_text="For councillors: the ward or electoral division they represent.",
    )
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "programme"], name="role_assignment_unique"
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(programme__isnull=True, council__isnull=True),
                name="role_assignment_unique_portal_wide",
            ),
            models.UniqueConstraint(
                fields=["user", "council"],
                condition=models.Q(role="council_admin"),
                name="council_admin_unique",
            ),
            models.UniqueConstraint(
                fields=["user", "council"],
                condition=models.Q(role="dpo"),
                name="dpo_unique_per_council",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(
                        role__in=["council_admin", "dpo"],
                        council__isnull=False,
                        programme__isnull=True,
                    )
                    | (
                        ~models.Q(role__in=["council_admin", "dpo"])
                        & models.Q(council__isnull=True)
                    )
                ),
                name="council_only_for_council_admins_and_dpos",
            ),
            models.CheckConstraint(
                condition=models.Q(division__isnull=True) | models.Q(role="councillor"),
                name="division_only_for_councillors",
            ),
        ]

    def __str__(self):
        where = (
            f" in {self.programme or self.council}" if self.programme_id or self.council_id else ""
        )
        return f"{self.user}: {self.get_role_display()}{where}"
