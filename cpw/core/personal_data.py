"""The register of personal data: which fields of which models hold personal data, why the
council may hold them (the lawful basis under UK GDPR article 6), and how long it keeps them.

Each app declares its own models in its `privacy.py` module, next to its models:

    personal_data.register(
        Application,
        fields=["declaration_name"],
        people=["created_by", "submitted_by"],
        basis=Basis.PUBLIC_TASK,
        purpose="To assess grant applications and decide them",
        retention=[Rule("Unsuccessful applications: 2 years after the decision", ...)],
    )

and the models whose fields only look personal (a fund's `name`) with `not_personal(...)`, and
the tables that hold nothing about people at all (the schedules of background work) with
`system(...)`.
The privacy app (cpw/privacy) reads the register to build the DPO's pages, the privacy notice,
retention, subject access and erasure; a test fails when a model with a personal-looking field
is in neither list. This module is the ground floor: it knows no app, only Django."""

import hashlib
import hmac
import re
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import models


class Basis(models.TextChoices):
    """The lawful bases of UK GDPR article 6(1)."""

    CONSENT = "consent", "Consent"
    CONTRACT = "contract", "Contract"
    LEGAL_OBLIGATION = "legal_obligation", "Legal obligation"
    VITAL_INTERESTS = "vital_interests", "Vital interests"
    PUBLIC_TASK = "public_task", "Public task"
    LEGITIMATE_INTERESTS = "legitimate_interests", "Legitimate interests"


class Action(models.TextChoices):
    DELETE = "delete", "Deleted"
    ANONYMISE = "anonymise", "Anonymised"
    KEEP = "keep", "Kept"


@dataclass(frozen=True)
class Rule:
    """One retention rule. `action` happens to the records matching `where` once `period` has
    passed since `anchor` (a lookup; through a to-many relation the latest date counts, so
    "7 years after the last payment" is `anchor="award__payments__paid_at"`). A rule without an
    anchor is shown on the register but applied by hand, or by the task `applied_by` names."""

    description: str
    action: str = Action.KEEP
    anchor: str | None = None
    period: timedelta = timedelta(0)
    where: models.Q | None = None
    applied_by: str = ""

    @property
    def automatic(self) -> bool:
        return self.anchor is not None and self.action != Action.KEEP and not self.applied_by


@dataclass(frozen=True)
class Declaration:
    model: type
    fields: tuple[str, ...]
    basis: str
    purpose: str
    retention: tuple[Rule, ...]
    # Lookups from the record to the account (user) it is about or was made by.
    people: tuple[str, ...]
    # Lookups compared with the email address / the name a DPO searches for.
    emails: tuple[str, ...]
    names: tuple[str, ...]
    # The links (among `people`) that make a record the person's own, so that erasing them
    # anonymises it. A record that only mentions them (an officer who changed its status) is
    # left as it is: its link then leads to their anonymised account. A record matching their
    # email address or name is their own too.
    owners: tuple[str, ...] = ()
    # What erasure does to the records: anonymise the fields, delete the records, or keep them
    # (`keep_reason` says why); `keep_when` keeps only the records it matches.
    on_erasure: str = Action.ANONYMISE
    keep_when: models.Q | None = None
    keep_reason: str = ""
    not_personal: dict = field(default_factory=dict)
    # Lookups from the record to the council it belongs to (any of them), found from the
    # model's links unless the declaration names them; empty: the record belongs to no council
    # (an account, an organisation, an email sent), see `council_paths`.
    council: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return self.model._meta.label

    @property
    def verbose_name(self) -> str:
        return str(self.model._meta.verbose_name_plural).capitalize()

    @property
    def basis_label(self) -> str:
        return Basis(self.basis).label

    def field_labels(self) -> list[str]:
        labels = [str(self.model._meta.get_field(name).verbose_name) for name in self.fields]
        for name in self.people:
            if "__" in name or name == "pk":
                continue
            f = self.model._meta.get_field(name)
            labels.append(f"who: {getattr(f, 'verbose_name', None) or name.replace('_', ' ')}")
        return labels


