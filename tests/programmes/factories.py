import factory

from programmes.models import Place, PlaceKind, Programme


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place

    name = factory.Sequence(lambda n: f"Place {n}")
    kind = PlaceKind.WARD

    class Params:
        district = factory.Trait(kind=PlaceKind.DISTRICT)
        division = factory.Trait(kind=PlaceKind.DIVISION)
        lsoa = factory.Trait(kind=PlaceKind.LSOA)


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme
        django_get_or_create = ["slug"]

    council = "Warwickshire County Council"
    name = factory.Sequence(lambda n: f"Community Power Programme {n}")
    short_name = factory.Sequence(lambda n: f"CPP{n}")
    slug = factory.Sequence(lambda n: f"cpp-{n}")
    purpose = "Shift power to communities."
