"""What the suggestion card and the brief need from retrieval: the scripts library and the situation detector.

Neither needs the vector index. Opening the full retrieval stack loads the embedder and, on a fresh install, embeds
the whole corpus into Chroma — minutes on a small server. So the composition root (`App.script_tools`) hands out
the stack when something (the knowledge base, a script upload, the warm-up) has already opened it, since it keeps
uploaded scripts live; otherwise `FileScriptTools`: the two light parts read straight from the files, once, in a
quarter of a second.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from bot.services.knowledge.scripts import ScriptLibrary
from bot.services.knowledge.situations import SituationDetector


class ScriptTools(Protocol):
    @property
    def library(self) -> ScriptLibrary: ...

    @property
    def situations(self) -> SituationDetector: ...


@dataclass
class FileScriptTools:
    library: ScriptLibrary
    situations: SituationDetector

    @classmethod
    def load(cls, project_root: Path) -> FileScriptTools:
        return cls(ScriptLibrary.from_dir(project_root), SituationDetector.from_file(project_root))