_declarations: dict[str, Declaration] = {}
_not_personal: dict[str, dict[str, str]] = {}


def register(
    model,
    *,
    fields=(),
    basis: str,
    purpose: str,
    retention,
    people=None,
    emails=None,
    names=(),
    owners=(),
    on_erasure: str = Action.ANONYMISE,
    keep_when: models.Q | None = None,
    keep_reason: str = "",
    council=None,
) -> Declaration:
    """Declare `model`'s personal data. `people` defaults to every foreign key to the user
    model; `emails` to the declared email fields; `council` (the lookups from a record to its
    council) to the shortest chain of links from the model to the council model
    (`council_paths`)."""
    opts = model._meta
    for name in fields:
        opts.get_field(name)  # a typo fails at start-up, not in a DPO's hands
    if people is not None and not set(owners) <= set(people) | {"pk"}:
        raise ValueError(f"{opts.label}: owners must be among people")
    if people is None:
        people = [
            f.name
            for f in opts.concrete_fields
            if f.is_relation and f.related_model is not None and _is_user_model(f.related_model)
        ]
    if emails is None:
        emails = [name for name in fields if isinstance(opts.get_field(name), models.EmailField)]
    rules = (retention,) if isinstance(retention, Rule) else tuple(retention)
    if on_erasure == Action.KEEP and not keep_reason:
        raise ValueError(f"{opts.label}: say why erasure keeps these records")
    declaration = Declaration(
        model=model,
        fields=tuple(fields),
        basis=basis,
        purpose=purpose,
        retention=rules,
        people=tuple(people),
        emails=tuple(emails),
        names=tuple(names),
        owners=tuple(owners),
        on_erasure=on_erasure,
        keep_when=keep_when,
        keep_reason=keep_reason,
        not_personal=dict(_not_personal.get(opts.label, {})),
        council=tuple(council) if council is not None else (),
    )
    _declarations[opts.label] = declaration
    return declaration


def not_personal(model, *fields: str, reason: str) -> None:
    """Say that `fields` of `model` look personal but are not (a fund's `name`)."""
    for name in fields:
        model._meta.get_field(name)
    _not_personal.setdefault(model._meta.label, {}).update(dict.fromkeys(fields, reason))


COUNCIL_MODEL = "programmes.Council"  # a label, not an import: core knows no app


def council_paths(model) -> tuple[str, ...]:
    """The lookups from a record of `model` to the council it belongs to: what its declaration
    names, else the shortest chain of forward links (foreign keys and one-to-one fields, never
    through a person's account) that reaches the council model; () when none does (the record
    belongs to no one council: an account, an organisation, an email sent)."""
    declaration = _declarations.get(model._meta.label)
    if declaration is not None and declaration.council:
        return declaration.council
    if model._meta.label in _council_path_cache:
        return _council_path_cache[model._meta.label]
    if model._meta.label == COUNCIL_MODEL:
        found: tuple[str, ...] = ("pk",)
    else:
        # links that cannot be empty first, so that every record has its council
        found = _shortest_link_to_council(model, required=True) or _shortest_link_to_council(
            model, required=False
        )
    _council_path_cache[model._meta.label] = found
    return found


_council_path_cache: dict[str, tuple[str, ...]] = {}


def _shortest_link_to_council(model, *, required: bool) -> tuple[str, ...]:
    queue = [(model, "")]
    seen = {model._meta.label}
    for _depth in range(8):
        next_queue = []
        for current, prefix in queue:
            for f in current._meta.concrete_fields:
                if not f.is_relation or f.related_model is None or (required and f.null):
                    continue
                target = f.related_model
                if _is_user_model(target) or target._meta.label in seen:
                    continue
                path = f"{prefix}{f.name}"
                if target._meta.label == COUNCIL_MODEL:
                    return (path,)
                seen.add(target._meta.label)
                next_queue.append((target, f"{path}__"))
        queue = next_queue
    return ()


