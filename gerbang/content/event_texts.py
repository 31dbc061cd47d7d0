"""What content events mean, in words (see ``gerbang.core.event_text``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from gerbang.core.event_text import register

register("content.channel_saved", gettext_lazy("Official channel saved"))
register("content.channel_removed", gettext_lazy("Official channel removed"))
register("content.announcement_created", gettext_lazy("Announcement created"))
register("content.announcement_saved", gettext_lazy("Announcement saved"))
register("content.announcement_published", gettext_lazy("Announcement published"))
register("content.faq_created", gettext_lazy("FAQ entry created"))
register("content.faq_saved", gettext_lazy("FAQ entry saved"))
register("content.faq_published", gettext_lazy("FAQ entry published"))
register("content.guide_saved", gettext_lazy("Guide saved"))
register("content.guide_published", gettext_lazy("Guide published"))
register("content.rights_saved", gettext_lazy("Right or duty saved"))
register("content.rights_published", gettext_lazy("Right or duty published"))
register("content.campaign_saved", gettext_lazy("Scam-awareness campaign saved"))
register("content.campaign_published", gettext_lazy("Scam-awareness campaign published"))
