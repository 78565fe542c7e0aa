"""imr-archive: IMR determination letters -> validated records -> a static site."""

from generator.record.models import SCHEMA_VERSION, Citation, Determination, Item

__all__ = ["SCHEMA_VERSION", "Citation", "Determination", "Item"]
__version__ = "0.1.0"
