"""bounced: a bounce processor.  Parse bounce reports, correlate them, record them, decide."""

from bounced.model import Bounce, BounceType, Kind, Recipient
from bounced.parse import parse_message

__all__ = ["Bounce", "BounceType", "Kind", "Recipient", "parse_message"]
__version__ = "0.1.0"
