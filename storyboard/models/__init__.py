"""All models, importable from one place (Alembic needs them all loaded)."""

from storyboard.models.api import ApiToken, Webhook, WebhookDelivery, WebhookDeliveryStatus
from storyboard.models.audit import AuditEvent
from storyboard.models.channels import Channel, SeededChannel
from storyboard.models.curation import Feature, FeatureKind
from storyboard.models.customers import CustomerSubmission, SubmissionStatus
from storyboard.models.digest import DeliveryStatus, DigestDelivery
from storyboard.models.lessons import Lesson, LessonEvent, LessonStatus
from storyboard.models.naming import StoryNamedAgent
from storyboard.models.nps import (
    NpsImportFile,
    NpsImportMapping,
    NpsWeekCount,
    NpsWeekRollup,
    SurveyAnswer,
    SurveyDataVersion,
)
from storyboard.models.ops import OpsState
from storyboard.models.people import Role, Team, User
from storyboard.models.reach import StoryRead, StoryReadTally, StoryShare
from storyboard.models.recognition import Comment, Kudo, Notification
from storyboard.models.search import IndexOutbox
from storyboard.models.signin import SignInAttempt, UserSession
from storyboard.models.stories import (
    AuthorKind,
    Language,
    Story,
    StoryStatus,
    Theme,
    ThemeKind,
    story_themes,
)

__all__ = [
    "ApiToken",
    "AuditEvent",
    "AuthorKind",
    "Channel",
    "Comment",
    "CustomerSubmission",
    "DeliveryStatus",
    "DigestDelivery",
    "Feature",
    "FeatureKind",
    "IndexOutbox",
    "Kudo",
    "Language",
    "Lesson",
    "LessonEvent",
    "LessonStatus",
    "Notification",
    "NpsImportFile",
    "NpsImportMapping",
    "NpsWeekCount",
    "NpsWeekRollup",
    "OpsState",
    "Role",
    "SeededChannel",
    "SignInAttempt",
    "Story",
    "StoryNamedAgent",
    "StoryRead",
    "StoryReadTally",
    "StoryShare",
    "StoryStatus",
    "SubmissionStatus",
    "SurveyAnswer",
    "SurveyDataVersion",
    "Team",
    "Theme",
    "ThemeKind",
    "User",
    "UserSession",
    "Webhook",
    "WebhookDelivery",
    "WebhookDeliveryStatus",
    "story_themes",
]
