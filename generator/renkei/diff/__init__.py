"""`renkei diff`: the changes between two versions of an API, classified, with the semver verdict.

from renkei.diff import diff_documents, Change, Severity
"""

from renkei.diff.changes import Change, Severity
from renkei.diff.comparing import diff_documents

__all__ = ["Change", "Severity", "diff_documents"]
