"""Fields of the agreements' data written once per language, English the fallback."""

from modeltranslation.translator import TranslationOptions, register

from agreements.models import Topic


@register(Topic)
class TopicTranslation(TranslationOptions):
    fields = ("name",)