_system: dict[str, tuple[type, str]] = {}


def system(model, *, reason: str) -> None:
    """Say that `model` is one of the portal's own tables about no one (a schedule of background
    work, the list of permissions), so none of its fields is personal data."""
    if not reason:
        raise ValueError(f"{model._meta.label}: say why the table holds no personal data")
    _system[model._meta.label] = (model, reason)


def system_tables() -> list[tuple[str, str]]:
    """(label, reason) of the tables marked `system`, by label."""
    return sorted((label, reason) for label, (_model, reason) in _system.items())


def is_accounted_for(model) -> bool:
    """The register says something about `model`: declared, marked system, or some field of it
    marked not personal."""
    label = model._meta.label
    return label in _declarations or label in _system or label in _not_personal


def declarations() -> list[Declaration]:
    return sorted(_declarations.values(), key=lambda d: d.label)


def declaration_for(model) -> Declaration | None:
    return _declarations.get(model._meta.label)


def _is_user_model(model) -> bool:
    return model._meta.label == settings.AUTH_USER_MODEL


# Field names that suggest personal data (the name ends with one of these words): a person's
# name, contact details, address, birth date, or free text that may be about a person (notes,
# reasons, comments). Only text, file and date fields are judged by name; any link to a user
# account counts as personal data too.
PERSONAL_NAME = re.compile(
    r"(^|_)(name|names|email|e_mail|phone|telephone|mobile|address|postcode|post_code|"
    r"date_of_birth|dob|birth|birthday|first_name|last_name|surname|forename|chair|owner|"
    r"sponsor|respondent|respondent_ref|note|notes|comment|comments|reason|justification|"
    r"details|bio|text|sent_to|to)$"
)
TEXT_FIELDS = (models.CharField, models.TextField, models.FileField, models.JSONField)
BIRTH = re.compile(r"(^|_)(birth|birthday|dob|date_of_birth|born)")


def personal_looking_fields(model) -> list[str]:
    """The concrete fields of `model` whose name or kind suggests personal data."""
    found = []
    for f in model._meta.concrete_fields:
        if f.primary_key:
            continue
        if (
            isinstance(f, models.EmailField)
            or (isinstance(f, TEXT_FIELDS) and PERSONAL_NAME.search(f.name))
            or (isinstance(f, models.DateField) and BIRTH.search(f.name))
            or (f.is_relation and f.related_model is not None and _is_user_model(f.related_model))
        ):
            found.append(f.name)
    return found


def undeclared_fields(model) -> list[str]:
    """The personal-looking fields of `model` that the register neither lists as personal (a
    field, or a link to a person) nor as not personal."""
    if model._meta.label in _system:
        return []
    declaration = _declarations.get(model._meta.label)
    accounted = set(_not_personal.get(model._meta.label, {}))
    if declaration is not None:
        accounted |= set(declaration.fields) | set(declaration.people)
    return [name for name in personal_looking_fields(model) if name not in accounted]


def pseudonym(value: str) -> str:
    """A stable stand-in for `value`: the same person's name or email address gives the same
    pseudonym everywhere (so distinct counts still add up), and nobody can reverse it without
    the site's secret key."""
    key = f"privacy:{settings.SECRET_KEY}".encode()
    digest = hmac.new(key, value.strip().lower().encode(), hashlib.sha256).hexdigest()
    return digest[:12]


def undeclared(model_list) -> dict[str, list[str]]:
    """{model label: its undeclared personal-looking fields} for the models in `model_list`
    that have any. History tables are left out: they follow their records."""
    found = {}
    for model in model_list:
        if hasattr(model, "instance_type") or model._meta.abstract or model._meta.proxy:
            continue
        fields = undeclared_fields(model)
        if fields:
            found[model._meta.label] = fields
    return found
