"""Fields of the member register written once per language, English the fallback."""

from modeltranslation.translator import TranslationOptions, register

from members.models import Benefit, MembershipCategory


@register(MembershipCategory)
class MembershipCategoryTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Benefit)
class BenefitTranslation(TranslationOptions):
    fields = ("name", "description")
