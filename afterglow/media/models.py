"""Voice notes, drawings and photos: stored as BLOBs in the encrypted journal, never as files on disk.

Each kind keeps its models in its own module; they are gathered here so Django finds them.
"""

from afterglow.media.visual.models import Picture
from afterglow.media.voice.models import VoiceNote

__all__ = ["Picture", "VoiceNote"]
